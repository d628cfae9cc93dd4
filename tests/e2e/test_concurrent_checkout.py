"""Saturday rush: 50 customers race for the last 10 units at one store."""

from __future__ import annotations

import asyncio
import uuid

import grpc

from clickcollect.common.v1 import money_pb2
from clickcollect.gateway.v1 import order_views_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, token

SKU = "RUSH-CONSOLE-1"
STORE = "STORE-003"


async def test_fifty_concurrent_orders_for_ten_units_accept_exactly_ten(
    stack: Stack, gateway_channel: grpc.aio.Channel
) -> None:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        await _stock_ten_units(inventory)
        customers = [
            Caller(gateway_channel, bearer(token(Role.CUSTOMER, f"rush-{n:03d}")))
            for n in range(50)
        ]
        results = await asyncio.gather(
            *(c.place((SKU, 1), store=STORE) for c in customers), return_exceptions=True
        )
        accepted = [r for r in results if isinstance(r, order_views_pb2.CustomerOrder)]
        refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
        assert len(accepted) == 10
        assert len(refused) == 40
        assert {e.code() for e in refused} == {grpc.StatusCode.FAILED_PRECONDITION}
        assert all("OUT_OF_STOCK" in str(e.trailing_metadata()) or e.details() for e in refused)
        assert {o.state for o in accepted} == {order_views_pb2.ORDER_STATE_AWAITING_PICK}

        level = (
            await inventory.GetStock(
                inventory_pb2.GetStockRequest(location_ids=[STORE], skus=[SKU])
            )
        ).levels[0]
        assert (level.on_hand, level.reserved, level.available_to_promise) == (10, 10, 0)
        ledger = (
            await inventory.ListMovements(
                inventory_pb2.ListMovementsRequest(location_id=STORE, sku=SKU, page_size=200)
            )
        ).movements
        assert sum(m.on_hand_delta for m in ledger) == level.on_hand
        assert sum(m.reserved_delta for m in ledger) == level.reserved


async def _stock_ten_units(inventory: inventory_pb2_grpc.InventoryServiceAsyncStub) -> None:
    await inventory.UpsertProduct(
        inventory_pb2.UpsertProductRequest(
            request_id=f"rush-{uuid.uuid4().hex}",
            product=inventory_pb2.Product(
                sku=SKU,
                name="Game console",
                price=money_pb2.Money(amount_minor=49999, currency_code="EUR"),
            ),
        )
    )
    await inventory.AdjustStock(
        inventory_pb2.AdjustStockRequest(
            request_id=f"rush-stock-{uuid.uuid4().hex}",
            location_id=STORE,
            sku=SKU,
            on_hand_delta=10,
            safety_stock=0,
            kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
            reason="launch day delivery",
        )
    )
