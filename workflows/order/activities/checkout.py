"""The checkout in one activity (a local one: orders of workflow version 1 on): the pickup store
(as the gateway read it, or read here), the stock secured — the store's shelf first, with one
conditional reservation; when it falls short, routed from other locations, re-planned at once
when a concurrent buyer took the units first — then the order opened in the orders service:
recorded, routed, paid and, to pick at the shelf, accepted, in one transaction.

A refusal is recorded before it is raised (non-retryable, the service's reason): out of stock —
the order REJECTED with what was asked and what is available; payment declined (recorded
REJECTED by the orders service) or any other refusal of the opening — the stock released. Every
call is idempotent, so a retried activity repeats none of them."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.fields import clipped
from services.common.timeconv import to_timestamp
from services.routing.network import plan_for
from workflows.calls import call
from workflows.contracts.orders import (
    AllocationRow,
    CandidateRow,
    PaymentLink,
    PickupStore,
    PlaceOrderInput,
    pickup_store_of,
)
from workflows.contracts.transfers import TransferLineInput
from workflows.order.activities.capacity import counting, shelf_promise
from workflows.order.activities.payment import authorization_of
from workflows.order.activities.records import line_skus, order_record, route_record
from workflows.order.activities.route_types import (
    MAX_ROUTE_ATTEMPTS,
    PlanRouteInput,
    RoutePlanResult,
    out_of_stock,
    route_request,
    to_result,
)
from workflows.order.activities.routing import RoutingActivities
from workflows.order.activities.types import AuthorizationResult
from workflows.shared.recipients import profile_in

SHELF = "PICKUP_IN_STORE"


@dataclass
class CheckOutInput:
    request_id: str
    reservation_id: str
    order: PlaceOrderInput
    now: datetime


@dataclass
class CheckedOut:
    store: PickupStore
    plan: RoutePlanResult
    authorization: AuthorizationResult
    # To pick at the shelf: accepted (AWAITING_PICK), the pick due then (also the ready-by).
    pick_deadline: datetime | None = None
    # The order as the orders service answered (clickcollect.orders.v1.Order, base64).
    order_view: str = ""


class CheckoutActivities(RoutingActivities):
    """The checkout, with the routing activities' clients and store directory."""

    @activity.defn
    async def check_out(self, request: CheckOutInput) -> CheckedOut:
        order = request.order
        store = order.store or await self._pickup_store(order.pickup_store_id)
        lines = [TransferLineInput(line.sku, line.quantity) for line in order.lines]
        queued = counting(self.orders, store, order.order_id)  # beside the reservation
        try:
            plan = await self._secure(request, lines)
        except ApplicationError as refused:
            if refused.non_retryable:
                await self._reject(request, refused)
            raise
        try:
            return await self._open(request, store, plan, queued)
        except ApplicationError as refused:
            if refused.non_retryable:  # declined or refused: nothing stays held
                release = inventory_pb2.ReleaseRequest(
                    reservation_id=request.reservation_id, reason=refused.type or "refused"
                )
                await call(self.inventory.Release, release)
            raise

    async def _pickup_store(self, store_id: str) -> PickupStore:
        request = stores_pb2.GetLocationRequest(location_id=store_id)
        return pickup_store_of((await call(self.stores.GetLocation, request)).location)

    async def _secure(
        self, request: CheckOutInput, lines: list[TransferLineInput]
    ) -> RoutePlanResult:
        """Reserves the basket; returns where each unit comes from. OUT_OF_STOCK (what was
        asked, what is available) when no plan can supply it."""
        store = request.order.pickup_store_id
        shelf = [AllocationRow(store, line.sku, line.quantity) for line in lines]
        try:
            held = await self._reserve(request, shelf)
        except ApplicationError as refused:
            if refused.type != "OUT_OF_STOCK":
                raise
            return await self._routed(request, lines)
        if all(row.location_id == store for row in held):
            return _shelf_plan(store, held)
        # a retry finding the reservation an earlier attempt routed: plan what it holds
        fixed = PlanRouteInput(store, lines, request.now, fixed=held)
        return to_result(
            await plan_for(self.directory, self.inventory, route_request(fixed), self.max_sources)
        )

    async def _routed(
        self, request: CheckOutInput, lines: list[TransferLineInput]
    ) -> RoutePlanResult:
        refused: ApplicationError | None = None
        for _ in range(MAX_ROUTE_ATTEMPTS):
            ask = PlanRouteInput(request.order.pickup_store_id, lines, request.now)
            plan = to_result(
                await plan_for(self.directory, self.inventory, route_request(ask), self.max_sources)
            )
            if not plan.routable:
                raise out_of_stock(lines, plan.missing).error()
            try:
                await self._reserve(request, plan.allocations)
                return plan
            except ApplicationError as error:
                if error.type != "OUT_OF_STOCK":
                    raise
                refused = error  # a concurrent buyer got there first: plan again, at once
        assert refused is not None
        raise refused

    async def _reserve(
        self, request: CheckOutInput, rows: list[AllocationRow]
    ) -> list[AllocationRow]:
        """Reserves the rows all or nothing; returns what the reservation holds (a repeat of
        its id returns what the first attempt reserved)."""
        reserve = inventory_pb2.ReserveRequest(
            reservation_id=request.reservation_id,
            order_id=request.order.order_id,
            lines=[
                inventory_pb2.ReservationLine(
                    location_id=row.location_id, sku=row.sku, quantity=row.quantity
                )
                for row in rows
            ],
        )
        reservation = (await call(self.inventory.Reserve, reserve)).reservation
        return [AllocationRow(x.location_id, x.sku, x.quantity) for x in reservation.lines]

    async def _open(
        self,
        request: CheckOutInput,
        store: PickupStore,
        plan: RoutePlanResult,
        queued: asyncio.Task[int],
    ) -> CheckedOut:
        """Records the order with its route and authorization; to pick at the shelf it is
        accepted at once (AWAITING_PICK, the pick due after the store's pick time counted in
        opening hours, later at a busy store: store capacity, the orders ``queued`` there
        counted). PAYMENT_DECLINED: the order is recorded REJECTED."""
        order = request.order
        opening = orders_pb2.OpenOrderRequest(
            request_id=request.request_id,
            order=order_record(order),
            route=route_record("", order.order_id, plan, line_skus(order)),
            payment_method=order.payment_method,
            view=orders_pb2.ORDER_VIEW_FULL,
        )
        deadline = None
        if order.payment_link is not None:  # paid later by the link: it waits, stock held
            opening.transition.CopyFrom(_awaiting_payment(order.payment_link, store))
        elif not plan.shipments:
            deadline = shelf_promise(store, request.now, await queued)
            opening.transition.CopyFrom(
                orders_pb2.TransitionOrderRequest(
                    state=orders_pb2.ORDER_STATE_AWAITING_PICK,
                    event="order_accepted",
                    detail=f"to pick at {store.name}",
                    ready_by=to_timestamp(deadline),
                    pick_deadline=to_timestamp(deadline),
                )
            )
        opened = await call(self.orders.OpenOrder, opening)
        self.contacts.learned(order.customer_id, profile_in(opened))
        view = base64.b64encode(opened.order.SerializeToString()).decode()
        authorization = authorization_of(opened.authorization)
        return CheckedOut(store, plan, authorization, deadline, view)

    async def _reject(self, request: CheckOutInput, refused: ApplicationError) -> None:
        """Records a refused checkout (out of stock …): the order REJECTED, nothing held."""
        rejected = orders_pb2.OpenOrderRequest(
            request_id=request.request_id,
            order=order_record(request.order),
            transition=orders_pb2.TransitionOrderRequest(
                state=orders_pb2.ORDER_STATE_REJECTED,
                event="order_rejected",
                detail=clipped(refused.message),
                state_reason=refused.type or "",
            ),
            view=orders_pb2.ORDER_VIEW_BASIC,
        )
        await call(self.orders.OpenOrder, rejected)

    def all(self) -> list[Callable[..., Any]]:
        return [self.check_out]


def _awaiting_payment(link: PaymentLink, store: PickupStore) -> orders_pb2.TransitionOrderRequest:
    """The first state of an order paid by a link: nothing authorized, the stock reserved."""
    return orders_pb2.TransitionOrderRequest(
        state=orders_pb2.ORDER_STATE_AWAITING_PAYMENT,
        event="payment_link_sent",
        detail=f"to pay by the link sent to the customer, for pickup at {store.name}",
        payment_due_time=to_timestamp(link.due),
    )


def _shelf_plan(store_id: str, held: list[AllocationRow]) -> RoutePlanResult:
    why = CandidateRow(store_id, "CHOSEN", "the pickup store's shelf covers the basket")
    return RoutePlanResult(SHELF, held, [], None, [why])
