"""OrderService's OpenOrder: the order recorded, routed, its payment authorized and its first
state set, in one transaction."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common import ids
from services.common.db import Database
from services.common.errors import Violations
from services.common.server import Context
from services.common.timeconv import utcnow
from services.orders.checks import REQUEST_ID_RULE
from services.orders.customers.rpcs import contact_of
from services.orders.opening.convert import opening_from_proto
from services.orders.opening.handlers import open_order
from services.orders.orders.answers import OrderAnswers
from services.orders.orders.convert import wants_full
from services.orders.payments.convert import payment_to_proto
from services.orders.payments.provider import PaymentProvider
from services.orders.payments.rpcs import refuse_declined


class OpeningRpcs(orders_pb2_grpc.OrderServiceServicer):
    db: Database
    views: OrderAnswers
    provider: PaymentProvider
    authorization_lifetime: timedelta

    async def OpenOrder(
        self, request: pb.OpenOrderRequest, context: Context
    ) -> pb.OpenOrderResponse:
        v = Violations()
        v.check(ids.is_request_id(request.request_id), "request_id", REQUEST_ID_RULE)
        opening, full = opening_from_proto(request, v), wants_full(request.view)

        def work(s: Session) -> pb.OpenOrderResponse:
            row, payment = open_order(
                s, self.provider, self.authorization_lifetime, opening, request.request_id, utcnow()
            )
            return pb.OpenOrderResponse(
                order=self.views.answer(s, row, full),
                authorization=payment_to_proto(payment) if payment is not None else None,
                customer_profile=None if opening.refused else contact_of(s, row.customer_id),
            )

        opened = await self.db.run(work)
        if opened.HasField("authorization"):
            refuse_declined(opened.authorization)
        return opened
