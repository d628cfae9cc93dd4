"""A customer known in every channel, through the public gateway and the real processes: a
profile made at the web checkout, an order placed without typing the e-mail again, a till sale
with the loyalty card, and the counter finding all of it by phone, card or e-mail."""

from __future__ import annotations

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, profiles_pb2
from deploy.local.stack import Stack
from services.common.ids import order_id_for
from services.gateway.domain import Role
from tests.e2e.profiles_support import (
    APP,
    CARD,
    EMAIL,
    PICKUP,
    SMS,
    WEB,
    a_profile,
    card,
    look_up,
    new_card,
    new_customer,
    new_phone,
    profile,
    sale,
    update,
)
from tests.e2e.returns_support import delivered
from tests.support.gateway import Caller, bearer, refused, token

OK = grpc.StatusCode
MUG = "MUG-CERAMIC"
UNSPECIFIED_CHANNEL = profiles_pb2.ChannelPreference(
    kind=PICKUP, channels=[profiles_pb2.MESSAGE_CHANNEL_UNSPECIFIED]
)


@pytest.fixture(autouse=True)
async def shelves_stocked(stack: Stack) -> None:
    """Mugs on the shelf for each journey, whatever earlier tests sold."""
    await delivered(stack, "STORE-001", MUG, 3)


async def test_a_profile_then_an_order_without_email_then_the_counter_finds_every_channel(
    gateway_channel: grpc.aio.Channel, terminal: Caller
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    error = await refused(profile(customer))
    assert (error.code, error.reason) == (OK.NOT_FOUND, "PROFILE_NOT_FOUND")

    number = new_card()
    preferences = [profiles_pb2.ChannelPreference(kind=PICKUP, channels=[SMS, EMAIL])]
    phone = new_phone()
    sent = a_profile("zoe@example.com", phone, locale="fr-FR", preferences=preferences)
    sent.identities.append(card(number))
    made = await update(customer, sent, request_id="profile-journey-1")
    assert (made.customer_id, made.phone, made.locale) == (customer_id, phone, "fr")
    assert [(i.kind, i.value) for i in made.identities] == [(CARD, number), (WEB, customer_id)]
    assert await profile(customer) == made

    online = await customer.place((MUG, 1), customer_email="")
    assert online.customer_email == "zoe@example.com"
    till = await sale(terminal, MUG, loyalty_card=number)
    assert till.customer_id == customer_id and till.channel == order_views_pb2.CHANNEL_STORE

    for by in ({"phone": phone.replace("+316", "+31 6 ")}, {"loyalty_card": number}):
        found = await look_up(terminal, **by)
        assert {online.order_id, till.order_id} <= {o.order_id for o in found.orders}
        summary = found.customer
        assert (summary.customer_id, summary.email, summary.phone, summary.locale) == (
            customer_id,
            "zoe@example.com",
            phone,
            "fr",
        )
        assert summary.has_loyalty_card and number.encode() not in found.SerializeToString()
    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(), metadata=customer.metadata
    )
    assert {online.order_id, till.order_id} <= {o.order_id for o in history.orders}


