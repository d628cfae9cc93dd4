"""Settling reservations: the writes that give back or take out reserved stock when a reservation
is released or committed (holding it is ``reservations.batch``'s). Each runs inside the caller's
transaction (helpers never commit), writes a movement for every change, and never reads a
quantity to decide a write: the checks live in the conditional UPDATEs of ``stock.updates`` and
``reservations.updates``, so concurrent callers (threads, or processes on PostgreSQL) cannot
oversell. Lines are handled in (location, sku) order, so stock rows are always locked in one
order, which rules out deadlocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from services.inventory.reservations import updates as reservation_updates
from services.inventory.reservations.domain import (
    FINISHED_STATE,
    Reservation,
    line_change,
    needs_finishing,
)
from services.inventory.reservations.repository import existing_reservation
from services.inventory.stock.domain import MovementKind, StockChange
from services.inventory.stock.postings import post

# What else a finished reservation gives back: the changes of cancelling its transfers that were
# not shipped yet. The service passes ``transfers.handlers.cancel_created``, so this package
# needs nothing of the transfers that build on it.
CancelTransfers = Callable[[Session, str], list[StockChange]]


def finish(
    session: Session,
    reservation_id: str,
    kind: MovementKind,
    reason: str,
    now: datetime,
    cancel_transfers: CancelTransfers,
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
    finished, changes = give_back(session, reservation_id, kind, reason, now, cancel_transfers)
    post(session, changes, now)
    return finished


def give_back(
    session: Session,
    reservation_id: str,
    kind: MovementKind,
    reason: str,
    now: datetime,
    cancel_transfers: CancelTransfers,
) -> tuple[Reservation, list[StockChange]]:
    """After the reservation was claimed (RELEASE, COMMIT or EXPIRE): the changes for what it
    holds now, at every location, and for its transfers that were not shipped yet, which are
    cancelled (their destinations' in_transit goes back down). The caller posts the changes."""
    reservation = existing_reservation(session, reservation_id)
    changes = [line_change(line, kind, reservation_id, reason) for line in reservation.lines]
    changes += cancel_transfers(session, reservation_id)
    return replace(reservation, update_time=now), changes
