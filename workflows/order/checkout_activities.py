"""The checkout in two calls (orders of workflow version 1 on): secure the stock — the pickup
store's shelf first, with one conditional reservation; when it falls short, routed from other
locations (re-planned at once when a concurrent buyer took the units first) — then open the order
in the orders service: recorded, routed, paid and, to pick at the shelf, accepted, in one
transaction. A refused checkout is recorded in one call too."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.fields import clipped
from services.common.timeconv import to_timestamp
from services.stores.hours import opening_time_after
from workflows.calls import call
from workflows.order.activity_types import AuthorizationResult
from workflows.order.order_records import line_skus, order_record, route_record
from workflows.order.payment_activities import authorization_of
from workflows.order.route_types import (
    MAX_ROUTE_ATTEMPTS,
    AllocationRow,
    CandidateRow,
    PlanRouteInput,
    RoutePlanResult,
    out_of_stock,
)
from workflows.order.types import PickupStore, PlaceOrderInput
from workflows.route_inputs import StoreDirectory, plan_for
from workflows.ship_to_store.types import TransferLineInput

SHELF = "PICKUP_IN_STORE"


@dataclass
class SecureStockInput:
    reservation_id: str
    order_id: str
    pickup_store_id: str
    lines: list[TransferLineInput]
    now: datetime


@dataclass
class OpenOrderInput:
    request_id: str
    order: PlaceOrderInput
    plan: RoutePlanResult
    store: PickupStore
    accepted_at: datetime


@dataclass
class OpenedOrder:
    authorization: AuthorizationResult
    # To pick at the shelf: when the pick is due (also the promised ready-by).
    pick_deadline: datetime | None = None
    # The order as the orders service answered (clickcollect.orders.v1.Order, base64).
    order_view: str = ""


@dataclass
class RejectOrderInput:
    request_id: str
    order: PlaceOrderInput
    reason: str
    detail: str


class CheckoutActivities:
    def __init__(
        self,
        stores: stores_pb2_grpc.StoreServiceAsyncStub,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
        max_sources: int = 2,
    ) -> None:
        self.directory = StoreDirectory(call, stores)
        self.inventory = inventory
        self.orders = orders
        self.max_sources = max_sources

    @activity.defn
    async def secure_stock(self, request: SecureStockInput) -> RoutePlanResult:
        """Reserves the basket; returns where each unit comes from. OUT_OF_STOCK (what was
        asked, what is available) when no plan can supply it."""
        store = request.pickup_store_id
        try:
            held = await self._reserve(
                request, [AllocationRow(store, x.sku, x.quantity) for x in request.lines]
            )
        except ApplicationError as refused:
            if refused.type != "OUT_OF_STOCK":
                raise
            return await self._routed(request)
        if all(row.location_id == store for row in held):
            return _shelf_plan(store, held)
        # a retry finding the reservation an earlier attempt routed: plan what it holds
        fixed = PlanRouteInput(store, request.lines, request.now, fixed=held)
        return await plan_for(self.directory, self.inventory, fixed, self.max_sources)

    async def _routed(self, request: SecureStockInput) -> RoutePlanResult:
        refused: ApplicationError | None = None
        for _ in range(MAX_ROUTE_ATTEMPTS):
            ask = PlanRouteInput(request.pickup_store_id, request.lines, request.now)
            plan = await plan_for(self.directory, self.inventory, ask, self.max_sources)
            if not plan.routable:
                raise out_of_stock(request.lines, plan.missing)
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
        self, request: SecureStockInput, rows: list[AllocationRow]
    ) -> list[AllocationRow]:
        """Reserves the rows all or nothing; returns what the reservation holds (a repeat of
        its id returns what the first attempt reserved)."""
        reserve = inventory_pb2.ReserveRequest(
            reservation_id=request.reservation_id,
            order_id=request.order_id,
            lines=[
                inventory_pb2.ReservationLine(
                    location_id=r.location_id, sku=r.sku, quantity=r.quantity
                )
                for r in rows
            ],
        )
        reservation = (await call(self.inventory.Reserve, reserve)).reservation
        return [AllocationRow(x.location_id, x.sku, x.quantity) for x in reservation.lines]

    @activity.defn
    async def open_order(self, request: OpenOrderInput) -> OpenedOrder:
        """Records the order with its route and authorization; to pick at the shelf it is
        accepted at once (AWAITING_PICK, the pick due after the store's pick time counted in
        opening hours). PAYMENT_DECLINED: the order is recorded REJECTED."""
        order, plan, store = request.order, request.plan, request.store
        opening = orders_pb2.OpenOrderRequest(
            request_id=request.request_id,
            order=order_record(order),
            route=route_record("", order.order_id, plan, line_skus(order)),
            payment_method=order.payment_method,
            view=orders_pb2.ORDER_VIEW_FULL,
        )
        deadline = None
        if not plan.shipments:
            deadline = opening_time_after(
                request.accepted_at,
                store.pick_deadline_minutes,
                store.opening_hours,
                store.time_zone,
            )
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
        view = base64.b64encode(opened.order.SerializeToString()).decode()
        return OpenedOrder(authorization_of(opened.authorization), deadline, view)

    @activity.defn
    async def reject_order(self, request: RejectOrderInput) -> None:
        """Records a refused checkout (out of stock …): the order REJECTED, nothing held."""
        rejected = orders_pb2.OpenOrderRequest(
            request_id=request.request_id,
            order=order_record(request.order),
            transition=orders_pb2.TransitionOrderRequest(
                state=orders_pb2.ORDER_STATE_REJECTED,
                event="order_rejected",
                detail=clipped(request.detail),
                state_reason=request.reason,
            ),
            view=orders_pb2.ORDER_VIEW_BASIC,
        )
        await call(self.orders.OpenOrder, rejected)

    def all(self) -> list[Callable[..., Any]]:
        return [self.secure_stock, self.open_order, self.reject_order]


def _shelf_plan(store_id: str, held: list[AllocationRow]) -> RoutePlanResult:
    why = CandidateRow(store_id, "CHOSEN", "the pickup store's shelf covers the basket")
    return RoutePlanResult(SHELF, held, [], None, [why])
