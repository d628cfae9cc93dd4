"""OrderService's return RPCs: open, receive, refund, expire, read; one transaction each."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common import ids
from services.common.db import Database
from services.common.errors import FailedPrecondition, Violations
from services.common.server import Context
from services.common.timeconv import from_timestamp, utcnow
from services.orders.checks import REQUEST_ID_RULE
from services.orders.orders.answers import OrderAnswers
from services.orders.orders.domain import check_client_request_id
from services.orders.payments.convert import payment_to_proto
from services.orders.payments.provider import PaymentProvider
from services.orders.returns import handlers
from services.orders.returns.convert import (
    items_from_proto,
    new_return_from_proto,
    return_to_proto,
)
from services.orders.returns.domain import check_items, validate_new_return
from services.orders.returns.policy import ReturnWindows


class ReturnRpcs(orders_pb2_grpc.OrderServiceServicer):
    db: Database
    views: OrderAnswers
    provider: PaymentProvider
    return_windows: ReturnWindows

    async def CreateReturn(
        self, request: pb.CreateReturnRequest, context: Context
    ) -> pb.CreateReturnResponse:
        new = new_return_from_proto(request)
        validate_new_return(new, _checked(None, request.request_id))
        at = from_timestamp(request.request_time) or utcnow()

        def work(s: Session) -> tuple[pb.Return, pb.Order]:
            ret, order = handlers.create_return(
                s, new, request.request_id, at, self.return_windows, utcnow()
            )
            return return_to_proto(ret.ret, ret.lines), self.views.answer(s, order, True)

        ret, order = await self.db.run(work)
        return pb.CreateReturnResponse(order_return=ret, order=order)

    async def ReceiveReturn(
        self, request: pb.ReceiveReturnRequest, context: Context
    ) -> pb.ReceiveReturnResponse:
        v = _checked(request.return_id, request.request_id)
        location = request.receiving_location_id
        v.check(ids.is_location_id(location), "receiving_location_id", "a location like DC-01")
        items = items_from_proto(request.items)
        check_items(items, v, conditions_required=True)
        check_client_request_id(request.client_request_id, v)
        v.raise_if_any("INVALID_RECEIPT")
        client_request_id = request.client_request_id

        def work(s: Session) -> pb.Return:
            ret = handlers.receive_return(
                s,
                request.return_id,
                location,
                items,
                request.request_id,
                utcnow(),
                client_request_id,
            )
            return return_to_proto(ret.ret, ret.lines)

        return pb.ReceiveReturnResponse(order_return=await self.db.run(work))

    async def RefundReturn(
        self, request: pb.RefundReturnRequest, context: Context
    ) -> pb.RefundReturnResponse:
        _checked(request.return_id, request.request_id).raise_if_any()

        def work(s: Session) -> tuple[pb.Return, pb.Payment]:
            ret, payment = handlers.refund_return(
                s, self.provider, request.return_id, request.request_id, utcnow()
            )
            return return_to_proto(ret.ret, ret.lines), payment_to_proto(payment)

        ret, payment = await self.db.run(work)
        if payment.status == pb.PAYMENT_STATUS_DECLINED:
            raise FailedPrecondition(
                "PAYMENT_DECLINED",
                f"the refund was declined: {payment.decline_reason or 'no reason given'}",
                {"decline_reason": payment.decline_reason, "payment_id": payment.payment_id},
            )
        return pb.RefundReturnResponse(order_return=ret, payment=payment)

    async def ExpireReturn(
        self, request: pb.ExpireReturnRequest, context: Context
    ) -> pb.ExpireReturnResponse:
        _checked(request.return_id, request.request_id).raise_if_any()

        def work(s: Session) -> pb.Return:
            ret = handlers.expire_return(s, request.return_id, request.request_id, utcnow())
            return return_to_proto(ret.ret, ret.lines)

        return pb.ExpireReturnResponse(order_return=await self.db.run(work))

    async def GetReturn(
        self, request: pb.GetReturnRequest, context: Context
    ) -> pb.GetReturnResponse:
        _checked(request.return_id).raise_if_any()

        def work(s: Session) -> pb.Return:
            ret = handlers.get_return(s, request.return_id)
            return return_to_proto(ret.ret, ret.lines)

        return pb.GetReturnResponse(order_return=await self.db.read(work))


def _checked(return_id: str | None, request_id: str | None = None) -> Violations:
    """Starts the request's violations with its ids (None: not in this request)."""
    v = Violations()
    if return_id is not None:
        v.check(ids.is_return_id(return_id), "return_id", "must look like RET-XXXXXXXXXX")
    if request_id is not None:
        v.check(ids.is_request_id(request_id), "request_id", REQUEST_ID_RULE)
    return v
