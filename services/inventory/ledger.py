"""The writes that move stock. Each runs inside the caller's transaction (helpers never commit),
writes a movement for every change to on hand or reserved, and never reads a quantity to decide
a write: the checks live in the conditional UPDATEs of ``stock_updates``, so concurrent callers
(threads, or processes on PostgreSQL) cannot oversell. Lines are handled in (location, sku)
order, so stock rows are always locked in one order, which rules out deadlocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.common.errors import NotFound
from services.inventory import repository, stock_updates
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
)
from services.inventory.validation import AdjustCommand, ReserveCommand, unknown_skus


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
    header = ReservationRow(
        reservation_id=command.reservation_id,
        order_id=command.order_id,
        state=str(ReservationState.ACTIVE),
        create_time=now,
        update_time=now,
    )
    session.add(header)
    _flush_first_writer(session)
    for line in command.lines:
        _hold_line(session, command, line, now)
    session.flush()
    return Reservation(
        command.reservation_id, command.order_id, ReservationState.ACTIVE, command.lines, now, now
    )


def _hold_line(
    session: Session, command: ReserveCommand, line: ReservationLine, now: datetime
) -> None:
    if not stock_updates.hold(session, line):
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
    reason = f"order {command.order_id}"
    _record(session, line, MovementKind.RESERVE, command.reservation_id, reason, now)


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
        if stock_updates.claim(session, reservation_id, target, now):
            break
    else:  # pragma: no cover - a reservation never returns to ACTIVE
        raise RuntimeError(f"reservation {reservation_id} keeps changing")
    for line in reservation.lines:
        on_hand_delta, reserved_delta = line_deltas(kind, line.quantity)
        stock_updates.apply(session, line, on_hand_delta, reserved_delta)
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
    stock_updates.ensure_stock_row(session, location_id, sku)
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
    if not stock_updates.change_on_hand(session, location_id, sku, delta, command.safety_stock):
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


def _flush_first_writer(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as error:
        raise DuplicateRequest(str(error.orig)) from error
