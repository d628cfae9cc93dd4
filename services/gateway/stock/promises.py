"""When stock could be at a store, as the router would promise an order placed now
(services/routing, the same code PlaceOrder's checkout and GetPickupOptions route with; nothing
is reserved). Each answer reads the stock of every location involved once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.gateway.reads import Reads
from services.routing.model import Allocation, RoutePlan, RouteRequest, Unroutable
from services.routing.model import BasketLine as RouteLine
from services.routing.network import Queues, plans_for


@dataclass(frozen=True)
class StorePromises:
    """For one store: per sku, the router's plan for the quantity asked (shelf first, else
    shipped in); per (sku, source), when that source alone could have it ready there."""

    plans: dict[str, RoutePlan | Unroutable]
    source_ready: dict[tuple[str, str], datetime]


async def store_promises(
    reads: Reads,
    queues: Queues,
    store_id: str,
    skus: Sequence[str],
    sources: Sequence[tuple[str, str]],
    quantity: int,
    now: datetime,
) -> StorePromises:
    """``sources``: (sku, location) pairs to ask about; a source with no lane to the store (or
    that does not ship) has no ready-by. A source's units are planned as a checkout hold's are
    (the units fixed where they are), so its ready-by is the one an order shipped from it gets."""
    whole = [RouteRequest(store_id, [RouteLine(sku, quantity)], now) for sku in skus]
    single = [
        RouteRequest(
            store_id, [RouteLine(sku, quantity)], now, fixed=[Allocation(source, sku, quantity)]
        )
        for sku, source in sources
    ]
    plans = await plans_for(reads.directory, reads.inventory, [*whole, *single], queues=queues)
    ready = {
        key: plan.ready_by
        for key, plan in zip(sources, plans[len(whole) :], strict=True)
        if isinstance(plan, RoutePlan)
    }
    return StorePromises(dict(zip(skus, plans[: len(whole)], strict=True)), ready)


async def shipped_in(
    reads: Reads, queues: Queues, store_ids: Sequence[str], skus: Sequence[str], now: datetime
) -> dict[tuple[str, str], RoutePlan]:
    """Per (store, sku): the router's plan to ship one unit in from other locations (the store's
    own shelf left out); absent when no location can."""
    asked = [(store_id, sku) for store_id in store_ids for sku in skus]
    requests = [
        RouteRequest(store_id, [RouteLine(sku, 1)], now, exclude=[store_id])
        for store_id, sku in asked
    ]
    plans = await plans_for(reads.directory, reads.inventory, requests, queues=queues)
    return {
        key: plan for key, plan in zip(asked, plans, strict=True) if isinstance(plan, RoutePlan)
    }
