"""Units taken out of an active reservation, one line at a time and once per request id: a
short pick (units a picker could not find, or found damaged, leave the shelf too) or a release
(units the customer did not collect stay in the building and are available again). The
reservation stays ACTIVE, so a later Commit commits only what it still holds."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services.inventory.reservations import updates
from services.inventory.reservations.domain import (
    TAKE_KINDS,
    Reservation,
    ReservationLine,
    line_change,
    not_active,
    take_exceeds,
)
from services.inventory.reservations.repository import existing_reservation, held_at
from services.inventory.reservations.validation import TakeUnitsCommand
from services.inventory.stock import repository
from services.inventory.stock import updates as stock_updates
from services.inventory.stock.domain import MovementKind, StockLevel
from services.inventory.stock.postings import flush_first_writer, movement_row


def take_units(
    session: Session, command: TakeUnitsCommand, kind: MovementKind, now: datetime
) -> tuple[Reservation, StockLevel]:
    """The reservation's line shrinks and reserved drops at the location (on hand too for a
    SHORT_PICK, not for a RELEASE); one movement of ``kind`` with the reason. A repeated
    request id returns the reservation and the level as they are now. <KIND>_EXCEEDS_RESERVATION
    when the reservation holds fewer units there (not counting those a transfer is about to move
    away); RESERVATION_NOT_ACTIVE once it was released, committed or expired."""
    if kind not in TAKE_KINDS:
        raise ValueError(f"{kind} does not take units out of a reservation")
    line = ReservationLine(command.location_id, command.sku, command.quantity)
    done = repository.movement_exists(session, command.request_id, line.location_id, line.sku, kind)
    if not done:
        _take(session, command, kind, line, now)
    reservation = existing_reservation(session, command.reservation_id)
    return reservation, repository.stock_level(session, line.location_id, line.sku)


def _take(
    session: Session,
    command: TakeUnitsCommand,
    kind: MovementKind,
    line: ReservationLine,
    now: datetime,
) -> None:
    """The movement goes first: a concurrent twin of the request waits on its key and then
    answers the repeat, instead of finding the units already gone."""
    reservation_id = command.reservation_id
    change = line_change(line, kind, command.request_id, command.reason)
    session.add(movement_row(change, now))
    flush_first_writer(session)
    if not updates.lock_active(session, reservation_id):
        raise not_active(existing_reservation(session, reservation_id))
    if not updates.take(session, reservation_id, line, earmarked=False):
        quantity, transferring = held_at(session, reservation_id, line.location_id, line.sku)
        raise take_exceeds(kind, line, quantity - transferring)
    updates.touch(session, reservation_id, now)
    stock_updates.apply(session, change)
