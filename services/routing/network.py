"""What the router needs, read from the services: the pickup store, every location with a lane
to it, the lanes, and available-to-promise for the basket at all of them. Shared by the
`plan_route` activity and the gateway's pickup options (each passes its own way of calling).

Locations and lanes change rarely and routing reads them for every order and every pickup
option, so a StoreDirectory keeps what it read for a few seconds; stock is always read fresh."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from services.common.kept import Kept
from workflows import routing
from workflows.order.route_types import (
    AllocationRow,
    CandidateRow,
    PlanRouteInput,
    RoutePlanResult,
    ShipmentPlan,
)
from workflows.order.types import OpeningHoursRow, PickupStore
from workflows.ship_to_store.types import (
    TransferLineInput,
)

Call = Callable[[Any, Any], Awaitable[Any]]


DIRECTORY_TTL_SECONDS = 10.0


class StoreDirectory:
    """Locations and lanes from the stores service, each kept for `ttl_seconds` after it was
    read."""

    def __init__(
        self,
        call: Call,
        stores: stores_pb2_grpc.StoreServiceAsyncStub,
        ttl_seconds: float = DIRECTORY_TTL_SECONDS,
    ) -> None:
        self.call = call
        self.stores = stores
        self._kept: Kept[tuple[str, str], Any] = Kept(ttl_seconds)

    async def location(self, location_id: str) -> stores_pb2.Location:
        request = stores_pb2.GetLocationRequest(location_id=location_id)
        found: stores_pb2.Location = await self._kept.get(
            ("location", location_id), lambda: self._read_location(request)
        )
        return found

    async def lanes_to(self, destination_id: str) -> list[stores_pb2.Lane]:
        lanes: list[stores_pb2.Lane] = await self._kept.get(
            ("lanes", destination_id), lambda: _lanes_to(self.call, self.stores, destination_id)
        )
        return lanes

    async def shipping_locations(self) -> list[stores_pb2.Location]:
        found: list[stores_pb2.Location] = await self._kept.get(
            ("ships", ""), lambda: _shipping_locations(self.call, self.stores)
        )
        return found

    async def kept(self, key: tuple[str, str], read: Callable[[], Awaitable[Any]]) -> Any:
        """Anything derived from locations and lanes, kept as long as they are."""
        return await self._kept.get(key, read)

    async def _read_location(self, request: stores_pb2.GetLocationRequest) -> Any:
        return (await self.call(self.stores.GetLocation, request)).location


@dataclass(frozen=True)
class _Network:
    """A pickup store and the locations with a lane to it, as the router takes them."""

    pickup: routing.Site
    sources: list[routing.Site]
    lanes: list[routing.Lane]

    @property
    def location_ids(self) -> list[str]:
        return [self.pickup.location_id, *(source.location_id for source in self.sources)]


async def plan_for(
    directory: StoreDirectory,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    request: PlanRouteInput,
    max_sources: int = 2,
) -> RoutePlanResult:
    return (await plans_for(directory, inventory, [request], max_sources))[0]


async def plans_for(
    directory: StoreDirectory,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    requests: list[PlanRouteInput],
    max_sources: int = 2,
) -> list[RoutePlanResult]:
    """One plan per request (e.g. per pickup store near a customer), with the stock of every
    location involved read once, in one call."""
    if not requests:
        return []
    networks = [await _network(directory, request.pickup_store_id) for request in requests]
    ids = sorted({location for network in networks for location in network.location_ids})
    skus = sorted({line.sku for request in requests for line in request.lines})
    stock = inventory_pb2.GetStockRequest(location_ids=ids, skus=skus)
    levels = (await directory.call(inventory.GetStock, stock)).levels
    atp = {(x.location_id, x.sku): x.available_to_promise for x in levels}
    return [
        _plan(network, atp, request, max_sources)
        for network, request in zip(networks, requests, strict=True)
    ]


async def _network(directory: StoreDirectory, pickup_store_id: str) -> _Network:
    network: _Network = await directory.kept(
        ("network", pickup_store_id), lambda: _read_network(directory, pickup_store_id)
    )
    return network


async def _read_network(directory: StoreDirectory, pickup_store_id: str) -> _Network:
    pickup = await directory.location(pickup_store_id)
    lanes = await directory.lanes_to(pickup.location_id)
    wanted = {lane.source_id for lane in lanes}
    sources = [x for x in await directory.shipping_locations() if x.location_id in wanted]
    return _Network(
        _site(pickup, pickup_role=True),
        [_site(source, pickup_role=False) for source in sources],
        [routing.Lane(x.source_id, x.destination_id, x.transit_days) for x in lanes],
    )


def _plan(
    network: _Network, atp: dict[tuple[str, str], int], request: PlanRouteInput, max_sources: int
) -> RoutePlanResult:
    excluded = set(request.exclude)
    available = {key: 0 if key[0] in excluded else units for key, units in atp.items()}
    pickup, sources, lanes = network.pickup, network.sources, network.lanes
    if request.fixed:
        fixed = [routing.Allocation(a.location_id, a.sku, a.quantity) for a in request.fixed]
        return to_result(routing.plan_allocations(fixed, pickup, sources, lanes, request.now))
    result = routing.route(
        basket=[routing.BasketLine(line.sku, line.quantity) for line in request.lines],
        pickup=pickup,
        sources=sources,
        lanes=lanes,
        atp=available,
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
    call: Call, stores: stores_pb2_grpc.StoreServiceAsyncStub
) -> list[stores_pb2.Location]:
    """Every location that ships, in one paged listing (not one call per source)."""
    found: list[stores_pb2.Location] = []
    token = ""
    while True:
        ask = stores_pb2.ListLocationsRequest(
            capability=stores_pb2.CAPABILITY_SHIP_FROM, page_size=200, page_token=token
        )
        page = await call(stores.ListLocations, ask)
        found += list(page.locations)
        token = page.next_page_token
        if not token:
            return found


def pickup_store_of(location: stores_pb2.Location) -> PickupStore:
    """The pickup store as an order keeps it: name, time zone, hours, its pickup settings."""
    return PickupStore(
        store_id=location.location_id,
        name=location.name,
        time_zone=location.time_zone,
        pick_deadline_minutes=location.pickup_settings.pick_deadline_minutes,
        pickup_window_days=location.pickup_settings.pickup_window_days,
        pickup_window_minutes=location.pickup_settings.pickup_window_minutes,
        email=location.email,
        opening_hours=[
            OpeningHoursRow(h.weekday, h.opens, h.closes) for h in location.opening_hours
        ],
    )


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
