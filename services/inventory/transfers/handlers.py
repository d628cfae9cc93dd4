"""Transfers of reserved stock: create, ship, receive, cancel. Each runs inside the caller's
transaction and follows the lock order of ``reservations.updates``: the reservation's row first
(its lines may change), then the transfer's state with a conditional UPDATE (exactly one of
concurrent callers moves it; the others answer from what it wrote), then stock rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from services.common.errors import NotFound
from services.inventory.reservations import updates
from services.inventory.reservations.domain import ReservationLine, not_active
from services.inventory.reservations.repository import existing_reservation, held_at
from services.inventory.stock.domain import StockChange
from services.inventory.stock.postings import flush_first_writer, post
from services.inventory.transfers import updates as transfer_updates
from services.inventory.transfers.domain import (
    Transfer,
    TransferState,
    as_lines,
    cancelled_changes,
    check_receipt_repeat,
    check_same_request,
    created_changes,
    destination_lines,
    exceeds_reservation,
    received_changes,
    received_quantities,
    repeat_of,
    shipped_changes,
)
from services.inventory.transfers.repository import created_transfer_ids, get_transfer
from services.inventory.transfers.tables import TransferLineRow, TransferRow
from services.inventory.transfers.validation import ReceiveCommand

CREATED, SHIPPED = TransferState.CREATED, TransferState.SHIPPED
RECEIVED, CANCELLED = TransferState.RECEIVED, TransferState.CANCELLED


def create(session: Session, transfer: Transfer, now: datetime) -> Transfer:
    """The source's units are earmarked in the reservation and the destination's in_transit
    grows. A repeat returns the transfer as is; the id reused for other content is
    ALREADY_EXISTS; more than the reservation holds (and has not earmarked) at the source is
    TRANSFER_EXCEEDS_RESERVATION."""
    existing = get_transfer(session, transfer.transfer_id)
    if existing is not None:
        return check_same_request(existing, transfer)
    if not updates.lock_active(session, transfer.reservation_id):
        raise not_active(existing_reservation(session, transfer.reservation_id))
    _insert(session, transfer, now)
    for line in transfer.lines:
        held = ReservationLine(transfer.source_id, line.sku, line.quantity)
        if not updates.earmark(session, transfer.reservation_id, held):
            quantity, transferring = held_at(
                session, transfer.reservation_id, transfer.source_id, line.sku
            )
            raise exceeds_reservation(transfer, line, quantity - transferring)
    post(session, created_changes(transfer), now)
    return replace(transfer, state=CREATED, create_time=now)


def _insert(session: Session, transfer: Transfer, now: datetime) -> None:
    session.add(
        TransferRow(
            transfer_id=transfer.transfer_id,
            reservation_id=transfer.reservation_id,
            source_id=transfer.source_id,
            destination_id=transfer.destination_id,
            state=str(CREATED),
            create_time=now,
        )
    )
    flush_first_writer(session)
    for line in transfer.lines:
        session.add(
            TransferLineRow(transfer_id=transfer.transfer_id, sku=line.sku, quantity=line.quantity)
        )
    session.flush()


def ship(session: Session, transfer_id: str, now: datetime) -> Transfer:
    """CREATED -> SHIPPED: the units leave the source's on hand, reserved and reservation. A
    repeat returns it as is; any other state is TRANSFER_NOT_SHIPPABLE."""
    transfer = existing_transfer(session, transfer_id)
    active = updates.lock_active(session, transfer.reservation_id)
    if not transfer_updates.move_transfer(session, transfer_id, CREATED, SHIPPED, ship_time=now):
        current = existing_transfer(session, transfer_id)
        return repeat_of(current, SHIPPED, "TRANSFER_NOT_SHIPPABLE", "shipped")
    _expect(active, transfer)
    for line in transfer.lines:
        taken = ReservationLine(transfer.source_id, line.sku, line.quantity)
        _expect(updates.take(session, transfer.reservation_id, taken, earmarked=True), transfer)
    updates.touch(session, transfer.reservation_id, now)
    post(session, shipped_changes(transfer), now)
    return replace(transfer, state=SHIPPED, ship_time=now)


def receive(session: Session, command: ReceiveCommand, now: datetime) -> Transfer:
    """SHIPPED -> RECEIVED at the destination: in_transit drops by what was shipped, on hand
    grows by what arrived, reserved for the reservation while it is active (else the units
    land unreserved). An identical repeat returns the transfer as is."""
    transfer = existing_transfer(session, command.transfer_id)
    received = received_quantities(transfer, command.location_id, command.lines)
    active = updates.lock_active(session, transfer.reservation_id)
    moved = transfer_updates.move_transfer(
        session, transfer.transfer_id, SHIPPED, RECEIVED, receive_time=now
    )
    if not moved:
        return check_receipt_repeat(existing_transfer(session, transfer.transfer_id), received)
    transfer_updates.record_received(session, transfer.transfer_id, received)
    post(session, received_changes(transfer, received, reserve=active), now)
    gained = destination_lines(transfer, received) if active else []
    for line in gained:
        updates.add(session, transfer.reservation_id, line)
    if gained:
        updates.touch(session, transfer.reservation_id, now)
    return replace(transfer, state=RECEIVED, received_lines=as_lines(received), receive_time=now)


def cancel(session: Session, transfer_id: str, now: datetime) -> Transfer:
    """CREATED -> CANCELLED: the destination no longer expects the units and the reservation
    keeps them at the source. A repeat returns it as is; once shipped it is
    TRANSFER_NOT_CANCELLABLE."""
    transfer = existing_transfer(session, transfer_id)
    updates.lock_active(session, transfer.reservation_id)
    changes = _cancel(session, transfer)
    if changes is None:
        current = existing_transfer(session, transfer_id)
        return repeat_of(current, CANCELLED, "TRANSFER_NOT_CANCELLABLE", "cancelled")
    post(session, changes, now)
    return replace(transfer, state=CANCELLED)


def cancel_created(session: Session, reservation_id: str) -> list[StockChange]:
    """Cancels the reservation's transfers that were not shipped (its row is locked by the
    caller); returns the stock changes to post."""
    changes: list[StockChange] = []
    for transfer_id in created_transfer_ids(session, reservation_id):
        cancelled = _cancel(session, existing_transfer(session, transfer_id))
        changes += _expected(cancelled, transfer_id)
    return changes


def _cancel(session: Session, transfer: Transfer) -> list[StockChange] | None:
    """CREATED -> CANCELLED and the earmarks undone; None when it was not CREATED."""
    if not transfer_updates.move_transfer(session, transfer.transfer_id, CREATED, CANCELLED):
        return None
    for line in transfer.lines:
        earmarked = ReservationLine(transfer.source_id, line.sku, line.quantity)
        _expect(updates.unearmark(session, transfer.reservation_id, earmarked), transfer)
    return cancelled_changes(transfer)


def existing_transfer(session: Session, transfer_id: str) -> Transfer:
    transfer = get_transfer(session, transfer_id)
    if transfer is None:
        raise NotFound(
            "TRANSFER_NOT_FOUND", f"no transfer {transfer_id}", {"transfer_id": transfer_id}
        )
    return transfer


def _expect(ok: bool, transfer: Transfer) -> None:
    """A CREATED transfer's reservation is active and holds its earmarked units (every change
    to either goes through the reservation's row lock); anything else is a bug."""
    if not ok:
        raise RuntimeError(f"transfer {transfer.transfer_id} and its reservation disagree")


def _expected(changes: list[StockChange] | None, transfer_id: str) -> list[StockChange]:
    if changes is None:
        raise RuntimeError(f"transfer {transfer_id} changed under its reservation's lock")
    return changes
