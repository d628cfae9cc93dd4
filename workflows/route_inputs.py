"""What the router needs, read from the services: the pickup store, every location with a lane
to it, the lanes, and available-to-promise for the basket at all of them. Shared by the
`plan_route` activity and the gateway's pickup options (each passes its own way of calling)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from workflows import routing
from workflows.order.route_types import (
    AllocationRow,
    CandidateRow,
    PlanRouteInput,
    RoutePlanResult,
    ShipmentPlan,
)
from workflows.ship_to_store.types import (
    TransferLineInput,
)

Call = Callable[[Any, Any], Awaitable[Any]]


async def plan_for(
    call: Call,
    stores: stores_pb2_grpc.StoreServiceAsyncStub,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    request: PlanRouteInput,
    max_sources: int = 2,
) -> RoutePlanResult:
    pickup = await _location(call, stores, request.pickup_store_id)
    lanes = await _lanes_to(call, stores, pickup.location_id)
    sources = await _shipping_locations(call, stores, {lane.source_id for lane in lanes})
    ids = [pickup.location_id, *(s.location_id for s in sources)]
    skus = sorted({line.sku for line in request.lines})
    stock = inventory_pb2.GetStockRequest(location_ids=ids, skus=skus)
    levels = (await call(inventory.GetStock, stock)).levels
    excluded = set(request.exclude)
    atp = {
        (x.location_id, x.sku): 0 if x.location_id in excluded else x.available_to_promise
        for x in levels
    }
    if request.fixed:
        fixed = [routing.Allocation(a.location_id, a.sku, a.quantity) for a in request.fixed]
        held = routing.plan_allocations(
            fixed,
            _site(pickup, pickup_role=True),
            [_site(source, pickup_role=False) for source in sources],
            [routing.Lane(x.source_id, x.destination_id, x.transit_days) for x in lanes],
            request.now,
        )
        return to_result(held)
    result = routing.route(
        basket=[routing.BasketLine(line.sku, line.quantity) for line in request.lines],
        pickup=_site(pickup, pickup_role=True),
        sources=[_site(source, pickup_role=False) for source in sources],
        lanes=[
            routing.Lane(lane.source_id, lane.destination_id, lane.transit_days) for lane in lanes
        ],
        atp=atp,
        policy=routing.RoutingPolicy(max_sources=max_sources),
        now=request.now,
    )
    return to_result(result)


async def _lanes_to(
    call: Call, stores: stores_pb2_grpc.StoreServiceAsyncStub, destination_id: str
) -> list[stores_pb2.Lane]:
    lanes: list[stores_pb2.Lane] = []
    token = ""
    while True:
        page = await call(
            stores.ListLanes,
            stores_pb2.ListLanesRequest(
                destination_id=destination_id, page_size=200, page_token=token
            ),
        )
        lanes.extend(page.lanes)
        token = page.next_page_token
        if not token:
            return lanes


async def _shipping_locations(
    call: Call, stores: stores_pb2_grpc.StoreServiceAsyncStub, wanted: set[str]
) -> list[stores_pb2.Location]:
    """The lanes' sources in one paged listing, not one call per source (checkout hot path)."""
    found: list[stores_pb2.Location] = []
    token = ""
    while wanted:
        ask = stores_pb2.ListLocationsRequest(
            capability=stores_pb2.CAPABILITY_SHIP_FROM, page_size=200, page_token=token
        )
        page = await call(stores.ListLocations, ask)
        found += [x for x in page.locations if x.location_id in wanted]
        token = page.next_page_token
        if not token:
            break
    return found


async def _location(
    call: Call, stores: stores_pb2_grpc.StoreServiceAsyncStub, location_id: str
) -> stores_pb2.Location:
    request = stores_pb2.GetLocationRequest(location_id=location_id)
    return (await call(stores.GetLocation, request)).location


def _site(location: stores_pb2.Location, pickup_role: bool) -> routing.Site:
    settings = location.pickup_settings
    return routing.Site(
        location_id=location.location_id,
        kind="DC" if location.kind == stores_pb2.LOCATION_KIND_DISTRIBUTION_CENTER else "STORE",
        latitude=location.latitude,
        longitude=location.longitude,
        time_zone=location.time_zone,
        opening_hours=list(location.opening_hours),
        pick_minutes=settings.pick_deadline_minutes if pickup_role else settings.dispatch_minutes,
        receiving_minutes=settings.receiving_minutes,
        ships=stores_pb2.CAPABILITY_SHIP_FROM in location.capabilities,
    )


def to_result(result: routing.RoutePlan | routing.Unroutable) -> RoutePlanResult:
    explanation = [
        CandidateRow(n.location_id, n.verdict, n.reason, n.ready_by, round(n.distance_km, 2))
        for n in result.explanation
    ]
    if isinstance(result, routing.Unroutable):
        return RoutePlanResult("UNROUTABLE", [], [], None, explanation, dict(result.missing))
    return RoutePlanResult(
        kind=result.kind,
        allocations=[AllocationRow(a.location_id, a.sku, a.quantity) for a in result.allocations],
        shipments=[
            ShipmentPlan(
                s.source_id,
                [TransferLineInput(x.sku, x.quantity) for x in s.lines],
                s.departs_at,
                s.arrives_at,
                s.ready_by,
            )
            for s in result.shipments
        ],
        ready_by=result.ready_by,
        explanation=explanation,
    )
