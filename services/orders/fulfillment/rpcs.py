"""OrderService's fulfillment RPCs: route, cancel lines, shipments; one transaction each."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common.db import Database
from services.common.server import Context
from services.common.timeconv import utcnow
from services.orders.checks import checked
from services.orders.fulfillment import handlers
from services.orders.fulfillment.convert import (
    cancellations_from_proto,
    route_from_proto,
    shipment_from_proto,
)
from services.orders.fulfillment.domain import validate_cancellations, validate_route
from services.orders.fulfillment.shipments import validate_shipment
from services.orders.orders.answers import OrderAnswers
from services.orders.orders.convert import wants_full


class FulfillmentRpcs(orders_pb2_grpc.OrderServiceServicer):
    db: Database
    views: OrderAnswers

    async def RecordRoute(
        self, request: pb.RecordRouteRequest, context: Context
    ) -> pb.RecordRouteResponse:
        route = route_from_proto(request)
        validate_route(route, checked(request.order_id, request.request_id))
        order_id, request_id = request.order_id, request.request_id
        full = wants_full(request.view)

        def work(s: Session) -> pb.Order:
            row = handlers.record_route(s, order_id, route, request_id, utcnow())
            return self.views.answer(s, row, full)

        return pb.RecordRouteResponse(order=await self.db.run(work))

    async def CancelLines(
        self, request: pb.CancelLinesRequest, context: Context
    ) -> pb.CancelLinesResponse:
        cancellations = cancellations_from_proto(request)
        validate_cancellations(
            cancellations, request.reason, checked(request.order_id, request.request_id)
        )

        full = wants_full(request.view)

        def work(s: Session) -> pb.Order:
            row = handlers.cancel_lines(
                s, request.order_id, cancellations, request.reason, request.request_id, utcnow()
            )
            return self.views.answer(s, row, full)

        return pb.CancelLinesResponse(order=await self.db.run(work))

    async def RecordShipment(
        self, request: pb.RecordShipmentRequest, context: Context
    ) -> pb.RecordShipmentResponse:
        shipment = shipment_from_proto(request.shipment)
        v = checked(request.order_id, request.request_id)
        validate_shipment(request.order_id, shipment, request.event, request.detail, v)

        full = wants_full(request.view)

        def work(s: Session) -> pb.Order:
            row = handlers.record_shipment(
                s,
                request.order_id,
                shipment,
                request.event,
                request.detail,
                request.request_id,
                utcnow(),
            )
            return self.views.answer(s, row, full)

        return pb.RecordShipmentResponse(order=await self.db.run(work))
