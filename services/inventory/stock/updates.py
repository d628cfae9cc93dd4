"""The conditional UPDATEs that guard the invariants. Each checks and writes in one statement,
so concurrent transactions (threads, or processes on PostgreSQL) can never both pass a check
that only one of them should: the row lock serialises them and the condition is re-evaluated.
Holding stock for a reservation is ``reservations.statements``' (compiled once, for Reserve's hot
path)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from services.inventory.stock.domain import StockChange
from services.inventory.stock.tables import StockLevelRow

NO_SYNC = {"synchronize_session": False}


def change_on_hand(
    session: Session, location_id: str, sku: str, delta: int, safety_stock: int | None
) -> bool:
    """on_hand += delta (and safety stock set), only where on hand stays >= reserved."""
    values: dict[str, Any] = {"on_hand": col(StockLevelRow.on_hand) + delta}
    if safety_stock is not None:
        values["safety_stock"] = safety_stock
    statement = (
        update(StockLevelRow)
        .where(*_stock_key(location_id, sku))
        .where(col(StockLevelRow.on_hand) + delta >= col(StockLevelRow.reserved))
        .values(values)
        .execution_options(**NO_SYNC)
    )
    return rowcount(session, statement) == 1


def apply(session: Session, change: StockChange) -> None:
    """Moves stock whose amounts a state change already settled (a reservation or transfer
    that changed state exactly once); the table constraints are the backstop."""
    statement = (
        update(StockLevelRow)
        .where(*_stock_key(change.location_id, change.sku))
        .values(
            on_hand=col(StockLevelRow.on_hand) + change.on_hand_delta,
            reserved=col(StockLevelRow.reserved) + change.reserved_delta,
            in_transit=col(StockLevelRow.in_transit) + change.in_transit_delta,
        )
        .execution_options(**NO_SYNC)
    )
    if rowcount(session, statement) != 1:
        raise RuntimeError(f"no stock row for {change.location_id}/{change.sku}")


def ensure_stock_row(session: Session, location_id: str, sku: str) -> None:
    """Creates the all-zero row unless it exists (safe against a concurrent creator)."""
    statement = (
        insert_for(session)(StockLevelRow)
        .values(
            location_id=location_id, sku=sku, on_hand=0, reserved=0, safety_stock=0, in_transit=0
        )
        .on_conflict_do_nothing(index_elements=["location_id", "sku"])
    )
    session.execute(statement)


def insert_for(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL alike)."""
    return sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert


def _stock_key(location_id: str, sku: str) -> tuple[Any, Any]:
    return col(StockLevelRow.location_id) == location_id, col(StockLevelRow.sku) == sku


def rowcount(session: Session, statement: Any) -> int:
    result = cast("CursorResult[Any]", session.execute(statement))
    return result.rowcount
