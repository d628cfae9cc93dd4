"""The conditional UPDATEs on reservations and their lines (those on transfers are in
``transfers.updates``). A state changes only from the state the statement names, so exactly
one of several concurrent callers wins; the loser sees 0 rows and answers from what the winner
wrote.

Locks are taken in one order by every operation: reservation row(s) by id, then transfer rows,
then stock rows by (location, sku), then reservation lines (which change only under their
reservation's row lock). That order rules out deadlocks between transactions and processes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col

from services.inventory.reservations.domain import ReservationLine, ReservationState
from services.inventory.reservations.tables import ReservationLineRow, ReservationRow
from services.inventory.stock.updates import NO_SYNC, insert_for, rowcount

_ACTIVE = str(ReservationState.ACTIVE)


def claim(session: Session, reservation_id: str, target: ReservationState, now: datetime) -> bool:
    """ACTIVE -> target, only if still ACTIVE: exactly one caller wins."""
    return _update_reservation(session, reservation_id, [], state=str(target), update_time=now)


def claim_expired(session: Session, reservation_id: str, now: datetime) -> bool:
    """ACTIVE -> EXPIRED, only for a hold whose expiry has passed."""
    expire_time = col(ReservationRow.expire_time)
    condition = [expire_time.is_not(None), expire_time <= now]
    expired = str(ReservationState.EXPIRED)
    return _update_reservation(session, reservation_id, condition, state=expired, update_time=now)


def convert(session: Session, reservation_id: str, order_id: str, now: datetime) -> bool:
    """A live hold (ACTIVE, expiry still ahead, no other order) becomes the order's."""
    expire_time = col(ReservationRow.expire_time)
    condition = [
        expire_time.is_not(None),
        expire_time > now,
        col(ReservationRow.order_id).in_(["", order_id]),
    ]
    return _update_reservation(
        session, reservation_id, condition, order_id=order_id, expire_time=None, update_time=now
    )


def lock_active(session: Session, reservation_id: str) -> bool:
    """Locks an ACTIVE reservation's row (its lines may change next) without changing it;
    False when it is not active (or unknown)."""
    unchanged = col(ReservationRow.update_time)
    return _update_reservation(session, reservation_id, [], update_time=unchanged)


def touch(session: Session, reservation_id: str, now: datetime) -> None:
    """The reservation's lines changed (its row is locked already)."""
    statement = (
        update(ReservationRow)
        .where(col(ReservationRow.reservation_id) == reservation_id)
        .values(update_time=now)
        .execution_options(**NO_SYNC)
    )
    session.execute(statement)


def _update_reservation(
    session: Session, reservation_id: str, condition: list[Any], **values: Any
) -> bool:
    statement = (
        update(ReservationRow)
        .where(col(ReservationRow.reservation_id) == reservation_id)
        .where(col(ReservationRow.state) == _ACTIVE, *condition)
        .values(**values)
        .execution_options(**NO_SYNC)
    )
    return rowcount(session, statement) == 1


def earmark(session: Session, reservation_id: str, line: ReservationLine) -> bool:
    """transferring += quantity, only where the line holds that much not already earmarked."""
    row = ReservationLineRow
    statement = (
        update(row)
        .where(*_line_key(reservation_id, line))
        .where(col(row.quantity) - col(row.transferring) >= line.quantity)
        .values(transferring=col(row.transferring) + line.quantity)
        .execution_options(**NO_SYNC)
    )
    return rowcount(session, statement) == 1


def unearmark(session: Session, reservation_id: str, line: ReservationLine) -> bool:
    """transferring -= quantity (a transfer was cancelled)."""
    row = ReservationLineRow
    statement = (
        update(row)
        .where(*_line_key(reservation_id, line))
        .where(col(row.transferring) >= line.quantity)
        .values(transferring=col(row.transferring) - line.quantity)
        .execution_options(**NO_SYNC)
    )
    return rowcount(session, statement) == 1


def take(session: Session, reservation_id: str, line: ReservationLine, earmarked: bool) -> bool:
    """The line shrinks by ``line.quantity`` (and goes when nothing is left): units that were
    earmarked for a transfer (``earmarked``), or units that are not (a short pick). False when
    the line does not hold that many of the kind asked."""
    row, quantity = ReservationLineRow, line.quantity
    from_transferring = quantity if earmarked else 0
    remove = (
        delete(row)
        .where(*_line_key(reservation_id, line))
        .where(col(row.quantity) == quantity, col(row.transferring) == from_transferring)
        .execution_options(**NO_SYNC)
    )
    if rowcount(session, remove) == 1:
        return True
    shrink = (
        update(row)
        .where(*_line_key(reservation_id, line))
        .where(col(row.quantity) > quantity, col(row.transferring) >= from_transferring)
        .where(col(row.quantity) - col(row.transferring) >= quantity - from_transferring)
        .values(
            quantity=col(row.quantity) - quantity,
            transferring=col(row.transferring) - from_transferring,
        )
        .execution_options(**NO_SYNC)
    )
    return rowcount(session, shrink) == 1


def add(session: Session, reservation_id: str, line: ReservationLine) -> None:
    """The line grows by ``line.quantity`` (created when the reservation had none there)."""
    insert = insert_for(session)(ReservationLineRow).values(
        reservation_id=reservation_id,
        location_id=line.location_id,
        sku=line.sku,
        quantity=line.quantity,
        transferring=0,
    )
    statement = insert.on_conflict_do_update(
        index_elements=["reservation_id", "location_id", "sku"],
        set_={"quantity": col(ReservationLineRow.quantity) + insert.excluded.quantity},
    )
    session.execute(statement)


def _line_key(reservation_id: str, line: ReservationLine) -> tuple[Any, Any, Any]:
    return (
        col(ReservationLineRow.reservation_id) == reservation_id,
        col(ReservationLineRow.location_id) == line.location_id,
        col(ReservationLineRow.sku) == line.sku,
    )
