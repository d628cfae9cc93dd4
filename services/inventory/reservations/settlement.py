"""Finishing reservations and adjusting stock: the writes that give back, take out and correct
stock (holding it is ``reservation_batch``'s). Each runs inside the caller's transaction
(helpers never commit), writes a movement for every change, and never reads a quantity to
decide a write: the checks live in the conditional UPDATEs of ``stock_updates`` and
``reservation_updates``, so concurrent callers (threads, or processes on PostgreSQL) cannot
oversell. Lines are handled in (location, sku) order, so stock rows are always locked in one
order, which rules out deadlocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from services.inventory import repository, reservation_updates, stock_updates, transfers
from services.inventory.domain import (
    FINISHED_STATE,
    MovementKind,
    Reservation,
    StockChange,
    StockLevel,
    insufficient_stock,
    line_change,
    needs_finishing,
)
from services.inventory.postings import existing_reservation, flush_first_writer, post
from services.inventory.tables import MovementRow
from services.inventory.validation import AdjustCommand, unknown_skus


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
        if reservation_updates.claim(session, reservation_id, target, now):
            break
    else:  # pragma: no cover - a reservation never returns to ACTIVE
        raise RuntimeError(f"reservation {reservation_id} keeps changing")
    finished, changes = give_back(session, reservation_id, kind, reason, now)
    post(session, changes, now)
    return finished


def give_back(
    session: Session, reservation_id: str, kind: MovementKind, reason: str, now: datetime
) -> tuple[Reservation, list[StockChange]]:
    """After the reservation was claimed (RELEASE, COMMIT or EXPIRE): the changes for what it
    holds now, at every location, and for its transfers that were not shipped yet, which are
    cancelled (their destinations' in_transit goes back down). The caller posts the changes."""
    reservation = existing_reservation(session, reservation_id)
    changes = [line_change(line, kind, reservation_id, reason) for line in reservation.lines]
    changes += transfers.cancel_created(session, reservation_id)
    return replace(reservation, update_time=now), changes


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
    flush_first_writer(session)
    if not stock_updates.change_on_hand(session, location_id, sku, delta, command.safety_stock):
        raise insufficient_stock(repository.stock_level(session, location_id, sku), delta)
    return repository.stock_level(session, location_id, sku)
