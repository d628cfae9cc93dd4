"""The writes that move stock. Each runs inside the caller's transaction, writes a movement for
every change to on hand or reserved, and never reads a quantity to decide a write: the checks
live in conditional UPDATEs, so concurrent callers (threads, or processes on PostgreSQL) cannot
oversell. Stock rows are locked in (location, sku) order, which rules out deadlocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from services.common.errors import NotFound
from services.inventory import repository
from services.inventory.domain import (
    FINISHED_STATE,
    MovementKind,
    Reservation,
    ReservationLine,
    ReservationState,
    StockLevel,
    check_repeat,
    insufficient_stock,
    line_deltas,
    needs_finishing,
    out_of_stock,
)
from services.inventory.tables import (
    MovementRow,
    ReservationLineRow,
    ReservationRow,
    StockLevelRow,
)
from services.inventory.validation import AdjustCommand, ReserveCommand, unknown_skus

_NO_SYNC = {"synchronize_session": False}


class DuplicateRequest(Exception):
    """A concurrent twin of this request (same reservation or request id) committed first.
    The transaction is spoiled; running the request again in a new one answers the repeat."""


def reserve(session: Session, command: ReserveCommand, now: datetime) -> Reservation:
    """All or nothing: OUT_OF_STOCK on the first short line, and the caller's rollback undoes
    every line already held. A known reservation id returns that reservation unchanged."""
    existing = repository.get_reservation(session, command.reservation_id)
    if existing is not None:
        return check_repeat(existing, command.order_id)
    skus = [line.sku for line in command.lines]
    unknown_skus(skus, set(repository.products_by_sku(session, skus)))
    active = str(ReservationState.ACTIVE)
    session.add(
        ReservationRow(
            reservation_id=command.reservation_id,
            order_id=command.order_id,
            state=active,
            create_time=now,
            update_time=now,
        )
    )
    _flush_first_writer(session)
    for line in command.lines:
        if not _hold(session, line):
            level = repository.stock_level(session, line.location_id, line.sku)
            raise out_of_stock(line, level.available_to_promise)
        session.add(
            ReservationLineRow(
                reservation_id=command.reservation_id,
                location_id=line.location_id,
                sku=line.sku,
                quantity=line.quantity,
            )
        )
        _record(
            session,
            line,
            MovementKind.RESERVE,
            command.reservation_id,
            f"order {command.order_id}",
            now,
        )
    session.flush()
    return Reservation(
        command.reservation_id, command.order_id, ReservationState.ACTIVE, command.lines, now, now
    )


def finish(
    session: Session, reservation_id: str, kind: MovementKind, reason: str, now: datetime
) -> Reservation:
    """Releases (kind RELEASE) or commits (kind COMMIT) an active reservation; a repeat returns
    it as is. The state flips with a conditional UPDATE first, so it happens exactly once."""
    target = FINISHED_STATE[kind]
    for _attempt in range(2):
        reservation = existing_reservation(session, reservation_id)
        if not needs_finishing(reservation, kind):
            return reservation
        if _claim(session, reservation_id, target, now):
            break
    else:  # pragma: no cover - a reservation never returns to ACTIVE
        raise RuntimeError(f"reservation {reservation_id} keeps changing")
    for line in reservation.lines:
        on_hand_delta, reserved_delta = line_deltas(kind, line.quantity)
        _apply(session, line, on_hand_delta, reserved_delta)
        _record(session, line, kind, reservation_id, reason, now)
    session.flush()
    return replace(reservation, state=target, update_time=now)


def adjust(session: Session, command: AdjustCommand, now: datetime) -> StockLevel:
    """Changes on hand (and sets safety stock) once per request id; a repeat returns the level
    as it is now. INSUFFICIENT_STOCK when on hand would drop below what is reserved."""
    kind = command.kind or MovementKind.ADJUSTMENT
    location_id, sku, delta = command.location_id, command.sku, command.on_hand_delta
    if repository.movement_exists(session, command.request_id, location_id, sku, kind):
        return repository.stock_level(session, location_id, sku)
    unknown_skus([sku], set(repository.products_by_sku(session, [sku])))
    _ensure_stock_row(session, location_id, sku)
    session.add(
        MovementRow(
            location_id=location_id,
            sku=sku,
            kind=str(kind),
            on_hand_delta=delta,
            reserved_delta=0,
            reference=command.request_id,
            reason=command.reason,
            create_time=now,
        )
    )
    _flush_first_writer(session)
    values: dict[str, Any] = {"on_hand": col(StockLevelRow.on_hand) + delta}
    if command.safety_stock is not None:
        values["safety_stock"] = command.safety_stock
    statement = (
        update(StockLevelRow)
        .where(*_stock_key(location_id, sku))
        .where(col(StockLevelRow.on_hand) + delta >= col(StockLevelRow.reserved))
        .values(values)
        .execution_options(**_NO_SYNC)
    )
    if _rowcount(session, statement) != 1:
        raise insufficient_stock(repository.stock_level(session, location_id, sku), delta)
    return repository.stock_level(session, location_id, sku)


def existing_reservation(session: Session, reservation_id: str) -> Reservation:
    reservation = repository.get_reservation(session, reservation_id)
    if reservation is None:
        raise NotFound(
            "RESERVATION_NOT_FOUND",
            f"no reservation {reservation_id}",
            {"reservation_id": reservation_id},
        )
    return reservation


def _hold(session: Session, line: ReservationLine) -> bool:
    """reserved += quantity, only where that much is available to promise."""
    available = (
        col(StockLevelRow.on_hand) - col(StockLevelRow.reserved) - col(StockLevelRow.safety_stock)
    )
    statement = (
        update(StockLevelRow)
        .where(*_stock_key(line.location_id, line.sku))
        .where(available >= line.quantity)
        .values(reserved=col(StockLevelRow.reserved) + line.quantity)
        .execution_options(**_NO_SYNC)
    )
    return _rowcount(session, statement) == 1


def _claim(session: Session, reservation_id: str, target: ReservationState, now: datetime) -> bool:
    statement = (
        update(ReservationRow)
        .where(col(ReservationRow.reservation_id) == reservation_id)
        .where(col(ReservationRow.state) == str(ReservationState.ACTIVE))
        .values(state=str(target), update_time=now)
        .execution_options(**_NO_SYNC)
    )
    return _rowcount(session, statement) == 1


def _apply(
    session: Session, line: ReservationLine, on_hand_delta: int, reserved_delta: int
) -> None:
    statement = (
        update(StockLevelRow)
        .where(*_stock_key(line.location_id, line.sku))
        .values(
            on_hand=col(StockLevelRow.on_hand) + on_hand_delta,
            reserved=col(StockLevelRow.reserved) + reserved_delta,
        )
        .execution_options(**_NO_SYNC)
    )
    if _rowcount(session, statement) != 1:
        raise RuntimeError(f"no stock row for {line.location_id}/{line.sku} of a reservation")


def _record(
    session: Session,
    line: ReservationLine,
    kind: MovementKind,
    reference: str,
    reason: str,
    now: datetime,
) -> None:
    on_hand_delta, reserved_delta = line_deltas(kind, line.quantity)
    session.add(
        MovementRow(
            location_id=line.location_id,
            sku=line.sku,
            kind=str(kind),
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            reference=reference,
            reason=reason,
            create_time=now,
        )
    )


def _ensure_stock_row(session: Session, location_id: str, sku: str) -> None:
    """Creates the all-zero row unless it exists (safe against a concurrent creator)."""
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = (
        insert(StockLevelRow)
        .values(
            location_id=location_id, sku=sku, on_hand=0, reserved=0, safety_stock=0, in_transit=0
        )
        .on_conflict_do_nothing(index_elements=["location_id", "sku"])
    )
    session.execute(statement)


def _flush_first_writer(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as error:
        raise DuplicateRequest(str(error.orig)) from error


def _stock_key(location_id: str, sku: str) -> tuple[Any, Any]:
    return col(StockLevelRow.location_id) == location_id, col(StockLevelRow.sku) == sku


def _rowcount(session: Session, statement: Any) -> int:
    result = cast("CursorResult[Any]", session.execute(statement))
    return result.rowcount
