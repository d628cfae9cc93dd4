"""Building blocks for tests of the inventory service: a running server (with a clock tests
can move), products, stock, reservations, transfers, the ledger, error details."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.grpc_errors import RpcErrorDetails, details_of
from services.common.server import GrpcService
from services.common.timeconv import utcnow
from services.inventory.config import InventorySettings
from services.inventory.server import create_server
from services.inventory.stock.tables import MovementRow

if TYPE_CHECKING:
    from clickcollect.inventory.v1.inventory_pb2_grpc import InventoryServiceAsyncStub as Stub

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STORE = "STORE-001"


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def start_inventory(
    database_url: str, clock: FakeClock | None = None, hold_sweep_seconds: float = 5.0
) -> GrpcService:
    settings = InventorySettings(
        host="127.0.0.1",
        port=0,
        database_url=database_url,
        hold_sweep_seconds=hold_sweep_seconds,
    )
    service = await (create_server(settings, clock) if clock else create_server(settings))
    await service.start()
    return service


@asynccontextmanager
async def running_inventory(
    database_url: str, clock: FakeClock | None = None, hold_sweep_seconds: float = 5.0
) -> AsyncIterator[Stub]:
    """The real server on a free loopback port, and a client of it."""
    service = await start_inventory(database_url, clock, hold_sweep_seconds)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
            yield inventory_pb2_grpc.InventoryServiceStub(channel)
    finally:
        await service.stop()


async def running_inventories(database_url: str, count: int) -> AsyncIterator[list[Stub]]:
    """``count`` inventory servers, each with its own engine and pool, on one database (as
    several processes would share it), and a client of each."""
    async with AsyncExitStack() as stack:
        stubs: list[Stub] = []
        for _ in range(count):
            service = await start_inventory(database_url)
            stack.push_async_callback(service.stop, 0)
            channel = grpc.aio.insecure_channel(f"127.0.0.1:{service.port}")
            stack.push_async_callback(channel.close, None)
            stubs.append(inventory_pb2_grpc.InventoryServiceStub(channel))
        yield stubs


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


def hold_request(*lines: pb.ReservationLine, ttl_seconds: int = 600) -> pb.ReserveRequest:
    """A checkout hold: no order yet, expires after ``ttl_seconds`` unless converted."""
    return pb.ReserveRequest(reservation_id=new_id("hold"), lines=lines, ttl_seconds=ttl_seconds)


def transfer_line(sku: str, quantity: int) -> pb.TransferLine:
    return pb.TransferLine(sku=sku, quantity=quantity)


async def reservation(stub: Stub, reservation_id: str) -> pb.Reservation:
    request = pb.GetReservationRequest(reservation_id=reservation_id)
    return (await stub.GetReservation(request)).reservation


def held(found: pb.Reservation) -> list[tuple[str, str, int]]:
    return [(x.location_id, x.sku, x.quantity) for x in found.lines]


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


def ledger_in_transit(database_url: str, sku: str, location_id: str) -> int:
    """The sum of the in_transit deltas of one (location, sku)'s movements (read straight from
    the database: the ListMovements answer does not carry them)."""
    db = Database(database_url)
    try:
        with Session(db.engine) as session:
            query = select(func.coalesce(func.sum(col(MovementRow.in_transit_delta)), 0)).where(
                MovementRow.location_id == location_id, MovementRow.sku == sku
            )
            return int(session.exec(query).one())
    finally:
        db.dispose()


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    """The error details of a call that must fail."""
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await call
    return details_of(raised.value)


def fields_of(details: RpcErrorDetails) -> list[str]:
    return [violation.field for violation in details.violations]


async def reserved(inventory: Stub, quantity: int) -> tuple[str, str]:
    """(sku, reservation id): ``quantity`` of 10 units reserved at STORE."""
    sku = await stocked_sku(inventory, 10)
    request = reserve_request(line(sku, quantity))
    await inventory.Reserve(request)
    return sku, request.reservation_id
