"""Writing stock changes: a movement row per change and the matching update of the stock row,
inside the caller's transaction (helpers never commit). Rows are touched in (location, sku)
order, so every transaction locks stock rows in one order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.common.db import Database
from services.inventory.stock import updates as stock_updates
from services.inventory.stock.domain import StockChange, lock_order
from services.inventory.stock.tables import MovementRow

T = TypeVar("T")


class DuplicateRequest(Exception):
    """A concurrent twin of this request (same reservation, transfer or request id) committed
    first. The transaction is spoiled; running the request again in a new one answers the
    repeat."""


async def first_writer_wins(db: Database, work: Callable[[Session], T]) -> T:
    """Runs an idempotent write; when a concurrent twin committed first, runs it again in a
    new transaction, where it finds the twin's result and answers with it."""
    try:
        return await db.run(work)
    except DuplicateRequest:
        return await db.run(work)


def post(session: Session, changes: Iterable[StockChange], now: datetime) -> None:
    """Writes each change's movement, then applies the changes to their stock rows (creating
    a missing row first)."""
    ordered = lock_order(changes)
    for change in ordered:
        session.add(movement_row(change, now))
    flush_first_writer(session)
    for change in ordered:
        stock_updates.ensure_stock_row(session, change.location_id, change.sku)
        stock_updates.apply(session, change)


def movement_row(change: StockChange, now: datetime) -> MovementRow:
    return MovementRow(
        location_id=change.location_id,
        sku=change.sku,
        kind=str(change.kind),
        on_hand_delta=change.on_hand_delta,
        reserved_delta=change.reserved_delta,
        in_transit_delta=change.in_transit_delta,
        reference=change.reference,
        reason=change.reason,
        create_time=now,
    )


def flush_first_writer(session: Session) -> None:
    """Flushes; a unique key taken by a concurrent twin becomes DuplicateRequest."""
    try:
        session.flush()
    except IntegrityError as error:
        raise DuplicateRequest(str(error.orig)) from error
