"""The Saturday-rush scenario, shared by the SQLite and PostgreSQL end-to-end runs: 200
customers at once, one unit each, for stock spread over three locations."""

from __future__ import annotations

import asyncio
import uuid

import grpc

from clickcollect.common.v1 import money_pb2
from clickcollect.gateway.v1 import order_views_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, details_of, token

SPREAD = {"STORE-001": 20, "STORE-002": 15, "DC-01": 10}


async def rush(stack: Stack, gateway: grpc.aio.Channel, customers: int = 200) -> None:
    sku = f"RUSH-{uuid.uuid4().hex[:8].upper()}"
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        await stock_spread(inventory, sku, SPREAD)
        callers = [
            Caller(gateway, bearer(token(Role.CUSTOMER, f"rush-{n:03d}"))) for n in range(customers)
        ]
        results = await asyncio.gather(
            *(c.place((sku, 1), store="STORE-001") for c in callers), return_exceptions=True
        )
        accepted = [r for r in results if isinstance(r, order_views_pb2.CustomerOrder)]
        refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
        unexpected = [
            r
            for r in results
            if not isinstance(r, order_views_pb2.CustomerOrder | grpc.aio.AioRpcError)
        ]
        assert not unexpected, unexpected[:3]
        assert len(accepted) == sum(SPREAD.values()), "accepted units equal the stock exactly"
        assert {details_of(e).reason for e in refused} == {"OUT_OF_STOCK"}
        request = inventory_pb2.GetStockRequest(location_ids=list(SPREAD), skus=[sku])
        for level in (await inventory.GetStock(request)).levels:
            assert level.reserved == SPREAD[level.location_id] == level.on_hand
            await _ledger_matches(inventory, level)


async def stock_spread(
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
    sku: str,
    spread: dict[str, int],
    what: str = "rush",
    price_minor: int = 2999,
) -> None:
    """A new product, received in `spread`'s units at each of its locations (ids from `what`)."""
    price = money_pb2.Money(amount_minor=price_minor, currency_code="EUR")
    product = inventory_pb2.Product(sku=sku, name=f"{what.capitalize()} item", price=price)
    await inventory.UpsertProduct(
        inventory_pb2.UpsertProductRequest(request_id=f"{what}-{sku}", product=product)
    )
    for location_id, units in spread.items():
        await inventory.AdjustStock(
            inventory_pb2.AdjustStockRequest(
                request_id=f"{what}-{sku}-{location_id}",
                location_id=location_id,
                sku=sku,
                on_hand_delta=units,
                safety_stock=0,
                kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
                reason=f"{what} delivery",
            )
        )


async def _ledger_matches(
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub, level: inventory_pb2.StockLevel
) -> None:
    movements: list[inventory_pb2.Movement] = []
    token_ = ""
    while True:
        page = await inventory.ListMovements(
            inventory_pb2.ListMovementsRequest(
                location_id=level.location_id, sku=level.sku, page_size=200, page_token=token_
            )
        )
        movements += page.movements
        token_ = page.next_page_token
        if not token_:
            break
    assert sum(m.on_hand_delta for m in movements) == level.on_hand
    assert sum(m.reserved_delta for m in movements) == level.reserved