async def test_a_repeated_update_gets_the_first_answer_and_the_app_links_its_account(
    gateway_channel: grpc.aio.Channel,
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    first = await update(customer, a_profile("yan@example.com"), request_id="profile-repeat-1")
    await update(customer, a_profile("yan@example.com", locale="nl"), "locale")

    again = await update(customer, a_profile("yan@example.com"), request_id="profile-repeat-1")
    from_app = await update(
        customer, a_profile("", locale="nl-NL"), "locale", channel=order_views_pb2.CHANNEL_APP
    )

    assert again == first
    assert (from_app.email, from_app.locale) == ("yan@example.com", "nl")
    linked = [(i.kind, i.value) for i in from_app.identities]
    assert linked == [(WEB, customer_id), (APP, customer_id)]


@pytest.mark.parametrize(
    ("sent", "mask", "field"),
    [
        (a_profile("ada@example.com", phone="0612345678"), "phone", "profile.phone"),
        (a_profile("ada@example.com", locale="de-DE"), "locale", "profile.locale"),
        (a_profile("ada@"), "email", "profile.email"),
        (
            a_profile("a@b.co", preferences=[UNSPECIFIED_CHANNEL]),
            "preferences",
            "profile.preferences[0].channels[0]",
        ),
        (
            a_profile("a@b.co", identities=[profiles_pb2.LinkedIdentity(value="LC-1")]),
            "identities",
            "profile.identities[0].kind",
        ),
        (
            a_profile("a@b.co", identities=[card("x" * 129)]),
            "identities",
            "profile.identities[0].value",
        ),
    ],
    ids=["phone", "locale", "email", "channel", "identity-kind", "identity-value"],
)
async def test_bad_profile_input_is_refused_naming_the_field_and_changes_nothing(
    gateway_channel: grpc.aio.Channel,
    sent: profiles_pb2.CustomerProfile,
    mask: str,
    field: str,
) -> None:
    _, customer = new_customer(gateway_channel)
    before = await update(customer, a_profile("ada@example.com", locale="en"))

    error = await refused(update(customer, sent, mask))

    assert (error.code, [v.field for v in error.violations]) == (OK.INVALID_ARGUMENT, [field])
    assert await profile(customer) == before


async def test_profiles_are_the_customers_own_and_a_card_is_one_customers(
    gateway_channel: grpc.aio.Channel, terminal: Caller, customer: Caller
) -> None:
    owner_id, owner = new_customer(gateway_channel)
    number = new_card()
    mine = await update(owner, a_profile("own@example.com", identities=[card(number)]))
    _, intruder = new_customer(gateway_channel)
    ops = Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))

    for caller in (terminal, ops):
        for call in (profile(caller), update(caller, a_profile("x@example.com"))):
            error = await refused(call)
            assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    error = await refused(look_up(customer, customer_id=owner_id))
    assert error.code == OK.PERMISSION_DENIED
    taken = await refused(update(intruder, a_profile("i@example.com", identities=[card(number)])))
    assert (taken.code, taken.reason) == (OK.ALREADY_EXISTS, "IDENTITY_TAKEN")
    other = a_profile("i@example.com", customer_id=owner_id)
    error = await refused(update(intruder, other))
    assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "PROFILE_OF_ANOTHER_CUSTOMER")
    assert await profile(owner) == mine
    assert (await refused(profile(intruder))).code == OK.NOT_FOUND


async def test_an_order_without_email_needs_one_on_the_profile(
    gateway_channel: grpc.aio.Channel,
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    error = await refused(customer.place((MUG, 1), customer_email="", request_id="no-email-0001"))
    assert (error.code, [v.field for v in error.violations]) == (
        OK.INVALID_ARGUMENT,
        ["customer_email"],
    )
    await update(customer, a_profile("", phone="+31612345678"))
    error = await refused(customer.place((MUG, 1), customer_email="", request_id="no-email-0001"))
    assert [v.field for v in error.violations] == ["customer_email"]

    ops = Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))
    lookup = checkout_pb2.GetOrderRequest(order_id=order_id_for(customer_id, "no-email-0001"))
    error = await refused(ops.checkout.GetOrder(lookup, metadata=ops.metadata))
    assert (error.code, error.reason) == (OK.NOT_FOUND, "ORDER_NOT_FOUND")


async def test_a_card_nobody_linked_never_stops_a_sale_and_the_counter_says_who_is_unknown(
    gateway_channel: grpc.aio.Channel, terminal: Caller
) -> None:
    unknown = await sale(terminal, MUG, loyalty_card=new_card())
    assert unknown.customer_id == "anonymous"
    customer_id, customer = new_customer(gateway_channel)
    receipts = profiles_pb2.LinkedIdentity(
        kind=profiles_pb2.IDENTITY_KIND_RECEIPT_EMAIL, value=f"{customer_id}@Till.example.com"
    )
    await update(customer, a_profile("", phone="", identities=[receipts]))
    by_receipt = await sale(terminal, MUG, customer_email=f"{customer_id}@till.example.com")
    assert by_receipt.customer_id == customer_id

    both = await refused(sale(terminal, MUG, customer_id=customer_id, loyalty_card="LC-1"))
    assert [v.field for v in both.violations] == ["loyalty_card"]
    for by, reason in [
        ({"phone": new_phone(), "email": "a@b.co"}, "INVALID_REQUEST"),
        ({"phone": new_phone()}, "CUSTOMER_NOT_FOUND"),
        ({"loyalty_card": new_card()}, "CUSTOMER_NOT_FOUND"),
        ({"email": "nobody-at-all@example.com"}, "CUSTOMER_NOT_FOUND"),
    ]:
        error = await refused(look_up(terminal, **by))
        assert error.reason == reason, by
