"""Money on orders over real gRPC: authorize, capture, void through the sandbox provider."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.orders.v1 import orders_pb2 as pb
from tests.support.orders import (
    create,
    eur,
    get,
    move,
    new_order_id,
    refused,
    request_id,
    running_orders,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub


def authorize(
    order_id: str, minor: int = 3000, method: str = "pm_card_visa", rid: str | None = None
) -> pb.AuthorizePaymentRequest:
    return pb.AuthorizePaymentRequest(
        request_id=rid or request_id(), order_id=order_id, amount=eur(minor), payment_method=method
    )


def capture(order_id: str, minor: int, rid: str | None = None) -> pb.CapturePaymentRequest:
    return pb.CapturePaymentRequest(
        request_id=rid or request_id(), order_id=order_id, amount=eur(minor)
    )


def void(order_id: str, rid: str | None = None) -> pb.VoidPaymentRequest:
    return pb.VoidPaymentRequest(request_id=rid or request_id(), order_id=order_id)


async def test_authorization_is_listed_on_the_order(orders: Stub) -> None:
    order = await create(orders)
    request = authorize(order.order_id)

    payment = (await orders.AuthorizePayment(request)).payment

    assert payment.operation == pb.PAYMENT_OPERATION_AUTHORIZE
    assert payment.status == pb.PAYMENT_STATUS_SUCCEEDED
    assert payment.amount == eur(3000)
    assert payment.provider == "sandbox" and payment.provider_reference
    assert payment.idempotency_key == request.request_id
    stored = await get(orders, order.order_id)
    assert list(stored.payments) == [payment]
    assert stored.timeline[-1].type == "payment_authorized"


@pytest.mark.parametrize("hours", [None, 2])
async def test_authorization_lapses_after_the_configured_lifetime(
    database_url: str, hours: int | None
) -> None:
    settings = {} if hours is None else {"authorization_lifetime_hours": hours}
    lifetime = timedelta(hours=hours or 168)
    async with running_orders(database_url, None, **settings) as orders:
        order = await create(orders)
        before = datetime.now(UTC)
        payment = (await orders.AuthorizePayment(authorize(order.order_id))).payment
        after = datetime.now(UTC)
        listed = (await get(orders, order.order_id)).payments[0]

    expire = payment.expire_time.ToDatetime(tzinfo=UTC)
    assert before + lifetime - timedelta(seconds=1) <= expire <= after + lifetime
    assert listed.expire_time == payment.expire_time


async def test_repeated_authorization_returns_the_first_and_moves_no_more_money(
    orders: Stub,
) -> None:
    order = await create(orders)
    request = authorize(order.order_id)

    first = (await orders.AuthorizePayment(request)).payment
    again = (await orders.AuthorizePayment(request)).payment
    racing = await asyncio.gather(*(orders.AuthorizePayment(request) for _ in range(4)))

    assert again == first
    assert {r.payment.payment_id for r in racing} == {first.payment_id}
    assert len((await get(orders, order.order_id)).payments) == 1


async def test_second_authorization_while_one_is_held_is_refused(orders: Stub) -> None:
    order = await create(orders)
    await orders.AuthorizePayment(authorize(order.order_id))

    error = await refused(orders.AuthorizePayment(authorize(order.order_id)))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ALREADY_AUTHORIZED"


@pytest.mark.parametrize(
    ("card", "reason"),
    [("pm_card_declined", "card_declined"), ("pm_card_insufficient_funds", "insufficient_funds")],
)
async def test_declined_authorization_is_recorded_and_refused(
    orders: Stub, card: str, reason: str
) -> None:
    order = await create(orders)
    request = authorize(order.order_id, method=card)

    error = await refused(orders.AuthorizePayment(request))
    repeat = await refused(orders.AuthorizePayment(request))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "PAYMENT_DECLINED"
    assert error.metadata["decline_reason"] == reason
    assert repeat.metadata == error.metadata
    payments = (await get(orders, order.order_id)).payments
    assert [(p.status, p.decline_reason) for p in payments] == [
        (pb.PAYMENT_STATUS_DECLINED, reason)
    ]
    capture_error = await refused(orders.CapturePayment(capture(order.order_id, 100)))
    assert capture_error.reason == "NO_AUTHORIZATION"


async def test_new_card_after_a_decline_is_authorized(orders: Stub) -> None:
    order = await create(orders)
    await refused(orders.AuthorizePayment(authorize(order.order_id, method="pm_card_declined")))

    payment = (await orders.AuthorizePayment(authorize(order.order_id))).payment

    assert payment.status == pb.PAYMENT_STATUS_SUCCEEDED


@pytest.mark.parametrize("method", ["", "visa-4242", "pm_bank_transfer"])
async def test_malformed_payment_method_is_invalid_and_records_nothing(
    orders: Stub, method: str
) -> None:
    order = await create(orders)

    error = await refused(orders.AuthorizePayment(authorize(order.order_id, method=method)))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["payment_method"]
    assert len((await get(orders, order.order_id)).payments) == 0


async def test_amount_in_another_currency_is_invalid(orders: Stub) -> None:
    order = await create(orders)
    request = authorize(order.order_id)
    request.amount.CopyFrom(Money(amount_minor=3000, currency_code="USD"))

    error = await refused(orders.AuthorizePayment(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["amount.currency_code"]


async def test_payment_on_unknown_order_is_not_found(orders: Stub) -> None:
    error = await refused(orders.AuthorizePayment(authorize(new_order_id())))

    assert error.code == grpc.StatusCode.NOT_FOUND


async def test_closed_order_cannot_be_authorized(orders: Stub) -> None:
    order = await create(orders)
    await move(orders, order.order_id, pb.ORDER_STATE_REJECTED, state_reason="OUT_OF_STOCK")

    error = await refused(orders.AuthorizePayment(authorize(order.order_id)))

    assert error.reason == "ORDER_CLOSED"


async def test_capture_takes_at_most_what_was_authorized_and_a_repeat_captures_once(
    orders: Stub,
) -> None:
    order = await create(orders)
    await orders.AuthorizePayment(authorize(order.order_id, 3000))
    rid = request_id()

    first = (await orders.CapturePayment(capture(order.order_id, 2000, rid))).payment
    again = (await orders.CapturePayment(capture(order.order_id, 2000, rid))).payment
    too_much = await refused(orders.CapturePayment(capture(order.order_id, 1001)))
    rest = (await orders.CapturePayment(capture(order.order_id, 1000))).payment

    assert first.operation == pb.PAYMENT_OPERATION_CAPTURE and first.amount == eur(2000)
    assert again == first
    assert too_much.code == grpc.StatusCode.FAILED_PRECONDITION
    assert too_much.reason == "CAPTURE_EXCEEDS_AUTHORIZATION"
    assert too_much.metadata["captured_minor"] == "2000"
    assert rest.status == pb.PAYMENT_STATUS_SUCCEEDED
    captured = [
        p.amount.amount_minor
        for p in (await get(orders, order.order_id)).payments
        if p.operation == pb.PAYMENT_OPERATION_CAPTURE
    ]
    assert captured == [2000, 1000]


async def test_capture_more_than_authorized_is_refused(orders: Stub) -> None:
    order = await create(orders)
    await orders.AuthorizePayment(authorize(order.order_id, 3000))

    error = await refused(orders.CapturePayment(capture(order.order_id, 3001)))

    assert error.reason == "CAPTURE_EXCEEDS_AUTHORIZATION"
    assert error.metadata["authorized_minor"] == "3000"
    assert len((await get(orders, order.order_id)).payments) == 1


async def test_capture_without_authorization_is_refused(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(orders.CapturePayment(capture(order.order_id, 100)))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "NO_AUTHORIZATION"


async def test_void_lets_the_hold_go_once(orders: Stub) -> None:
    order = await create(orders)
    auth = (await orders.AuthorizePayment(authorize(order.order_id, 3000))).payment
    rid = request_id()

    voided = (await orders.VoidPayment(void(order.order_id, rid))).payment
    again = (await orders.VoidPayment(void(order.order_id, rid))).payment
    other_request = (await orders.VoidPayment(void(order.order_id))).payment
    capture_error = await refused(orders.CapturePayment(capture(order.order_id, 100)))

    assert voided.operation == pb.PAYMENT_OPERATION_VOID and voided.amount == auth.amount
    assert again == voided and other_request == voided
    assert capture_error.reason == "NO_AUTHORIZATION"
    assert len((await get(orders, order.order_id)).payments) == 2


async def test_void_without_authorization_returns_an_empty_payment(orders: Stub) -> None:
    order = await create(orders)

    response = await orders.VoidPayment(void(order.order_id))

    assert response.payment == pb.Payment()
    assert len((await get(orders, order.order_id)).payments) == 0


async def test_void_after_capture_is_refused(orders: Stub) -> None:
    order = await create(orders)
    await orders.AuthorizePayment(authorize(order.order_id, 3000))
    await orders.CapturePayment(capture(order.order_id, 3000))

    error = await refused(orders.VoidPayment(void(order.order_id)))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ALREADY_CAPTURED"


async def test_request_id_of_one_operation_cannot_be_reused_for_another(orders: Stub) -> None:
    order = await create(orders)
    rid = request_id()
    await orders.AuthorizePayment(authorize(order.order_id, rid=rid))

    error = await refused(orders.CapturePayment(capture(order.order_id, 100, rid)))

    assert error.reason == "REQUEST_ID_REUSED"
    assert len((await get(orders, order.order_id)).payments) == 1


async def test_payment_request_with_bad_fields_names_each(orders: Stub) -> None:
    request = pb.CapturePaymentRequest(
        request_id="short", order_id="nope", amount=Money(amount_minor=0, currency_code="euro")
    )

    error = await refused(orders.CapturePayment(request))

    assert {v.field for v in error.violations} == {
        "request_id",
        "order_id",
        "amount.amount_minor",
        "amount.currency_code",
    }
