"""What the benchmark adds to the demo retailer, through the services' own APIs: its products
and stock, a fresh product per burst, and 54 more stores (60 locations)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from clickcollect.common.v1 import money_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from deploy.local.demo_data import LOCATIONS, PRODUCTS, WEEK, DemoLocation, stock_for
from deploy.local.seed import location_proto

PLENTY = 1_000_000
LIFECYCLE_SKU = "BENCH-ITEM-01"  # plenty on the pickup store's shelf
BASKET_SKUS = [f"BENCH-ITEM-{n:02d}" for n in range(1, 21)]
SOLD_OUT_SKU = "BENCH-SOLD-OUT"  # in the catalogue, nowhere in stock
RESERVE_SKU = "BENCH-RESERVE"  # for InventoryService.Reserve directly
# The burst's stock, spread over locations as in the rush test: 60 units in all.
BURST_SPREAD = {"STORE-001": 25, "STORE-002": 20, "DC-01": 15}
EXTRA_STORES = 54
PARALLEL = 16  # seeding calls in flight


async def _each(rpc: Callable[[Any], Awaitable[object]], requests: Iterable[object]) -> None:
    """One call per request, PARALLEL at a time (a call starts when it is made)."""
    gate = asyncio.Semaphore(PARALLEL)

    async def gated(request: object) -> None:
        async with gate:
            await rpc(request)

    await asyncio.gather(*(gated(request) for request in requests))


def _product(sku: str, name: str) -> inventory_pb2.UpsertProductRequest:
    price = money_pb2.Money(amount_minor=1999, currency_code="EUR")
    product = inventory_pb2.Product(sku=sku, name=name, price=price)
    return inventory_pb2.UpsertProductRequest(request_id=f"bench-product-{sku}", product=product)


def _receipt(location_id: str, sku: str, units: int) -> inventory_pb2.AdjustStockRequest:
    return inventory_pb2.AdjustStockRequest(
        request_id=f"bench-stock-{location_id}-{sku}",
        location_id=location_id,
        sku=sku,
        on_hand_delta=units,
        safety_stock=0,
        kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
        reason="benchmark delivery",
    )


async def stock_products(inventory: inventory_pb2_grpc.InventoryServiceAsyncStub) -> None:
    """The benchmark's own products, plenty of each at the pickup store (but one)."""
    skus = [*BASKET_SKUS, RESERVE_SKU]
    await _each(inventory.UpsertProduct, (_product(sku, sku) for sku in [*skus, SOLD_OUT_SKU]))
    await _each(inventory.AdjustStock, (_receipt("STORE-001", sku, PLENTY) for sku in skus))


async def stock_burst(
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub, sku: str, spread: dict[str, int]
) -> int:
    """A new product with `spread` units (location -> units); returns the total."""
    await inventory.UpsertProduct(_product(sku, "Saturday special"))
    await _each(inventory.AdjustStock, (_receipt(x, sku, n) for x, n in spread.items()))
    return sum(spread.values())


def extra_location(number: int) -> DemoLocation:
    """STORE-006 … on a grid around the city centre, all within 15 km of it."""
    row, column = divmod(number, 9)
    latitude = 52.30 + row * 0.025
    longitude = 4.78 + column * 0.03
    location_id = f"STORE-{number + 6:03d}"
    return DemoLocation(location_id, f"Bench store {number + 6}", "Teststraat 1", "1000 AA",
                        latitude, longitude, WEEK)  # fmt: skip


async def add_stores(
    stores: stores_pb2_grpc.StoreServiceAsyncStub,
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
) -> int:
    """54 more stores, lanes as the demo has them (from the DC, between every two stores) and
    the demo's stock rule for every product. Returns the number of locations."""
    added = [extra_location(n) for n in range(EXTRA_STORES)]
    await _each(
        stores.UpsertLocation,
        (
            stores_pb2.UpsertLocationRequest(
                request_id=f"bench-location-{x.location_id}", location=location_proto(x)
            )
            for x in added
        ),
    )
    new = [x.location_id for x in added]
    old = [x.location_id for x in LOCATIONS if not x.is_dc]
    lanes = [("DC-01", b) for b in new] + [(a, b) for a in new for b in old + new if a != b]
    lanes += [(a, b) for a in old for b in new]
    await _each(stores.UpsertLane, (_lane(source, destination) for source, destination in lanes))
    rows = [(x, sku, stock_for(x, sku)) for x in new for sku, *_ in PRODUCTS]
    await _each(inventory.AdjustStock, (_receipt(x, sku, n) for x, sku, n in rows if n > 0))
    return len(LOCATIONS) + len(added)


def _lane(source_id: str, destination_id: str) -> stores_pb2.UpsertLaneRequest:
    lane = stores_pb2.Lane(source_id=source_id, destination_id=destination_id, transit_days=1)
    return stores_pb2.UpsertLaneRequest(
        request_id=f"bench-lane-{source_id}-{destination_id}", lane=lane
    )
