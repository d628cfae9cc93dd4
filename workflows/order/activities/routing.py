"""Routing activities: gather what the router needs from the stores and inventory services,
ask the pure router (``services.routing``), and record its decision on the order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from services.routing.network import StoreDirectory, plan_for
from workflows.calls import call
from workflows.contracts.orders import AllocationRow
from workflows.order.activities.records import route_record
from workflows.order.activities.route_types import (
    ConvertHoldInput,
    PlanRouteInput,
    RecordRouteInput,
    RoutePlanResult,
    route_request,
    to_result,
)
from workflows.shared.recipients import Contacts


class RoutingActivities:
    def __init__(
        self,
        stores: stores_pb2_grpc.StoreServiceAsyncStub,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
        max_sources: int = 2,
        contacts: Contacts | None = None,
    ) -> None:
        self.directory = StoreDirectory(call, stores)
        self.contacts = contacts or Contacts(None)
        self.stores = stores
        self.inventory = inventory
        self.orders = orders
        self.max_sources = max_sources

    @activity.defn
    async def plan_route(self, request: PlanRouteInput) -> RoutePlanResult:
        return to_result(
            await plan_for(self.directory, self.inventory, route_request(request), self.max_sources)
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
        request = route_record(record.request_id, record.order_id, record.plan, record.line_skus)
        await call(self.orders.RecordRoute, request)

    def all(self) -> list[Callable[..., Any]]:
        return [self.plan_route, self.convert_hold, self.record_route]
