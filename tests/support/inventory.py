"""Building blocks for tests of the inventory service: a running server, products, stock,
reservations, the ledger, error details."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import grpc
import pytest

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.grpc_errors import RpcErrorDetails, details_of
from services.common.server import GrpcService
from services.inventory.config import InventorySettings
from services.inventory.server import create_server

if TYPE_CHECKING:
    from clickcollect.inventory.v1.inventory_pb2_grpc import InventoryServiceAsyncStub as Stub

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STORE = "STORE-001"


async def start_inventory(database_url: str) -> GrpcService:
    service = await create_server(
        InventorySettings(host="127.0.0.1", port=0, database_url=database_url)
    )
    await service.start()
    return service


@asynccontextmanager
async def running_inventory(database_url: str) -> AsyncIterator[Stub]:
    """The real server on a free loopback port, and a client of it."""
    service = await start_inventory(database_url)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
            yield inventory_pb2_grpc.InventoryServiceStub(channel)
    finally:
        await service.stop()


def new_id(prefix: str = "req") -> str:
    return f"{prefix}-{secrets.token_hex(8)}"


def new_order_id() -> str:
    return "ORD-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def new_sku() -> str:
    return "SKU-" + secrets.token_hex(4).upper()


async def a_product(stub: Stub, sku: str | None = None, **fields: Any) -> pb.Product:
    product = pb.Product(
        sku=sku or new_sku(),
        name="Ceramic mug",
        price=Money(amount_minor=899, currency_code="EUR"),
    )
    for name, value in fields.items():
        setattr(product, name, value)
    request = pb.UpsertProductRequest(request_id=new_id(), product=product)
    return (await stub.UpsertProduct(request)).product


async def receive(
    stub: Stub, sku: str, quantity: int, location_id: str = STORE, safety_stock: int | None = None
) -> pb.StockLevel:
    request = pb.AdjustStockRequest(
        request_id=new_id(),
        location_id=location_id,
        sku=sku,
        on_hand_delta=quantity,
        kind=pb.MOVEMENT_KIND_RECEIPT,
        reason="delivery",
    )
    if safety_stock is not None:
        request.safety_stock = safety_stock
    return (await stub.AdjustStock(request)).level


async def stocked_sku(stub: Stub, quantity: int, location_id: str = STORE) -> str:
    sku = (await a_product(stub)).sku
    await receive(stub, sku, quantity, location_id)
    return sku


def line(sku: str, quantity: int, location_id: str = STORE) -> pb.ReservationLine:
    return pb.ReservationLine(location_id=location_id, sku=sku, quantity=quantity)


def reserve_request(*lines: pb.ReservationLine, reservation_id: str = "") -> pb.ReserveRequest:
    return pb.ReserveRequest(
        reservation_id=reservation_id or new_id("res"), order_id=new_order_id(), lines=lines
    )


async def stock(stub: Stub, sku: str, location_id: str = STORE) -> pb.StockLevel:
    request = pb.GetStockRequest(location_ids=[location_id], skus=[sku])
    return (await stub.GetStock(request)).levels[0]


async def movements(stub: Stub, sku: str, location_id: str = STORE) -> list[pb.Movement]:
    """The whole ledger of one (location, sku), page by page."""
    found: list[pb.Movement] = []
    token = ""
    while True:
        request = pb.ListMovementsRequest(
            location_id=location_id, sku=sku, page_size=200, page_token=token
        )
        page = await stub.ListMovements(request)
        found.extend(page.movements)
        token = page.next_page_token
        if not token:
            return found


async def assert_ledger_matches_stock(stub: Stub, sku: str, location_id: str = STORE) -> None:
    """on_hand and reserved equal the sums of their movements; 0 <= reserved <= on_hand."""
    level = await stock(stub, sku, location_id)
    ledger = await movements(stub, sku, location_id)
    assert level.on_hand == sum(m.on_hand_delta for m in ledger)
    assert level.reserved == sum(m.reserved_delta for m in ledger)
    assert 0 <= level.reserved <= level.on_hand


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    """The error details of a call that must fail."""
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await call
    return details_of(raised.value)


def fields_of(details: RpcErrorDetails) -> list[str]:
    return [violation.field for violation in details.violations]
