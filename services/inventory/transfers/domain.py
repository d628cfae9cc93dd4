"""Transfers of reserved stock between locations: the rules, free of storage and transport.

CREATED -> SHIPPED -> RECEIVED, or CREATED -> CANCELLED. Creating one puts the units in transit
towards the destination (they stay reserved at the source); shipping takes them out of the
source; receiving puts what arrived on the destination's shelf, reserved for the same
reservation while it is active. Movements at the destination that only move in_transit carry
the transfer id with ``/created`` or ``/cancelled`` appended; shipping and receiving carry the
transfer id itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.common.errors import AlreadyExists, FailedPrecondition
from services.inventory.reservations.domain import ReservationLine
from services.inventory.stock.domain import MovementKind, StockChange


class TransferState(StrEnum):
    CREATED = "CREATED"
    SHIPPED = "SHIPPED"
    RECEIVED = "RECEIVED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class TransferLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Transfer:
    transfer_id: str
    reservation_id: str
    source_id: str
    destination_id: str
    state: TransferState
    lines: tuple[TransferLine, ...]  # sorted by sku, one per sku
    received_lines: tuple[TransferLine, ...] = ()
    create_time: datetime | None = None
    ship_time: datetime | None = None
    receive_time: datetime | None = None

    @property
    def shipped(self) -> dict[str, int]:
        return {line.sku: line.quantity for line in self.lines}


def check_same_request(existing: Transfer, requested: Transfer) -> Transfer:
    """A repeated CreateTransfer returns the transfer as it is now; the id may not be reused
    for other content."""
    keys = ("reservation_id", "source_id", "destination_id", "lines")
    if any(getattr(existing, key) != getattr(requested, key) for key in keys):
        raise AlreadyExists(
            "TRANSFER_ID_IN_USE",
            f"transfer {existing.transfer_id} exists with other content",
            {"transfer_id": existing.transfer_id},
        )
    return existing


def exceeds_reservation(transfer: Transfer, line: TransferLine, held: int) -> FailedPrecondition:
    return FailedPrecondition(
        "TRANSFER_EXCEEDS_RESERVATION",
        f"{line.quantity} x {line.sku} to move from {transfer.source_id}, reservation "
        f"{transfer.reservation_id} holds {held} there not already on their way",
        {
            "reservation_id": transfer.reservation_id,
            "location_id": transfer.source_id,
            "sku": line.sku,
            "requested": str(line.quantity),
            "held": str(held),
        },
    )


def _refusal(reason: str, transfer: Transfer, action: str) -> FailedPrecondition:
    return FailedPrecondition(
        reason,
        f"transfer {transfer.transfer_id} is {transfer.state.lower()}, cannot be {action}",
        {"transfer_id": transfer.transfer_id, "state": str(transfer.state)},
    )


def repeat_of(transfer: Transfer, done: TransferState, refusal: str, action: str) -> Transfer:
    """After a state change lost (the transfer was not in the state it needs): the transfer as
    is when it already is where the request would take it, else FAILED_PRECONDITION."""
    if transfer.state is done:
        return transfer
    raise _refusal(refusal, transfer, action)


def received_quantities(
    transfer: Transfer, location_id: str, lines: tuple[TransferLine, ...]
) -> dict[str, int]:
    """What a receipt puts on the shelf per sku (every shipped sku, 0 when none came): all
    that was shipped when ``lines`` is empty. WRONG_DESTINATION at another location,
    RECEIVED_MORE_THAN_SHIPPED when any sku exceeds what was shipped."""
    if location_id != transfer.destination_id:
        raise FailedPrecondition(
            "WRONG_DESTINATION",
            f"transfer {transfer.transfer_id} goes to {transfer.destination_id}, not {location_id}",
            {"transfer_id": transfer.transfer_id, "destination_id": transfer.destination_id},
        )
    shipped = transfer.shipped
    if not lines:
        return shipped
    for line in lines:
        if line.quantity > shipped.get(line.sku, 0):
            raise FailedPrecondition(
                "RECEIVED_MORE_THAN_SHIPPED",
                f"{line.quantity} x {line.sku} received, {shipped.get(line.sku, 0)} shipped",
                {
                    "transfer_id": transfer.transfer_id,
                    "sku": line.sku,
                    "received": str(line.quantity),
                    "shipped": str(shipped.get(line.sku, 0)),
                },
            )
    given = {line.sku: line.quantity for line in lines}
    return {sku: given.get(sku, 0) for sku in shipped}


def as_lines(quantities: Mapping[str, int]) -> tuple[TransferLine, ...]:
    """Non-zero quantities as lines, sorted by sku."""
    return tuple(TransferLine(sku, q) for sku, q in sorted(quantities.items()) if q > 0)


def check_receipt_repeat(transfer: Transfer, received: Mapping[str, int]) -> Transfer:
    """A receipt for a transfer that is no longer SHIPPED: an identical repeat of the receipt
    returns it as is; another receipt is ALREADY_RECEIVED; an unshipped (or cancelled) one is
    TRANSFER_NOT_SHIPPED."""
    if transfer.state is not TransferState.RECEIVED:
        raise _refusal("TRANSFER_NOT_SHIPPED", transfer, "received")
    if transfer.received_lines != as_lines(received):
        raise _refusal("ALREADY_RECEIVED", transfer, "received again")
    return transfer


def created_changes(transfer: Transfer) -> list[StockChange]:
    """The destination expects the units: in_transit grows."""
    reason = f"in transit from {transfer.source_id}"
    return [
        StockChange(
            transfer.destination_id,
            line.sku,
            MovementKind.TRANSFER_IN,
            f"{transfer.transfer_id}/created",
            reason,
            in_transit_delta=line.quantity,
        )
        for line in transfer.lines
    ]


def cancelled_changes(transfer: Transfer) -> list[StockChange]:
    """The destination no longer expects the units: in_transit back down."""
    return [
        StockChange(
            transfer.destination_id,
            line.sku,
            MovementKind.TRANSFER_IN,
            f"{transfer.transfer_id}/cancelled",
            f"transfer from {transfer.source_id} cancelled",
            in_transit_delta=-line.quantity,
        )
        for line in transfer.lines
    ]


def shipped_changes(transfer: Transfer) -> list[StockChange]:
    """The units leave the source: on hand and reserved both drop."""
    reason = f"shipped to {transfer.destination_id}"
    return [
        StockChange(
            transfer.source_id,
            line.sku,
            MovementKind.TRANSFER_OUT,
            transfer.transfer_id,
            reason,
            on_hand_delta=-line.quantity,
            reserved_delta=-line.quantity,
        )
        for line in transfer.lines
    ]


def received_changes(
    transfer: Transfer, received: Mapping[str, int], reserve: bool
) -> list[StockChange]:
    """in_transit drops by what was shipped; on hand grows by what arrived, reserved too while
    the reservation is active (else the units land unreserved)."""
    changes = []
    for line in transfer.lines:
        got = received[line.sku]
        reason = f"{got} of {line.quantity} received from {transfer.source_id}"
        if not reserve:
            reason += ", unreserved: the reservation is no longer active"
        changes.append(
            StockChange(
                transfer.destination_id,
                line.sku,
                MovementKind.TRANSFER_IN,
                transfer.transfer_id,
                reason,
                on_hand_delta=got,
                reserved_delta=got if reserve else 0,
                in_transit_delta=-line.quantity,
            )
        )
    return changes


def destination_lines(transfer: Transfer, received: Mapping[str, int]) -> list[ReservationLine]:
    """What the reservation gains at the destination."""
    return [
        ReservationLine(transfer.destination_id, sku, quantity)
        for sku, quantity in sorted(received.items())
        if quantity > 0
    ]
