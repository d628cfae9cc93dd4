"""Releasing part of a hold (ReduceAuthorization), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.db import Database
from services.common.timeconv import utcnow
from services.orders.orders import handlers
from services.orders.orders.convert import from_proto
from services.orders.orders.domain import Money, normalized
from services.orders.payments.handlers import PaymentDesk
from services.orders.payments.provider import ProviderResult, SandboxProvider
from services.orders.server import TABLE_MODULES
from tests.support.orders import (
    an_order,
    cancel_request,
    create,
    eur,
    get,
    new_order_id,
    refused,
    request_id,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub


def reduce(order_id: str, minor: int, rid: str | None = None) -> pb.ReduceAuthorizationRequest:
    return pb.ReduceAuthorizationRequest(
        request_id=rid or request_id(), order_id=order_id, amount=eur(minor)
    )


async def authorized(orders: Stub, minor: int = 3000) -> pb.Order:
    order = await create(orders)
    await orders.AuthorizePayment(
        pb.AuthorizePaymentRequest(
            request_id=request_id(),
            order_id=order.order_id,
            amount=eur(minor),
            payment_method="pm_card_visa",
        )
    )
    return order


async def capture(orders: Stub, order_id: str, minor: int) -> pb.Payment:
    request = pb.CapturePaymentRequest(
        request_id=request_id(), order_id=order_id, amount=eur(minor)
    )
    return (await orders.CapturePayment(request)).payment


async def test_reduction_releases_part_of_the_hold_once(orders: Stub) -> None:
    order = await authorized(orders, 3000)
    request = reduce(order.order_id, 1250)

    first = (await orders.ReduceAuthorization(request)).payment
    again = (await orders.ReduceAuthorization(request)).payment

    assert first.operation == pb.PAYMENT_OPERATION_REVERSE
    assert first.status == pb.PAYMENT_STATUS_SUCCEEDED
    assert first.amount == eur(1250) and first.provider_reference
    assert again == first
    stored = await get(orders, order.order_id)
    assert [p.operation for p in stored.payments] == [
        pb.PAYMENT_OPERATION_AUTHORIZE,
        pb.PAYMENT_OPERATION_REVERSE,
    ]
    assert [e.type for e in stored.timeline].count("authorization_reduced") == 1


async def test_capture_after_a_reduction_takes_at_most_what_is_left(orders: Stub) -> None:
    order = await authorized(orders, 3000)
    await orders.ReduceAuthorization(reduce(order.order_id, 1250))

    too_much = await refused(capture(orders, order.order_id, 1751))
    rest = await capture(orders, order.order_id, 1750)

    assert too_much.reason == "CAPTURE_EXCEEDS_AUTHORIZATION"
    assert too_much.metadata["reversed_minor"] == "1250"
    assert rest.status == pb.PAYMENT_STATUS_SUCCEEDED


async def test_reducing_more_than_is_held_is_refused_and_changes_nothing(orders: Stub) -> None:
    order = await authorized(orders, 3000)
    await capture(orders, order.order_id, 1000)
    await orders.ReduceAuthorization(reduce(order.order_id, 1500))
    before = await get(orders, order.order_id)

    error = await refused(orders.ReduceAuthorization(reduce(order.order_id, 501)))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "REVERSAL_EXCEEDS_AUTHORIZATION"
    assert error.metadata == {
        "authorized_minor": "3000",
        "captured_minor": "1000",
        "reversed_minor": "1500",
        "requested_minor": "501",
    }
    assert await get(orders, order.order_id) == before


async def test_reduction_needs_a_live_authorization(orders: Stub) -> None:
    never = await create(orders)
    voided = await authorized(orders)
    await orders.VoidPayment(
        pb.VoidPaymentRequest(request_id=request_id(), order_id=voided.order_id)
    )

    errors = [
        await refused(orders.ReduceAuthorization(reduce(order.order_id, 100)))
        for order in (never, voided)
    ]

    assert [(e.code, e.reason) for e in errors] == [
        (grpc.StatusCode.FAILED_PRECONDITION, "NO_AUTHORIZATION")
    ] * 2
    assert len((await get(orders, voided.order_id)).payments) == 2


async def test_reduction_amount_must_be_a_positive_sum_in_the_order_currency(
    orders: Stub,
) -> None:
    order = await authorized(orders)
    zero = reduce(order.order_id, 0)
    dollars = reduce(order.order_id, 100)
    dollars.amount.currency_code = "USD"

    errors = [await refused(orders.ReduceAuthorization(r)) for r in (zero, dollars)]

    assert [[v.field for v in e.violations] for e in errors] == [
        ["amount.amount_minor"],
        ["amount.currency_code"],
    ]
    assert len((await get(orders, order.order_id)).payments) == 1


async def test_reduction_of_an_unknown_order_is_not_found(orders: Stub) -> None:
    error = await refused(orders.ReduceAuthorization(reduce(new_order_id(), 100)))

    assert error.code == grpc.StatusCode.NOT_FOUND


async def test_short_pick_cancels_a_line_releases_its_money_and_captures_the_rest(
    orders: Stub,
) -> None:
    order = await authorized(orders, 3000)  # 2 x 12.50 + 1 x 5.00

    shorter = (await orders.CancelLines(cancel_request(order.order_id, {1: 1}))).order
    await orders.ReduceAuthorization(reduce(order.order_id, 1250))
    taken = await capture(orders, order.order_id, shorter.total.amount_minor)

    assert shorter.total == eur(1750)
    assert taken.amount == eur(1750)
    void_error = await refused(
        orders.VoidPayment(pb.VoidPaymentRequest(request_id=request_id(), order_id=order.order_id))
    )
    assert void_error.reason == "ALREADY_CAPTURED"


class CountingProvider(SandboxProvider):
    def __init__(self) -> None:
        super().__init__()
        self.reversals = 0

    def reverse(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult:
        self.reversals += 1
        return super().reverse(authorization_ref, amount, idempotency_key)


async def test_repeated_reduction_does_not_ask_the_provider_again(database_url: str) -> None:
    db = Database(database_url)
    db.create_all(*TABLE_MODULES)
    provider = CountingProvider()
    order = normalized(from_proto(an_order()))
    db.run_sync(lambda s: handlers.create_order(s, order, None, utcnow()))
    db.run_sync(
        lambda s: PaymentDesk(s, provider, utcnow()).authorize(
            order.order_id, request_id(), Money(3000, "EUR"), "pm_card_visa"
        )
    )
    rid = request_id()

    payments = [
        await db.run(
            lambda s: PaymentDesk(s, provider, utcnow()).reduce(
                order.order_id, rid, Money(500, "EUR")
            )
        )
        for _ in range(3)
    ]

    db.dispose()
    assert provider.reversals == 1
    assert len({p.payment_id for p in payments}) == 1
