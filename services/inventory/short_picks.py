"""Short picks: reserved units a picker could not find (or found damaged) leave the reservation
and the shelf, once per request id."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services.inventory import repository, stock_updates
from services.inventory import reservation_updates as updates
from services.inventory.domain import (
    MovementKind,
    Reservation,
    ReservationLine,
    StockLevel,
    line_change,
    not_active,
    short_pick_exceeds,
)
from services.inventory.postings import existing_reservation, flush_first_writer, movement_row
from services.inventory.transfer_validation import ShortPickCommand


def record_short_pick(
    session: Session, command: ShortPickCommand, now: datetime
) -> tuple[Reservation, StockLevel]:
    """reserved and on hand drop at the location and the reservation's line shrinks (movement
    SHORT_PICK with the reason). A repeated request id returns the reservation and the level
    as they are now. SHORT_PICK_EXCEEDS_RESERVATION when the reservation holds fewer units
    there (not counting those a transfer is about to move away)."""
    line = ReservationLine(command.location_id, command.sku, command.quantity)
    done = repository.movement_exists(
        session, command.request_id, line.location_id, line.sku, MovementKind.SHORT_PICK
    )
    if not done:
        _take(session, command, line, now)
    reservation = existing_reservation(session, command.reservation_id)
    return reservation, repository.stock_level(session, line.location_id, line.sku)


def _take(
    session: Session, command: ShortPickCommand, line: ReservationLine, now: datetime
) -> None:
    """The movement goes first: a concurrent twin of the request waits on its key and then
    answers the repeat, instead of finding the units already gone."""
    reservation_id = command.reservation_id
    change = line_change(line, MovementKind.SHORT_PICK, command.request_id, command.reason)
    session.add(movement_row(change, now))
    flush_first_writer(session)
    if not updates.lock_active(session, reservation_id):
        raise not_active(existing_reservation(session, reservation_id))
    if not updates.take(session, reservation_id, line, earmarked=False):
        quantity, transferring = repository.held_at(
            session, reservation_id, line.location_id, line.sku
        )
        raise short_pick_exceeds(line, quantity - transferring)
    updates.touch(session, reservation_id, now)
    stock_updates.apply(session, change)
