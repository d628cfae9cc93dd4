"""Stores of their own for the store-capacity journeys: opened through the stores service (as
the back office does), open around the clock so promises do not depend on the time of day,
stocked through the inventory service."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import grpc

from clickcollect.common.v1 import money_pb2
from clickcollect.gateway.v1 import checkout_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from deploy.local.seed import STORE_CAPABILITIES
from deploy.local.stack import Stack
from tests.support.gateway import Caller

ALL_DAY = [stores_pb2.OpeningHours(weekday=d, opens="00:00", closes="24:00") for d in range(1, 8)]
PICK_MINUTES = 30


def new_store_id() -> str:
    return "STORE-" + "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(6))


async def open_store(
    stack: Stack, store_id: str, orders_per_hour: int = 0, daily_limit: int = 0
) -> None:
    """Creates (or changes) a store near Amsterdam Centraal with the given capacity."""
    location = stores_pb2.Location(
        location_id=store_id,
        name=f"Test store {store_id}",
        kind=stores_pb2.LOCATION_KIND_STORE,
        latitude=52.3791,
        longitude=4.9003,
        time_zone="Europe/Amsterdam",
        opening_hours=ALL_DAY,
        capabilities=STORE_CAPABILITIES,
        pickup_settings=stores_pb2.PickupSettings(
            pick_deadline_minutes=PICK_MINUTES,
            pickup_window_days=7,
            orders_per_hour=orders_per_hour,
            daily_pickup_limit=daily_limit,
        ),
    )
    async with grpc.aio.insecure_channel(stack.config.target("stores")) as channel:
        stores = stores_pb2_grpc.StoreServiceStub(channel)
        request_id = f"cap-{store_id}-{orders_per_hour}-{daily_limit}"
        upsert = stores_pb2.UpsertLocationRequest(request_id=request_id, location=location)
        await stores.UpsertLocation(upsert)


async def add_lane(stack: Stack, source_id: str, store_id: str, days: int = 1) -> None:
    async with grpc.aio.insecure_channel(stack.config.target("stores")) as channel:
        stores = stores_pb2_grpc.StoreServiceStub(channel)
        lane = stores_pb2.Lane(source_id=source_id, destination_id=store_id, transit_days=days)
        request_id = f"cap-lane-{source_id}-{store_id}"
        await stores.UpsertLane(stores_pb2.UpsertLaneRequest(request_id=request_id, lane=lane))


async def stock(stack: Stack, location_id: str, sku: str, units: int) -> None:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        await inventory.AdjustStock(
            inventory_pb2.AdjustStockRequest(
                request_id=f"cap-stock-{location_id}-{sku}-{units}",
                location_id=location_id,
                sku=sku,
                on_hand_delta=units,
                kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
                reason="capacity test stock",
            )
        )


async def levels(stack: Stack, location_ids: list[str], sku: str) -> list[tuple[str, int, int]]:
    """(location, on hand, reserved) of a sku at each location."""
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetStockRequest(location_ids=location_ids, skus=[sku])
        answer = await inventory.GetStock(request)
        return sorted((x.location_id, x.on_hand, x.reserved) for x in answer.levels)


async def option_at(
    caller: Caller, store_id: str, sku: str, quantity: int = 1
) -> checkout_pb2.PickupOption:
    request = checkout_pb2.GetPickupOptionsRequest(
        store_id=store_id, lines=[checkout_pb2.BasketLine(sku=sku, quantity=quantity)]
    )
    answer = await caller.checkout.GetPickupOptions(request, metadata=caller.metadata)
    return answer.options[0]


def hours_from(start: datetime, stamp_seconds: int) -> float:
    """Hours from ``start`` to a timestamp, to the minute."""
    then = datetime.fromtimestamp(stamp_seconds, UTC)
    return round((then - start).total_seconds() / 3600 * 60) / 60


async def a_product(stack: Stack, sku: str) -> None:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        price = money_pb2.Money(amount_minor=2500, currency_code="EUR")
        product = inventory_pb2.Product(sku=sku, name=f"Capacity {sku}", price=price)
        request = inventory_pb2.UpsertProductRequest(request_id=f"cap-{sku}", product=product)
        await inventory.UpsertProduct(request)
