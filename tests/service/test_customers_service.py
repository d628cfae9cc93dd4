"""Customer profiles on the orders service over real gRPC, on SQLite and on PostgreSQL: made and
changed field by field, found by e-mail, phone or card, repeats, identities one customer holds,
and bad input that changes nothing."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.orders.v1 import customers_pb2 as pb
from clickcollect.orders.v1 import customers_pb2_grpc, orders_pb2_grpc
from clickcollect.orders.v1 import orders_pb2 as opb
from tests.support.customers import (
    APP,
    CARD,
    EMAIL,
    ORDER_UPDATES,
    PICKUP,
    RECEIPT_EMAIL,
    SMS,
    WEB,
    a_profile,
    card,
    prefer,
    profile_of,
    running_customers,
    saved,
    served_orders,
    update,
)
from tests.support.orders import an_order, opening, refused, request_id

if TYPE_CHECKING:
    from tests.support.customers import Stub

OK = grpc.StatusCode


@pytest.fixture
async def customers(database_url: str) -> AsyncIterator[Stub]:
    async with running_customers(database_url) as stub:
        yield stub


async def find(stub: Stub, **by: object) -> pb.CustomerProfile:
    return (await stub.FindCustomer(pb.FindCustomerRequest(**by))).profile  # type: ignore[arg-type]


async def test_a_profile_is_made_by_its_first_update_and_read_back_in_stored_form(
    customers: Stub,
) -> None:
    error = await refused(customers.GetProfile(pb.GetProfileRequest(customer_id="cust-1001")))
    assert (error.code, error.reason) == (OK.NOT_FOUND, "CUSTOMER_NOT_FOUND")

    answer = await saved(
        customers,
        a_profile(preferences=[prefer(PICKUP, SMS, EMAIL)], identities=[card("LC-0001")]),
    )
    stored = await profile_of(customers, "cust-1001")

    assert stored == answer
    assert (stored.email, stored.phone, stored.locale) == ("ada@example.com", "+31612345678", "fr")
    assert [(p.kind, list(p.channels)) for p in stored.preferences] == [(PICKUP, [SMS, EMAIL])]
    assert [(i.kind, i.value) for i in stored.identities] == [(CARD, "LC-0001")]
    assert stored.update_time.seconds > 0


async def test_an_update_changes_only_the_fields_its_mask_names(customers: Stub) -> None:
    await saved(customers, a_profile(preferences=[prefer(ORDER_UPDATES, EMAIL)]))

    changed = await saved(
        customers, a_profile(email="", phone="+33 6 12 34 56 78", locale="xx"), "phone"
    )

    kept = ("ada@example.com", "+33612345678", "fr")
    assert (changed.email, changed.phone, changed.locale) == kept
    assert [p.kind for p in changed.preferences] == [ORDER_UPDATES]


async def test_a_repeated_request_gets_its_first_answer_and_another_change_under_it_is_refused(
    customers: Stub,
) -> None:
    first = await customers.UpdateProfile(update(a_profile(locale="nl"), rid="profile-0001"))
    await saved(customers, a_profile(locale="en"), "locale")

    again = await customers.UpdateProfile(update(a_profile(locale="nl"), rid="profile-0001"))
    error = await refused(
        customers.UpdateProfile(update(a_profile(locale="fr"), rid="profile-0001"))
    )

    assert again == first and again.profile.locale == "nl"
    assert (error.code, error.reason) == (OK.ALREADY_EXISTS, "REQUEST_ID_REUSED")
    assert (await profile_of(customers, "cust-1001")).locale == "en"


async def test_a_card_another_customer_holds_is_refused_and_nothing_changes(
    customers: Stub,
) -> None:
    await saved(customers, a_profile("cust-2002", identities=[card("LC-0042")]))
    before = await saved(customers, a_profile(identities=[card("LC-0001")]))

    error = await refused(
        customers.UpdateProfile(
            update(a_profile(email="new@example.com", identities=[card("LC-0042")]))
        )
    )

    assert (error.code, error.reason) == (OK.ALREADY_EXISTS, "IDENTITY_TAKEN")
    assert error.metadata["kind"] == "LOYALTY_CARD" and "cust-2002" not in error.message
    assert await profile_of(customers, "cust-1001") == before
    assert (await find(customers, identity=card("LC-0042"))).customer_id == "cust-2002"


async def test_two_customers_claiming_one_card_at_once_leave_it_with_one_of_them(
    customers: Stub,
) -> None:
    claims = [
        customers.UpdateProfile(update(a_profile(who, identities=[card("LC-7777")])))
        for who in ("cust-3001", "cust-3002", "cust-3003")
    ]
    answers = await asyncio.gather(*claims, return_exceptions=True)

    won = [a for a in answers if isinstance(a, pb.UpdateProfileResponse)]
    lost = [a for a in answers if isinstance(a, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 2
    assert {e.code() for e in lost} == {OK.ALREADY_EXISTS}
    holder = await find(customers, identity=card("LC-7777"))
    assert holder.customer_id == won[0].profile.customer_id


async def test_the_account_the_caller_signs_in_with_is_linked_and_kept(customers: Stub) -> None:
    web = pb.Identity(kind=WEB, value="cust-1001")
    await customers.UpdateProfile(update(a_profile(identities=[card("LC-1")]), account=web))

    app = pb.Identity(kind=APP, value="cust-1001")
    answer = await customers.UpdateProfile(
        update(a_profile(identities=[card("LC-2")]), "identities", account=app)
    )

    linked = [(i.kind, i.value) for i in answer.profile.identities]
    assert linked == [(WEB, "cust-1001"), (CARD, "LC-2"), (APP, "cust-1001")]


async def test_a_customer_is_found_by_email_phone_card_or_receipt_email(customers: Stub) -> None:
    receipts = pb.Identity(kind=RECEIPT_EMAIL, value="Till@Example.com")
    await saved(customers, a_profile(identities=[card("LC-0001"), receipts]))
    await saved(customers, a_profile("cust-2002", email="bob@example.com", phone=""))

    assert (await find(customers, email="ADA@example.com")).customer_id == "cust-1001"
    assert (await find(customers, email="till@example.com")).customer_id == "cust-1001"
    assert (await find(customers, phone="+31 6 12345678")).customer_id == "cust-1001"
    assert (await find(customers, identity=card("LC-0001"))).customer_id == "cust-1001"
    till = pb.Identity(kind=RECEIPT_EMAIL, value="till@example.com")
    assert (await find(customers, identity=till)).customer_id == "cust-1001"

    error = await refused(customers.FindCustomer(pb.FindCustomerRequest(identity=card("LC-9"))))
    assert (error.code, error.reason) == (OK.NOT_FOUND, "CUSTOMER_NOT_FOUND")


async def test_an_email_two_customers_share_is_ambiguous(customers: Stub) -> None:
    await saved(customers, a_profile("cust-1001", phone=""))
    await saved(customers, a_profile("cust-2002", phone=""))

    error = await refused(customers.FindCustomer(pb.FindCustomerRequest(email="ada@example.com")))

    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "CUSTOMER_AMBIGUOUS")
    assert error.metadata["matches"] == "2"


@pytest.mark.parametrize(
    ("profile", "mask", "fields"),
    [
        (a_profile(phone="0612345678"), (), ["profile.phone"]),
        (a_profile(locale="de-DE"), ("locale",), ["profile.locale"]),
        (a_profile(email="ada@"), (), ["profile.email"]),
        (a_profile(preferences=[prefer(PICKUP, 0)]), (), ["profile.preferences[0].channels[0]"]),
        (a_profile(preferences=[prefer(0, EMAIL)]), (), ["profile.preferences[0].kind"]),
        (a_profile(preferences=[prefer(PICKUP, 7)]), (), ["profile.preferences[0].channels[0]"]),
        (
            a_profile(phone="", preferences=[prefer(PICKUP, SMS)]),
            (),
            ["profile.preferences[0].channels[0]"],
        ),
        (a_profile(identities=[pb.Identity(value="x")]), (), ["profile.identities[0].kind"]),
        (a_profile(identities=[card("a\tb")]), (), ["profile.identities[0].value"]),
        (a_profile(), ("nickname",), ["update_mask[0]"]),
        (a_profile(customer_id="a b"), (), ["profile.customer_id"]),
    ],
    ids=[
        "national-phone",
        "locale",
        "email",
        "channel-unspecified",
        "kind-unspecified",
        "channel-unknown",
        "sms-without-phone",
        "identity-kind",
        "identity-value",
        "mask",
        "customer-id",
    ],
)
async def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    customers: Stub, profile: pb.CustomerProfile, mask: tuple[str, ...], fields: list[str]
) -> None:
    before = await saved(customers, a_profile(phone="", locale="en"))

    error = await refused(customers.UpdateProfile(update(profile, *mask)))

    assert error.code == OK.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == fields
    assert await profile_of(customers, "cust-1001") == before


async def test_a_find_names_one_criterion_in_its_form(customers: Stub) -> None:
    for request, field in [
        (pb.FindCustomerRequest(), "email"),
        (pb.FindCustomerRequest(email="nope"), "email"),
        (pb.FindCustomerRequest(phone="0612345678"), "phone"),
        (pb.FindCustomerRequest(identity=pb.Identity(kind=CARD)), "identity.value"),
    ]:
        error = await refused(customers.FindCustomer(request))
        assert (error.code, [v.field for v in error.violations]) == (OK.INVALID_ARGUMENT, [field])


async def test_opening_and_moving_an_order_answer_with_its_customers_profile_as_it_stands(
    database_url: str,
) -> None:
    """The worker addresses the message after OpenOrder or TransitionOrder from their answer:
    the profile as it stands then, without identities; none for a customer without one."""
    async with (
        served_orders(database_url) as target,
        grpc.aio.insecure_channel(target) as channel,
    ):
        customers = customers_pb2_grpc.CustomerServiceStub(channel)
        orders = orders_pb2_grpc.OrderServiceStub(channel)
        customer = f"cust-{secrets.token_hex(4)}"
        opened = await orders.OpenOrder(opening(an_order(customer_id=customer)))
        assert not opened.HasField("customer_profile")

        await saved(customers, a_profile(customer, identities=[card("LC-7001")]))
        moved = await orders.TransitionOrder(
            opb.TransitionOrderRequest(
                request_id=request_id(),
                order_id=opened.order.order_id,
                state=opb.ORDER_STATE_READY_FOR_PICKUP,
                event="order_picked",
                pickup_code="482913",
            )
        )
        assert moved.customer_profile.phone == "+31612345678"
        assert moved.customer_profile.locale == "fr"
        assert not moved.customer_profile.identities  # addressing needs none

        await saved(customers, a_profile(customer, phone="+33 6 12 34 56 78"), "phone")
        again = await orders.OpenOrder(opening(an_order(customer_id=customer)))
        assert again.customer_profile.phone == "+33612345678"
