"""Routing activities: gather what the router needs from the stores and inventory services,
ask the pure router (workflows/routing.py), and record its decision on the order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.timeconv import to_timestamp
from workflows.calls import call
from workflows.order.route_types import (
    AllocationRow,
    ConvertHoldInput,
    PlanRouteInput,
    RecordRouteInput,
    RoutePlanResult,
)
from workflows.route_inputs import plan_for


class RoutingActivities:
    def __init__(
        self,
        stores: stores_pb2_grpc.StoreServiceAsyncStub,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
        max_sources: int = 2,
    ) -> None:
        self.stores = stores
        self.inventory = inventory
        self.orders = orders
        self.max_sources = max_sources

    @activity.defn
    async def plan_route(self, request: PlanRouteInput) -> RoutePlanResult:
        return await plan_for(
            call, self.stores, self.inventory, request, max_sources=self.max_sources
        )

    @activity.defn
    async def convert_hold(self, hold: ConvertHoldInput) -> list[AllocationRow]:
        """The hold becomes the order's reservation when it is the order's customer's (anyone
        else's conversion is refused, HOLD_NOT_FOUND, and leaves it as it is); returns what it
        holds where."""
        owner = hold.customer_id or await self._customer_of(hold.order_id)
        request = inventory_pb2.ConvertHoldRequest(
            reservation_id=hold.hold_id, order_id=hold.order_id, owner_id=owner
        )
        reservation = (await call(self.inventory.ConvertHold, request)).reservation
        return [AllocationRow(x.location_id, x.sku, x.quantity) for x in reservation.lines]

    async def _customer_of(self, order_id: str) -> str:
        """The customer the order was recorded for (the workflow records it first)."""
        request = orders_pb2.GetOrderRequest(order_id=order_id)
        return (await call(self.orders.GetOrder, request)).order.customer_id

    @activity.defn
    async def record_route(self, record: RecordRouteInput) -> None:
        plan = record.plan
        by_sku: dict[str, list[orders_pb2.Allocation]] = {}
        for allocation in plan.allocations:
            by_sku.setdefault(allocation.sku, []).append(
                orders_pb2.Allocation(
                    location_id=allocation.location_id, quantity=allocation.quantity
                )
            )
        kind = "SHIP_TO_STORE" if plan.shipments else "PICKUP_IN_STORE"
        request = orders_pb2.RecordRouteRequest(
            request_id=record.request_id,
            order_id=record.order_id,
            fulfillment_type=orders_pb2.FulfillmentType.Value(f"FULFILLMENT_TYPE_{kind}"),
            lines=[
                orders_pb2.LineAllocation(line_number=number, allocations=by_sku.get(sku, []))
                for number, sku in sorted(record.line_skus.items())
            ],
            explanation=[
                orders_pb2.RouteCandidate(
                    location_id=c.location_id,
                    verdict=c.verdict,
                    reason=c.reason,
                    ready_by=to_timestamp(c.ready_by),
                    distance_km=c.distance_km,
                )
                for c in plan.explanation
            ],
            ready_by=to_timestamp(plan.ready_by),
        )
        await call(self.orders.RecordRoute, request)

    def all(self) -> list[Callable[..., Any]]:
        return [self.plan_route, self.convert_hold, self.record_route]
