"""The statements that make reservations, compiled once (``services.common.compiled``): the
hot path of Reserve runs them for every request, with no ORM objects and no per-call compile.

Each checks and writes in one statement, like those of ``stock.updates``: a header is inserted
only under an unknown id (ON CONFLICT DO NOTHING: a repeat changes no row), and a line is held
only where that much is available to promise (a conditional UPDATE, re-evaluated after any row
lock it waited for), so concurrent transactions and processes can never oversell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    String,
    Table,
    bindparam,
    delete,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel

from services.common.compiled import CompiledStatement
from services.inventory.reservations.domain import Reservation, ReservationLine
from services.inventory.reservations.tables import ReservationLineRow, ReservationRow
from services.inventory.stock import tables
from services.inventory.stock.domain import MovementKind


def _table(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


_HEADERS = _table(ReservationRow)
_LINES = _table(ReservationLineRow)
_MOVEMENTS = _table(tables.MovementRow)
_STOCK = _table(tables.StockLevelRow)

_QUANTITY = bindparam("b_quantity", type_=BigInteger())
_HOLD = CompiledStatement(
    update(_STOCK)
    .where(_STOCK.c.location_id == bindparam("b_location", type_=String()))
    .where(_STOCK.c.sku == bindparam("b_sku", type_=String()))
    .where(_STOCK.c.on_hand - _STOCK.c.reserved - _STOCK.c.safety_stock >= _QUANTITY)
    .values(reserved=_STOCK.c.reserved + _QUANTITY)
)
_HEADER_COLUMNS = ["reservation_id", "order_id", "state", "create_time", "update_time"]
_NEW_HEADER = {  # per dialect, for its ON CONFLICT
    name: CompiledStatement(
        insert(_HEADERS).on_conflict_do_nothing(index_elements=["reservation_id"]),
        [*_HEADER_COLUMNS, "expire_time", "owner_id"],
    )
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
_DROP_HEADER = CompiledStatement(
    delete(_HEADERS).where(_HEADERS.c.reservation_id == bindparam("b_id", type_=String()))
)
_NEW_LINES = CompiledStatement(
    _LINES.insert(), ["reservation_id", "location_id", "sku", "quantity", "transferring"]
)
_MOVEMENT_COLUMNS = ["location_id", "sku", "kind", "on_hand_delta", "reserved_delta"]
_NEW_MOVEMENTS = CompiledStatement(
    _MOVEMENTS.insert(),
    [*_MOVEMENT_COLUMNS, "in_transit_delta", "reference", "reason", "create_time"],
)
_RESERVE = str(MovementKind.RESERVE)


def insert_header(connection: Connection, reservation: Reservation) -> bool:
    """The reservation's header, unless its id is known (False: nothing written)."""
    values = {
        "reservation_id": reservation.reservation_id,
        "order_id": reservation.order_id,
        "state": str(reservation.state),
        "create_time": reservation.create_time,
        "update_time": reservation.update_time,
        "expire_time": reservation.expire_time,
        "owner_id": reservation.owner_id,
    }
    return _NEW_HEADER[connection.dialect.name].execute(connection, values) == 1


def drop_header(connection: Connection, reservation_id: str) -> None:
    """Takes back a header this transaction inserted (its reservation was refused)."""
    _DROP_HEADER.execute(connection, {"b_id": reservation_id})


def hold(connection: Connection, line: ReservationLine) -> bool:
    """reserved += quantity, only where that much is available to promise."""
    values = {"b_location": line.location_id, "b_sku": line.sku, "b_quantity": line.quantity}
    return _HOLD.execute(connection, values) == 1


def lock_stock(connection: Connection, keys: set[tuple[str, str]]) -> None:
    """Locks these stock rows (PostgreSQL: SELECT … FOR UPDATE) in byte order of (location,
    sku), the order of Python's sort that every other transaction follows, whatever the
    database's collation."""
    location, sku = _STOCK.c.location_id, _STOCK.c.sku
    statement = (
        select(location)
        .where(tuple_(location, sku).in_(sorted(keys)))
        .order_by(location.collate("C"), sku.collate("C"))
        .with_for_update()
    )
    connection.execute(statement).all()


def record(connection: Connection, made: Sequence[Reservation]) -> None:
    """The lines and RESERVE movements of reservations whose lines were all held."""
    lines = [(reservation, line) for reservation in made for line in reservation.lines]
    _NEW_LINES.execute_many(connection, [_line_row(r, line) for r, line in lines])
    _NEW_MOVEMENTS.execute_many(connection, [_movement_row(r, line) for r, line in lines])


def _line_row(reservation: Reservation, line: ReservationLine) -> dict[str, Any]:
    return {
        "reservation_id": reservation.reservation_id,
        "location_id": line.location_id,
        "sku": line.sku,
        "quantity": line.quantity,
        "transferring": 0,
    }


def _movement_row(reservation: Reservation, line: ReservationLine) -> dict[str, Any]:
    order_id = reservation.order_id
    return {
        "location_id": line.location_id,
        "sku": line.sku,
        "kind": _RESERVE,
        "on_hand_delta": 0,
        "reserved_delta": line.quantity,
        "in_transit_delta": 0,
        "reference": reservation.reservation_id,
        "reason": f"order {order_id}" if order_id else "checkout hold",
        "create_time": reservation.create_time,
    }
