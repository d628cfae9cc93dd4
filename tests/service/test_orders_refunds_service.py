"""Paying captured money back (RefundPayment) over real gRPC, on SQLite and PostgreSQL: never
more than was captured, and never twice for one request, even when the provider's answer is lost."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc

from clickcollect.common.v1.money_pb2 import Money as MoneyPb
from clickcollect.orders.v1 import orders_pb2 as pb
from services.orders.orders.domain import Money
from services.orders.payments.provider import ProviderResult, ProviderUnavailable, SandboxProvider
from tests.support.orders import create, eur, get, refused, request_id, running_orders

if TYPE_CHECKING:
    from tests.support.orders import Stub


class LosesFirstRefundAnswer(SandboxProvider):
    """Pays the first refund, then the connection drops before the answer arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.answers_to_lose = 1

    def refund(self, capture_ref: str, amount: Money, idempotency_key: str) -> ProviderResult:
        result = super().refund(capture_ref, amount, idempotency_key)
        if self.answers_to_lose:
            self.answers_to_lose -= 1
            raise ProviderUnavailable()
        return result


def refund(
    order_id: str, minor: int, rid: str | None = None, return_id: str = ""
) -> pb.RefundPaymentRequest:
    return pb.RefundPaymentRequest(
        request_id=rid or request_id(), order_id=order_id, amount=eur(minor), return_id=return_id
    )


async def captured(
    orders: Stub, authorized: int = 3000, taken: int = 2000
) -> tuple[str, pb.Payment]:
    """A new order with ``authorized`` held and ``taken`` of it captured: its id, the capture."""
    order = await create(orders)
    await orders.AuthorizePayment(
        pb.AuthorizePaymentRequest(
            request_id=request_id(),
            order_id=order.order_id,
            amount=eur(authorized),
            payment_method="pm_card_visa",
        )
    )
    capture = pb.CapturePaymentRequest(
        request_id=request_id(), order_id=order.order_id, amount=eur(taken)
    )
    return order.order_id, (await orders.CapturePayment(capture)).payment


async def refunds_of(orders: Stub, order_id: str) -> list[pb.Payment]:
    payments = (await get(orders, order_id)).payments
    return [p for p in payments if p.operation == pb.PAYMENT_OPERATION_REFUND]


async def test_partial_refunds_pay_back_at_most_what_was_captured(orders: Stub) -> None:
    order_id, capture = await captured(orders, authorized=3000, taken=2000)

    first = (await orders.RefundPayment(refund(order_id, 500, return_id="RET-0000000001"))).payment
    second = (await orders.RefundPayment(refund(order_id, 700))).payment
    too_much = await refused(orders.RefundPayment(refund(order_id, 801)))
    refunds_after_refusal = await refunds_of(orders, order_id)
    rest = (await orders.RefundPayment(refund(order_id, 800))).payment

    assert first.status == pb.PAYMENT_STATUS_SUCCEEDED and first.amount == eur(500)
    assert first.return_id == "RET-0000000001" and second.return_id == ""
    assert first.authorization_id == capture.authorization_id
    assert too_much.code == grpc.StatusCode.FAILED_PRECONDITION
    assert too_much.reason == "REFUND_EXCEEDS_CAPTURE"
    assert too_much.metadata == {
        "captured_minor": "2000",
        "refunded_minor": "1200",
        "requested_minor": "801",
    }
    assert refunds_after_refusal == [first, second]
    assert rest.status == pb.PAYMENT_STATUS_SUCCEEDED
    assert [p.amount.amount_minor for p in await refunds_of(orders, order_id)] == [500, 700, 800]
    timeline = [e.type for e in (await get(orders, order_id)).timeline]
    assert timeline.count("payment_refunded") == 3


async def test_refund_of_an_order_with_nothing_captured_is_refused(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(orders.RefundPayment(refund(order.order_id, 1)))

    assert error.reason == "REFUND_EXCEEDS_CAPTURE"
    assert error.metadata["captured_minor"] == "0"
    assert len((await get(orders, order.order_id)).payments) == 0


async def test_repeated_refund_returns_the_first_and_pays_once(
    orders: Stub, sandbox: SandboxProvider
) -> None:
    order_id, _ = await captured(orders)
    request = refund(order_id, 500)

    first = (await orders.RefundPayment(request)).payment
    again = (await orders.RefundPayment(request)).payment

    assert again == first
    assert await refunds_of(orders, order_id) == [first]
    assert [t.amount_minor for t in sandbox.moved_by("refund")] == [500]


async def test_concurrent_identical_refunds_pay_once(
    orders: Stub, sandbox: SandboxProvider
) -> None:
    order_id, _ = await captured(orders)
    request = refund(order_id, 500)

    racing = await asyncio.gather(*(orders.RefundPayment(request) for _ in range(5)))

    assert len({r.payment.payment_id for r in racing}) == 1
    assert len(await refunds_of(orders, order_id)) == 1
    assert len(sandbox.moved_by("refund")) == 1


async def test_refund_whose_answer_was_lost_is_retried_without_paying_twice(
    database_url: str,
) -> None:
    provider = LosesFirstRefundAnswer()
    async with running_orders(database_url, provider) as orders:
        order_id, _ = await captured(orders)
        request = refund(order_id, 500)

        lost = await refused(orders.RefundPayment(request))
        stored_after_loss = await refunds_of(orders, order_id)
        retried = (await orders.RefundPayment(request)).payment
        stored = await refunds_of(orders, order_id)

    assert lost.code == grpc.StatusCode.UNAVAILABLE
    assert lost.reason == "PAYMENT_PROVIDER_UNAVAILABLE"
    assert stored_after_loss == []
    assert retried.status == pb.PAYMENT_STATUS_SUCCEEDED and retried.amount == eur(500)
    assert stored == [retried]
    assert len(provider.moved_by("refund")) == 1


async def test_request_id_of_a_capture_cannot_be_reused_for_a_refund(orders: Stub) -> None:
    order_id, capture = await captured(orders)

    error = await refused(orders.RefundPayment(refund(order_id, 100, capture.idempotency_key)))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "REQUEST_ID_REUSED"
    assert await refunds_of(orders, order_id) == []


async def test_refund_request_with_bad_fields_names_each(orders: Stub) -> None:
    request = pb.RefundPaymentRequest(
        request_id="short",
        order_id="nope",
        amount=MoneyPb(amount_minor=-5, currency_code="euro"),
        return_id="RMA-0000000001",
    )

    error = await refused(orders.RefundPayment(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "request_id",
        "order_id",
        "amount.amount_minor",
        "amount.currency_code",
        "return_id",
    }


async def test_refund_in_another_currency_is_invalid(orders: Stub) -> None:
    order_id, _ = await captured(orders)
    request = refund(order_id, 500)
    request.amount.CopyFrom(MoneyPb(amount_minor=500, currency_code="USD"))

    error = await refused(orders.RefundPayment(request))

    assert [v.field for v in error.violations] == ["amount.currency_code"]
    assert await refunds_of(orders, order_id) == []
