"""The public stock messages (clickcollect.gateway.v1 stock.proto), made from the inventory's
stock levels and the router's plans: counts for a store terminal, a status for a shopper."""

from __future__ import annotations

from datetime import datetime

from clickcollect.gateway.v1 import stock_pb2
from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.timeconv import as_utc, to_timestamp
from services.gateway.stock.rules import soonest_first, stock_status
from services.routing.model import RoutePlan, Unroutable

_DC = stores_pb2.LOCATION_KIND_DISTRIBUTION_CENTER
Levels = dict[tuple[str, str], inventory_pb2.StockLevel]


def counts_of(level: inventory_pb2.StockLevel | None) -> stock_pb2.StockCounts:
    if level is None:
        return stock_pb2.StockCounts()
    return stock_pb2.StockCounts(
        on_hand=level.on_hand,
        reserved=level.reserved,
        safety_stock=level.safety_stock,
        in_transit=level.in_transit,
        available_to_promise=level.available_to_promise,
    )


def promise_of(plan: RoutePlan | Unroutable) -> stock_pb2.StockPromise:
    if isinstance(plan, Unroutable):
        return stock_pb2.StockPromise(kind=stock_pb2.STOCK_PROMISE_KIND_UNAVAILABLE)
    shipped = [shipment.source_id for shipment in plan.shipments]
    kind = (
        stock_pb2.STOCK_PROMISE_KIND_SHIP_TO_STORE
        if shipped
        else stock_pb2.STOCK_PROMISE_KIND_PICKUP_IN_STORE
    )
    return stock_pb2.StockPromise(
        kind=kind, ready_by=to_timestamp(plan.ready_by), source_ids=shipped
    )


def product_stock(
    product: inventory_pb2.Product,
    shelf: inventory_pb2.StockLevel | None,
    plan: RoutePlan | Unroutable,
    elsewhere: list[stock_pb2.LocationStock],
) -> stock_pb2.ProductStock:
    return stock_pb2.ProductStock(
        sku=product.sku,
        name=product.name,
        price=product.price,
        final_sale=product.final_sale,
        shelf=counts_of(shelf),
        promise=promise_of(plan),
        elsewhere=elsewhere,
    )


def elsewhere_of(
    sku: str,
    locations: list[stores_pb2.Location],
    levels: Levels,
    ready: dict[tuple[str, str], datetime],
) -> list[stock_pb2.LocationStock]:
    """Every location holding some of the sku (available or not), soonest ready here first."""
    rows = []
    for location in locations:
        level = levels.get((location.location_id, sku))
        if level is None or level.on_hand <= 0:
            continue
        ready_by = ready.get((sku, location.location_id))
        key = soonest_first(ready_by, level.available_to_promise, location.location_id)
        rows.append((key, _location_stock(location, level, ready_by)))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _location_stock(
    location: stores_pb2.Location, level: inventory_pb2.StockLevel, ready_by: datetime | None
) -> stock_pb2.LocationStock:
    kind = (
        stock_pb2.LOCATION_KIND_DISTRIBUTION_CENTER
        if location.kind == _DC
        else stock_pb2.LOCATION_KIND_STORE
    )
    return stock_pb2.LocationStock(
        location_id=location.location_id,
        location_name=location.name,
        kind=kind,
        counts=counts_of(level),
        ships_here=ready_by is not None,
        ready_by=to_timestamp(ready_by),
    )


def store_availability(
    found: stores_pb2.LocationDistance,
    skus: list[str],
    levels: Levels,
    shipped: dict[tuple[str, str], RoutePlan],
    low_stock_threshold: int,
) -> stock_pb2.StoreAvailability:
    """One store's statuses: never a count."""
    store = found.location
    offered = stores_pb2.CAPABILITY_PICKUP in store.capabilities
    answer = stock_pb2.StoreAvailability(
        store_id=store.location_id,
        store_name=store.name,
        distance_km=round(found.distance_km, 2),
        pickup_offered=offered,
    )
    for sku in skus:
        level = levels.get((store.location_id, sku))
        available = level.available_to_promise if level is not None else 0
        status = stock_status(available, low_stock_threshold)
        row = answer.skus.add(sku=sku, status=stock_pb2.StockStatus.Value(f"STOCK_STATUS_{status}"))
        plan = shipped.get((store.location_id, sku))
        if plan is not None:
            row.ship_to_store = True
            row.ship_ready_by.FromDatetime(as_utc(plan.ready_by))
    return answer


def levels_by_key(levels: list[inventory_pb2.StockLevel]) -> Levels:
    return {(level.location_id, level.sku): level for level in levels}
