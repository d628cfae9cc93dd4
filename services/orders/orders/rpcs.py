"""OrderService's order RPCs: create, transition, record an event, get and list; one transaction
each."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common import ids, paging
from services.common.db import Database
from services.common.errors import Violations
from services.common.server import Context
from services.common.timeconv import utcnow
from services.orders.checks import REQUEST_ID_RULE, checked
from services.orders.customers.rpcs import contact_of
from services.orders.orders import handlers
from services.orders.orders import repository as repo
from services.orders.orders.answers import OrderAnswers
from services.orders.orders.convert import (
    facts_from_proto,
    from_proto,
    states_from_proto,
    transition_from_proto,
    wants_full,
)
from services.orders.orders.domain import (
    normalized,
    validate_event,
    validate_new_order,
    validate_transition,
)
from services.orders.orders.facts import validate_facts


class OrderRpcs(orders_pb2_grpc.OrderServiceServicer):
    """Orders and their timeline: create, transition, record an event, read and list."""

    db: Database
    views: OrderAnswers

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
            lambda s: self.views.answer(
                s, handlers.create_order(s, order, request_id, utcnow()), full
            )
        )
        return pb.CreateOrderResponse(order=view)

    async def TransitionOrder(
        self, request: pb.TransitionOrderRequest, context: Context
    ) -> pb.TransitionOrderResponse:
        change = transition_from_proto(request)
        validate_transition(change, checked(request.order_id, request.request_id))
        full = wants_full(request.view)

        def work(s: Session) -> pb.TransitionOrderResponse:
            row = handlers.transition_order(
                s, request.order_id, change, request.request_id, utcnow()
            )
            return pb.TransitionOrderResponse(
                order=self.views.answer(s, row, full),
                customer_profile=contact_of(s, row.customer_id),
            )

        return await self.db.run(work)

    async def RecordOrderEvent(
        self, request: pb.RecordOrderEventRequest, context: Context
    ) -> pb.RecordOrderEventResponse:
        facts = facts_from_proto(request)
        v = checked(request.order_id, request.request_id)
        validate_facts(facts, v)
        validate_event(request.event, request.detail, v)
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
                facts,
            )
            return self.views.answer(s, row, full)

        return pb.RecordOrderEventResponse(order=await self.db.run(work))

    async def GetOrder(self, request: pb.GetOrderRequest, context: Context) -> pb.GetOrderResponse:
        checked(request.order_id).raise_if_any()
        order = await self.db.read(
            lambda s: self.views.answer(s, handlers.require_order(s, request.order_id), True)
        )
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
            return self.views.answer_all(s, rows)

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
            return self.views.answer_all(s, rows, store_view=True)

        orders = await self.db.read(work)
        return pb.ListStoreOrdersResponse(
            orders=orders[:size], next_page_token=paging.next_token(offset, size, len(orders))
        )
