"""What the router needs, read from the services: the pickup store, every location with a lane
to it, the lanes, and available-to-promise for the basket at all of them; then the router's
answer. Shared by the worker's routing activities and the gateway's pickup options: each passes
its own way of calling a stub (``call``), so nothing here holds a channel or knows a workflow.

Locations and lanes change rarely and routing reads them for every order and every pickup
option, so a StoreDirectory keeps what it read for a few seconds; stock is always read fresh."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.kept import Kept
from services.routing.alternatives import RouteExplained, explain_route
from services.routing.capacity import Capacity
from services.routing.held import plan_allocations
from services.routing.model import (
    Lane,
    RoutePlan,
    RouteRequest,
    RoutingPolicy,
    Site,
    Unroutable,
)
from services.routing.planner import route

if TYPE_CHECKING:
    from clickcollect.inventory.v1 import inventory_pb2_grpc
    from clickcollect.stores.v1 import stores_pb2_grpc

Call = Callable[[Any, Any], Awaitable[Any]]
# The orders queued to pick at each of the given stores (store id -> count; absent = 0).
Queues = Callable[[Sequence[str]], Awaitable[Mapping[str, int]]]


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

    pickup: Site
    sources: list[Site]
    lanes: list[Lane]

    @property
    def location_ids(self) -> list[str]:
        return [self.pickup.location_id, *(source.location_id for source in self.sources)]

    def with_queue(self, queued: int) -> _Network:
        return replace(self, pickup=replace(self.pickup, queued=queued))


async def plan_for(
    directory: StoreDirectory,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    request: RouteRequest,
    max_sources: int = 2,
    queues: Queues | None = None,
) -> RoutePlan | Unroutable:
    return (await plans_for(directory, inventory, [request], max_sources, queues))[0]


async def plans_for(
    directory: StoreDirectory,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    requests: Sequence[RouteRequest],
    max_sources: int = 2,
    queues: Queues | None = None,
) -> list[RoutePlan | Unroutable]:
    """One plan per request (e.g. per pickup store near a customer), with the stock of every
    location involved read once, in one call (and the queues of busy-able stores beside it)."""
    if not requests:
        return []
    networks, atp = await _inputs(directory, inventory, requests, queues)
    return [
        _plan(network, atp, request, max_sources)
        for network, request in zip(networks, requests, strict=True)
    ]


async def explanations_for(
    directory: StoreDirectory,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    requests: Sequence[RouteRequest],
    max_sources: int = 2,
    queues: Queues | None = None,
) -> list[tuple[RouteExplained, Site]]:
    """Per request, every candidate plan with its verdict (what-if: nothing reserved; the
    router's own plan is the chosen one), and the pickup store as routed (capacity, queue).
    The stock of every location involved is read once."""
    if not requests:
        return []
    networks, atp = await _inputs(directory, inventory, requests, queues)
    return [
        (_explained(network, atp, request, max_sources), network.pickup)
        for network, request in zip(networks, requests, strict=True)
    ]


def _explained(
    network: _Network, atp: dict[tuple[str, str], int], request: RouteRequest, max_sources: int
) -> RouteExplained:
    return explain_route(
        basket=list(request.basket),
        pickup=network.pickup,
        sources=network.sources,
        lanes=network.lanes,
        atp=_without(atp, request.exclude),
        policy=RoutingPolicy(max_sources=max_sources),
        now=request.now,
    )


async def _inputs(
    directory: StoreDirectory,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    requests: Sequence[RouteRequest],
    queues: Queues | None,
) -> tuple[list[_Network], dict[tuple[str, str], int]]:
    """The requests' networks (pickup stores with their queues) and available-to-promise."""
    networks = [await _network(directory, request.pickup_store_id) for request in requests]
    ids = sorted({location for network in networks for location in network.location_ids})
    skus = sorted({line.sku for request in requests for line in request.basket})
    stock = inventory_pb2.GetStockRequest(location_ids=ids, skus=skus)
    limited = sorted({n.pickup.location_id for n in networks if n.pickup.capacity.limited})
    if queues is not None and limited:
        answer, queued = await asyncio.gather(
            directory.call(inventory.GetStock, stock), queues(limited)
        )
        networks = [n.with_queue(queued.get(n.pickup.location_id, 0)) for n in networks]
    else:
        answer = await directory.call(inventory.GetStock, stock)
    atp = {(x.location_id, x.sku): x.available_to_promise for x in answer.levels}
    return networks, atp


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
        [Lane(x.source_id, x.destination_id, x.transit_days) for x in lanes],
    )


def _plan(
    network: _Network, atp: dict[tuple[str, str], int], request: RouteRequest, max_sources: int
) -> RoutePlan | Unroutable:
    available = _without(atp, request.exclude)
    pickup, sources, lanes = network.pickup, network.sources, network.lanes
    if request.fixed:
        return plan_allocations(list(request.fixed), pickup, sources, lanes, request.now)
    return route(
        basket=list(request.basket),
        pickup=pickup,
        sources=sources,
        lanes=lanes,
        atp=available,
        policy=RoutingPolicy(max_sources=max_sources),
        now=request.now,
    )


def _without(
    atp: Mapping[tuple[str, str], int], exclude: Sequence[str]
) -> dict[tuple[str, str], int]:
    excluded = set(exclude)
    return {key: 0 if key[0] in excluded else units for key, units in atp.items()}


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


def _site(location: stores_pb2.Location, pickup_role: bool) -> Site:
    settings = location.pickup_settings
    return Site(
        location_id=location.location_id,
        kind="DC" if location.kind == stores_pb2.LOCATION_KIND_DISTRIBUTION_CENTER else "STORE",
        latitude=location.latitude,
        longitude=location.longitude,
        time_zone=location.time_zone,
        opening_hours=list(location.opening_hours),
        pick_minutes=settings.pick_deadline_minutes if pickup_role else settings.dispatch_minutes,
        receiving_minutes=settings.receiving_minutes,
        ships=stores_pb2.CAPABILITY_SHIP_FROM in location.capabilities,
        capacity=Capacity(settings.orders_per_hour, settings.daily_pickup_limit)
        if pickup_role
        else Capacity(),
    )
