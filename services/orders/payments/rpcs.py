"""OrderService's money RPCs: authorize, capture, void, reduce, re-authorize, refund; one
transaction each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common import ids
from services.common.db import Database
from services.common.errors import FailedPrecondition
from services.common.fields import PAYMENT_METHOD_RULE, is_payment_method
from services.common.server import Context
from services.common.timeconv import utcnow
from services.orders.checks import checked
from services.orders.orders.convert import money_from_proto
from services.orders.orders.domain import Money
from services.orders.payments.convert import payment_to_proto
from services.orders.payments.domain import check_amount
from services.orders.payments.handlers import PaymentDesk
from services.orders.payments.provider import PaymentProvider
from services.orders.payments.tables import PaymentRow

AmountRequest = pb.CapturePaymentRequest | pb.ReduceAuthorizationRequest
AmountMove = Callable[[PaymentDesk, str, str, Money], PaymentRow]


class PaymentRpcs(orders_pb2_grpc.OrderServiceServicer):
    db: Database
    provider: PaymentProvider
    authorization_lifetime: timedelta

    def _desk(self, session: Session) -> PaymentDesk:
        return PaymentDesk(session, self.provider, utcnow(), self.authorization_lifetime)

    async def _move_amount(self, request: AmountRequest, move: AmountMove) -> pb.Payment:
        """Captures or reduces the amount the request names, in one transaction."""
        v = checked(request.order_id, request.request_id)
        amount = money_from_proto(request.amount)
        check_amount(v, amount)
        v.raise_if_any()

        def work(s: Session) -> pb.Payment:
            moved = move(self._desk(s), request.order_id, request.request_id, amount)
            return payment_to_proto(moved)

        return refuse_declined(await self.db.run(work))

    async def AuthorizePayment(
        self, request: pb.AuthorizePaymentRequest, context: Context
    ) -> pb.AuthorizePaymentResponse:
        v = checked(request.order_id, request.request_id)
        amount = money_from_proto(request.amount)
        check_amount(v, amount)
        v.check(is_payment_method(request.payment_method), "payment_method", PAYMENT_METHOD_RULE)
        v.raise_if_any()

        def work(s: Session) -> pb.Payment:
            return payment_to_proto(
                self._desk(s).authorize(
                    request.order_id, request.request_id, amount, request.payment_method
                )
            )

        return pb.AuthorizePaymentResponse(payment=refuse_declined(await self.db.run(work)))

    async def CapturePayment(
        self, request: pb.CapturePaymentRequest, context: Context
    ) -> pb.CapturePaymentResponse:
        captured = await self._move_amount(request, PaymentDesk.capture)
        return pb.CapturePaymentResponse(payment=captured)

    async def VoidPayment(
        self, request: pb.VoidPaymentRequest, context: Context
    ) -> pb.VoidPaymentResponse:
        checked(request.order_id, request.request_id).raise_if_any()

        def work(s: Session) -> pb.Payment:
            return payment_to_proto(self._desk(s).void(request.order_id, request.request_id))

        return pb.VoidPaymentResponse(payment=refuse_declined(await self.db.run(work)))

    async def ReduceAuthorization(
        self, request: pb.ReduceAuthorizationRequest, context: Context
    ) -> pb.ReduceAuthorizationResponse:
        reduced = await self._move_amount(request, PaymentDesk.reduce)
        return pb.ReduceAuthorizationResponse(payment=reduced)

    async def ReauthorizePayment(
        self, request: pb.ReauthorizePaymentRequest, context: Context
    ) -> pb.ReauthorizePaymentResponse:
        v = checked(request.order_id, request.request_id)
        v.check(is_payment_method(request.payment_method), "payment_method", PAYMENT_METHOD_RULE)
        v.raise_if_any()

        def work(s: Session) -> pb.Payment:
            return payment_to_proto(
                self._desk(s).reauthorize(
                    request.order_id, request.request_id, request.payment_method
                )
            )

        return pb.ReauthorizePaymentResponse(payment=refuse_declined(await self.db.run(work)))

    async def RefundPayment(
        self, request: pb.RefundPaymentRequest, context: Context
    ) -> pb.RefundPaymentResponse:
        v = checked(request.order_id, request.request_id)
        amount = money_from_proto(request.amount)
        check_amount(v, amount)
        if request.return_id:
            v.check(
                ids.is_return_id(request.return_id), "return_id", "must look like RET-XXXXXXXXXX"
            )
        v.raise_if_any()

        def work(s: Session) -> pb.Payment:
            return payment_to_proto(
                self._desk(s).refund(
                    request.order_id, request.request_id, amount, request.return_id
                )
            )

        return pb.RefundPaymentResponse(payment=refuse_declined(await self.db.run(work)))


def refuse_declined(payment: pb.Payment) -> pb.Payment:
    """A declined movement is stored (so a repeat answers the same) and then refused."""
    if payment.status == pb.PAYMENT_STATUS_DECLINED:
        raise FailedPrecondition(
            "PAYMENT_DECLINED",
            f"the payment provider declined: {payment.decline_reason or 'no reason given'}",
            {"decline_reason": payment.decline_reason, "payment_id": payment.payment_id},
        )
    return payment
