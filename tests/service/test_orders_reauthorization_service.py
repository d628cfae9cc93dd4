"""Replacing a lapsing hold (ReauthorizePayment) over real gRPC, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
from services.orders.payments.provider import SandboxProvider
from tests.support.orders import create, eur, get, refused, request_id

if TYPE_CHECKING:
    from tests.support.orders import Stub

LIFETIME = timedelta(hours=168)


def reauthorize(
    order_id: str, method: str = "pm_card_mastercard", rid: str | None = None
) -> pb.ReauthorizePaymentRequest:
    return pb.ReauthorizePaymentRequest(
        request_id=rid or request_id(), order_id=order_id, payment_method=method
    )


async def authorized(orders: Stub, minor: int = 3000) -> tuple[pb.Order, pb.Payment]:
    order = await create(orders)
    request = pb.AuthorizePaymentRequest(
        request_id=request_id(),
        order_id=order.order_id,
        amount=eur(minor),
        payment_method="pm_card_visa",
    )
    return order, (await orders.AuthorizePayment(request)).payment


async def capture(orders: Stub, order_id: str, minor: int) -> pb.Payment:
    request = pb.CapturePaymentRequest(
        request_id=request_id(), order_id=order_id, amount=eur(minor)
    )
    return (await orders.CapturePayment(request)).payment


def kinds(order: pb.Order) -> list[tuple[str, str]]:
    return [
        (pb.PaymentOperation.Name(p.operation), pb.PaymentStatus.Name(p.status))
        for p in order.payments
    ]


async def test_reauthorization_holds_what_is_left_and_voids_the_old_hold(orders: Stub) -> None:
    order, old = await authorized(orders, 3000)
    await orders.ReduceAuthorization(
        pb.ReduceAuthorizationRequest(
            request_id=request_id(), order_id=order.order_id, amount=eur(500)
        )
    )
    before = datetime.now(UTC)

    new = (await orders.ReauthorizePayment(reauthorize(order.order_id))).payment

    assert new.operation == pb.PAYMENT_OPERATION_AUTHORIZE
    assert new.status == pb.PAYMENT_STATUS_SUCCEEDED
    assert new.amount == eur(2500) and new.payment_id != old.payment_id
    assert new.expire_time.ToDatetime(tzinfo=UTC) >= before + LIFETIME - timedelta(seconds=1)
    stored = await get(orders, order.order_id)
    void = stored.payments[-1]
    assert (void.operation, void.authorization_id) == (pb.PAYMENT_OPERATION_VOID, old.payment_id)
    assert "payment_reauthorized" in [event.type for event in stored.timeline]


async def test_capture_after_reauthorization_draws_on_the_new_hold(orders: Stub) -> None:
    order, _ = await authorized(orders, 3000)
    new = (await orders.ReauthorizePayment(reauthorize(order.order_id))).payment

    taken = await capture(orders, order.order_id, 3000)
    too_much = await refused(
        orders.CapturePayment(
            pb.CapturePaymentRequest(
                request_id=request_id(), order_id=order.order_id, amount=eur(1)
            )
        )
    )

    assert taken.authorization_id == new.payment_id
    assert too_much.reason == "CAPTURE_EXCEEDS_AUTHORIZATION"


async def test_repeated_reauthorization_returns_the_first_and_holds_once(
    orders: Stub, sandbox: SandboxProvider
) -> None:
    order, _ = await authorized(orders)
    request = reauthorize(order.order_id)

    first = (await orders.ReauthorizePayment(request)).payment
    again = (await orders.ReauthorizePayment(request)).payment

    assert again == first
    assert kinds(await get(orders, order.order_id)) == [
        ("PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_STATUS_SUCCEEDED"),
        ("PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_STATUS_SUCCEEDED"),
        ("PAYMENT_OPERATION_VOID", "PAYMENT_STATUS_SUCCEEDED"),
    ]
    assert len(sandbox.moved_by("authorize")) == 2 and len(sandbox.moved_by("void")) == 1


async def test_declined_reauthorization_is_recorded_and_the_old_hold_stays(orders: Stub) -> None:
    order, old = await authorized(orders, 3000)

    error = await refused(
        orders.ReauthorizePayment(reauthorize(order.order_id, method="pm_card_declined"))
    )
    taken = await capture(orders, order.order_id, 3000)

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "PAYMENT_DECLINED"
    assert error.metadata["decline_reason"] == "card_declined"
    assert taken.authorization_id == old.payment_id
    assert kinds(await get(orders, order.order_id))[:2] == [
        ("PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_STATUS_SUCCEEDED"),
        ("PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_STATUS_DECLINED"),
    ]


async def test_reauthorization_after_a_capture_is_refused(orders: Stub) -> None:
    order, _ = await authorized(orders, 3000)
    await capture(orders, order.order_id, 1000)

    error = await refused(orders.ReauthorizePayment(reauthorize(order.order_id)))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ALREADY_CAPTURED"
    assert len((await get(orders, order.order_id)).payments) == 2


async def test_reauthorization_without_a_hold_is_refused(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(orders.ReauthorizePayment(reauthorize(order.order_id)))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "NO_AUTHORIZATION"


async def test_reauthorization_request_with_bad_fields_names_each(orders: Stub) -> None:
    request = pb.ReauthorizePaymentRequest(request_id="short", order_id="nope")

    error = await refused(orders.ReauthorizePayment(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {"request_id", "order_id", "payment_method"}
