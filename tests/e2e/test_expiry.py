"""An order nobody collects goes back on the shelf when its pickup window ends (real processes,
real time: a store with a one-minute same-day window)."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, token

STORE = "STORE-098"
SKU = "MUG-CERAMIC"


async def test_uncollected_order_expires_and_everything_is_released(
    stack: Stack, customer: Caller, gateway_channel: grpc.aio.Channel
) -> None:
    await _open_express_store(stack)
    terminal = Caller(gateway_channel, bearer(token(Role.STORE, "terminal-098", STORE)))
    order = await customer.place((SKU, 2), store=STORE)
    await terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(
            request_id=f"pick-{order.order_id}", order_id=order.order_id
        ),
        metadata=terminal.metadata,
    )
    deadline = time.monotonic() + 120
    while True:
        mine = await customer.checkout.GetOrder(
            checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
        )
        if (
            mine.order.state != order_views_pb2.ORDER_STATE_READY_FOR_PICKUP
            or time.monotonic() > deadline
        ):
            break
        await asyncio.sleep(2)
    assert mine.order.state == order_views_pb2.ORDER_STATE_EXPIRED
    assert mine.order.state_reason == "PICKUP_WINDOW_EXPIRED"
    operations = [order_views_pb2.PaymentOperation.Name(p.operation) for p in mine.order.payments]
    assert operations == ["PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_OPERATION_VOID"]
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        level = (
            await inventory.GetStock(
                inventory_pb2.GetStockRequest(location_ids=[STORE], skus=[SKU])
            )
        ).levels[0]
    assert (level.on_hand, level.reserved) == (5, 0)


async def _open_express_store(stack: Stack) -> None:
    async with grpc.aio.insecure_channel(stack.config.target("stores")) as channel:
        stores = stores_pb2_grpc.StoreServiceStub(channel)
        await stores.UpsertLocation(
            stores_pb2.UpsertLocationRequest(
                request_id=f"express-{uuid.uuid4().hex}",
                location=stores_pb2.Location(
                    location_id=STORE,
                    name="Amsterdam Express Counter",
                    kind=stores_pb2.LOCATION_KIND_STORE,
                    latitude=52.37,
                    longitude=4.89,
                    time_zone="Europe/Amsterdam",
                    opening_hours=[
                        stores_pb2.OpeningHours(weekday=d, opens="00:00", closes="24:00")
                        for d in range(1, 8)
                    ],
                    capabilities=[stores_pb2.CAPABILITY_PICKUP],
                    pickup_settings=stores_pb2.PickupSettings(
                        pick_deadline_minutes=30, pickup_window_minutes=1
                    ),
                ),
            )
        )
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        await inventory.AdjustStock(
            inventory_pb2.AdjustStockRequest(
                request_id=f"express-stock-{uuid.uuid4().hex}",
                location_id=STORE,
                sku=SKU,
                on_hand_delta=5,
                kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
                reason="opening stock",
            )
        )
