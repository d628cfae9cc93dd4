"""Reservations, many to a transaction: the ``write`` of the inventory's group commit
(``services.common.group_commit``), with the statements of ``reservations.statements``.

Each reservation is all or nothing and idempotent by its id, and one that is refused never
affects the others written with it. Locks are taken in the order every inventory transaction
takes them (reservation rows by id, then stock rows by (location, sku)):

1. the headers, in id order, each unless its id is known: a known id is a repeat, answered
   with the reservation as it is (RESERVATION_ID_IN_USE when it belongs to another order);
2. on PostgreSQL, the stock rows the new reservations name, in (location, sku) order, so the
   groups of several processes never deadlock (on SQLite the writer holds the whole file);
3. per new reservation, its lines held one conditional UPDATE each, under a SAVEPOINT when it
   has several. When a line is short, what the reservation held is rolled back and its header
   dropped: NOT_FOUND when a sku is not a product (a stock row exists only for products),
   else OUT_OF_STOCK with what is available there;
4. the lines and RESERVE movements of every reservation made, one statement each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection
from sqlmodel import Session

from services.common.db import savepoint
from services.common.errors import DomainError
from services.inventory.reservations import statements
from services.inventory.reservations.domain import (
    Reservation,
    ReservationLine,
    ReservationState,
    check_repeat,
    hold_expiry,
    out_of_stock,
)
from services.inventory.reservations.repository import get_reservation
from services.inventory.reservations.validation import ReserveCommand
from services.inventory.stock import repository
from services.inventory.stock.validation import unknown_skus

Outcome = Reservation | DomainError


@dataclass(frozen=True)
class Reserving:
    """A validated Reserve request and the time it was made."""

    command: ReserveCommand
    now: datetime

    @property
    def reservation(self) -> Reservation:
        """The reservation it makes."""
        command, now = self.command, self.now
        expiry = hold_expiry(now, command.ttl_seconds)
        state = ReservationState.ACTIVE
        return Reservation(
            command.reservation_id,
            command.order_id,
            state,
            command.lines,
            now,
            now,
            expiry,
            command.owner_id,
        )


def reservation_key(item: Reserving) -> str:
    return item.command.reservation_id


def reserve_all(connection: Connection, items: Sequence[Reserving]) -> list[Outcome]:
    """One outcome per item, in order (their ids are distinct): the reservation, or why not."""
    wanted = {reservation_key(item): item.reservation for item in items}
    new = [r for _id, r in sorted(wanted.items()) if statements.insert_header(connection, r)]
    if new and connection.dialect.name == "postgresql":
        statements.lock_stock(connection, {(x.location_id, x.sku) for r in new for x in r.lines})
    refused = {r.reservation_id: _refusal(connection, r) for r in new}
    made = [r for r in new if refused[r.reservation_id] is None]
    statements.record(connection, made)
    outcomes: list[Outcome] = []
    for item in items:
        reservation_id = reservation_key(item)
        if reservation_id not in refused:
            outcomes.append(_repeat(connection, item.command))
        else:
            outcomes.append(refused[reservation_id] or wanted[reservation_id])
    return outcomes


def _refusal(connection: Connection, reservation: Reservation) -> DomainError | None:
    """Holds every line of a new reservation, or none of them and says why."""
    short = _hold_lines(connection, reservation.lines)
    if short is None:
        return None
    statements.drop_header(connection, reservation.reservation_id)
    return _why_short(connection, reservation, short)


def _hold_lines(connection: Connection, lines: Sequence[ReservationLine]) -> ReservationLine | None:
    """The first line that is short (None when all were held). A single line needs no
    savepoint: its one UPDATE either wrote or did not."""
    if len(lines) == 1:
        return None if statements.hold(connection, lines[0]) else lines[0]
    try:
        with savepoint(connection, "reservation"):
            for line in lines:
                if not statements.hold(connection, line):
                    raise _Short(line)
    except _Short as short:
        return short.line
    return None


class _Short(Exception):
    """A line could not be held: the savepoint rolls back the lines held before it."""

    def __init__(self, line: ReservationLine) -> None:
        super().__init__(f"{line.quantity} x {line.sku} short at {line.location_id}")
        self.line = line


def _why_short(
    connection: Connection, reservation: Reservation, short: ReservationLine
) -> DomainError:
    skus = [line.sku for line in reservation.lines]
    with Session(bind=connection) as session:
        try:
            unknown_skus(skus, set(repository.products_by_sku(session, skus)))
        except DomainError as error:
            return error
        level = repository.stock_level(session, short.location_id, short.sku)
    return out_of_stock(short, level.available_to_promise)


def _repeat(connection: Connection, command: ReserveCommand) -> Outcome:
    with Session(bind=connection) as session:
        existing = get_reservation(session, command.reservation_id)
    if existing is None:  # pragma: no cover - its id conflicted, so the row is there
        raise RuntimeError(f"reservation {command.reservation_id} vanished")
    try:
        return check_repeat(existing, command.order_id, command.owner_id)
    except DomainError as error:
        return error
