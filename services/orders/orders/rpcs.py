"""OrderService over gRPC: check the request, run one use case in one transaction, answer."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common import ids, paging
from services.common.db import Database
from services.common.errors import Violations
from services.common.server import GrpcService, build_server
from services.common.timeconv import utcnow
from services.orders import handlers, tables
from services.orders import repository as repo
from services.orders.checks import REQUEST_ID_RULE, Context, checked
from services.orders.config import OrdersSettings
from services.orders.convert import (
    from_proto,
    payment_to_proto,
    states_from_proto,
    to_proto,
    transition_from_proto,
    wants_full,
)
from services.orders.domain import (
    normalized,
    validate_event,
    validate_new_order,
    validate_transition,
)
from services.orders.fulfillment_rpcs import FulfillmentRpcs
from services.orders.opening import open_order
from services.orders.opening_convert import opening_from_proto
from services.orders.payment_handlers import AUTHORIZATION_LIFETIME
from services.orders.payment_rpcs import PaymentRpcs, refuse_declined
from services.orders.payments import PaymentProvider, provider_for
from services.orders.returns import tables as return_tables
from services.orders.returns.policy import ReturnWindows
from services.orders.returns.rpcs import ReturnRpcs


class OrderServicer(PaymentRpcs, FulfillmentRpcs, ReturnRpcs):
    """Orders and their timeline here; money in PaymentRpcs, fulfillment in FulfillmentRpcs,
    returns in ReturnRpcs."""

    def __init__(
        self,
        db: Database,
        provider: PaymentProvider,
        authorization_lifetime: timedelta = AUTHORIZATION_LIFETIME,
        return_windows: ReturnWindows | None = None,
    ) -> None:
        self.db = db
        self.provider = provider
        self.authorization_lifetime = authorization_lifetime
        self.return_windows = return_windows or ReturnWindows()

    async def CreateOrder(
        self, request: pb.CreateOrderRequest, context: Context
    ) -> pb.CreateOrderResponse:
        v = Violations()
        if request.request_id:
            v.check(ids.is_request_id(request.request_id), "request_id", REQUEST_ID_RULE)
        validate_new_order(from_proto(request.order), v)
        order = normalized(from_proto(request.order))
        request_id = request.request_id or None
        full = wants_full(request.view)
        view = await self.db.run(
            lambda s: to_proto(
                handlers.answer(s, handlers.create_order(s, order, request_id, utcnow()), full)
            )
        )
        return pb.CreateOrderResponse(order=view)

    async def OpenOrder(
        self, request: pb.OpenOrderRequest, context: Context
    ) -> pb.OpenOrderResponse:
        v = Violations()
        v.check(ids.is_request_id(request.request_id), "request_id", REQUEST_ID_RULE)
        opening, full = opening_from_proto(request, v), wants_full(request.view)

        def work(s: Session) -> tuple[pb.Order, pb.Payment | None]:
            row, payment = open_order(
                s, self.provider, self.authorization_lifetime, opening, request.request_id, utcnow()
            )
            authorization = payment_to_proto(payment) if payment is not None else None
            return to_proto(handlers.answer(s, row, full)), authorization

        order, authorization = await self.db.run(work)
        if authorization is not None:
            refuse_declined(authorization)
        return pb.OpenOrderResponse(order=order, authorization=authorization)

    async def TransitionOrder(
        self, request: pb.TransitionOrderRequest, context: Context
    ) -> pb.TransitionOrderResponse:
        change = transition_from_proto(request)
        validate_transition(change, checked(request.order_id, request.request_id))
        full = wants_full(request.view)

        def work(s: Session) -> pb.Order:
            row = handlers.transition_order(
                s, request.order_id, change, request.request_id, utcnow()
            )
            return to_proto(handlers.answer(s, row, full))

        return pb.TransitionOrderResponse(order=await self.db.run(work))

    async def RecordOrderEvent(
        self, request: pb.RecordOrderEventRequest, context: Context
    ) -> pb.RecordOrderEventResponse:
        validate_event(request.event, request.detail, checked(request.order_id, request.request_id))
        flags = {
            name: getattr(request, name)
            for name in ("pick_overdue", "pickup_locked")
            if request.HasField(name)
        }

        full = wants_full(request.view)

        def work(s: Session) -> pb.Order:
            row = handlers.record_event(
                s,
                request.order_id,
                request.event,
                request.detail,
                flags,
                request.request_id,
                utcnow(),
            )
            return to_proto(handlers.answer(s, row, full))

        return pb.RecordOrderEventResponse(order=await self.db.run(work))

    async def GetOrder(self, request: pb.GetOrderRequest, context: Context) -> pb.GetOrderResponse:
        checked(request.order_id).raise_if_any()
        order = await self.db.read(lambda s: to_proto(handlers.get_order(s, request.order_id)))
        return pb.GetOrderResponse(order=order)

    async def ListOrders(
        self, request: pb.ListOrdersRequest, context: Context
    ) -> pb.ListOrdersResponse:
        v = Violations()
        v.check(ids.is_customer_id(request.customer_id), "customer_id", "malformed")
        v.raise_if_any()
        size, offset = paging.page_size(request.page_size), paging.decode_token(request.page_token)

        def work(s: Session) -> list[pb.Order]:
            rows = repo.customer_orders(s, request.customer_id, offset, size + 1)
            return [to_proto(view) for view in handlers.views_of(s, rows)]

        orders = await self.db.read(work)
        return pb.ListOrdersResponse(
            orders=orders[:size], next_page_token=paging.next_token(offset, size, len(orders))
        )

    async def ListStoreOrders(
        self, request: pb.ListStoreOrdersRequest, context: Context
    ) -> pb.ListStoreOrdersResponse:
        v = Violations()
        v.check(
            ids.is_location_id(request.store_id), "store_id", "must be a store id like STORE-001"
        )
        states = states_from_proto(request.states)
        for i, state in enumerate(states):
            v.check(state is not None, f"states[{i}]", "must be a known order state")
        v.raise_if_any()
        size, offset = paging.page_size(request.page_size), paging.decode_token(request.page_token)
        wanted = [state for state in states if state is not None]

        def work(s: Session) -> list[pb.Order]:
            rows = repo.store_orders(
                s, request.store_id, wanted, request.overdue_only, offset, size + 1
            )
            return [to_proto(view, store_view=True) for view in handlers.views_of(s, rows)]

        orders = await self.db.read(work)
        return pb.ListStoreOrdersResponse(
            orders=orders[:size], next_page_token=paging.next_token(offset, size, len(orders))
        )


async def create_server(
    settings: OrdersSettings, provider: PaymentProvider | None = None
) -> GrpcService:
    """The service; ``provider`` replaces the one the settings name (tests inject their own)."""
    provider = provider or provider_for(settings.payment_provider)
    db = Database(settings.database_url)
    db.create_all(tables, return_tables)
    windows = ReturnWindows(
        settings.return_window_days_web,
        settings.return_window_days_app,
        settings.return_window_days_store,
    )
    servicer = OrderServicer(db, provider, settings.authorization_lifetime, windows)

    async def on_stop() -> None:
        db.dispose()

    return build_server(
        settings,
        [lambda server: orders_pb2_grpc.add_OrderServiceServicer_to_server(servicer, server)],
        [pb.DESCRIPTOR.services_by_name["OrderService"].full_name],
        on_stop,
    )
