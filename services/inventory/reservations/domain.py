"""Reservations: what a reservation and its lines are, how finishing, converting or taking units
out of one changes stock, and the refusals on the way. The rules, free of storage and transport.

A reservation goes ACTIVE -> RELEASED, COMMITTED or EXPIRED, once; a checkout hold is an ACTIVE
reservation with an expiry, converted into an order's reservation (expiry cleared) before it
passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from services.common.errors import AlreadyExists, FailedPrecondition, NotFound
from services.inventory.stock.domain import MovementKind, StockChange


class ReservationState(StrEnum):
    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"
    COMMITTED = "COMMITTED"
    EXPIRED = "EXPIRED"


@dataclass(frozen=True)
class ReservationLine:
    location_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Reservation:
    reservation_id: str
    order_id: str
    state: ReservationState
    lines: tuple[ReservationLine, ...]
    create_time: datetime
    update_time: datetime
    expire_time: datetime | None = None  # set while it is a checkout hold
    owner_id: str = ""  # a checkout hold's customer: only they may convert it


# What finishing a reservation does: the state it ends in and the kind of movement it writes.
FINISHED_STATE = {
    MovementKind.RELEASE: ReservationState.RELEASED,
    MovementKind.COMMIT: ReservationState.COMMITTED,
    MovementKind.EXPIRE: ReservationState.EXPIRED,
}


def line_deltas(kind: MovementKind, quantity: int) -> tuple[int, int]:
    """(on_hand_delta, reserved_delta) a reservation line causes: reserving holds stock,
    releasing (or expiring) gives it back, committing, shipping away or a short pick takes it
    out of the building."""
    if kind is MovementKind.RESERVE:
        return 0, quantity
    if kind in (MovementKind.RELEASE, MovementKind.EXPIRE):
        return 0, -quantity
    if kind in (MovementKind.COMMIT, MovementKind.TRANSFER_OUT, MovementKind.SHORT_PICK):
        return -quantity, -quantity
    raise ValueError(f"{kind} is not a reservation movement")


def line_change(
    line: ReservationLine, kind: MovementKind, reference: str, reason: str = ""
) -> StockChange:
    on_hand_delta, reserved_delta = line_deltas(kind, line.quantity)
    return StockChange(
        line.location_id, line.sku, kind, reference, reason, on_hand_delta, reserved_delta
    )


def needs_finishing(reservation: Reservation, kind: MovementKind) -> bool:
    """True when ``kind`` (RELEASE or COMMIT) must still be applied; False when it already was
    (a repeat, answered as is; releasing an expired hold is one too: its stock is back).
    FAILED_PRECONDITION when the reservation ended another way."""
    target = FINISHED_STATE[kind]
    if reservation.state is ReservationState.ACTIVE:
        return True
    if reservation.state is target:
        return False
    if kind is MovementKind.RELEASE and reservation.state is ReservationState.EXPIRED:
        return False
    raise FailedPrecondition(
        "RESERVATION_NOT_ACTIVE",
        f"reservation {reservation.reservation_id} is {reservation.state}, cannot be "
        f"{target.lower()}",
        {"reservation_id": reservation.reservation_id, "state": str(reservation.state)},
    )


def hold_expiry(now: datetime, ttl_seconds: int) -> datetime | None:
    """When a reservation made now expires: never (None) unless it is a hold (ttl > 0)."""
    return now + timedelta(seconds=ttl_seconds) if ttl_seconds > 0 else None


def needs_conversion(reservation: Reservation, order_id: str, owner_id: str, now: datetime) -> bool:
    """True when the hold can become ``order_id``'s reservation; False when it already is
    (answered as is). HOLD_NOT_FOUND when it is someone else's (as if it did not exist);
    RESERVATION_ID_IN_USE when it belongs to another order; HOLD_EXPIRED once its expiry
    passed or it was released."""
    if reservation.owner_id not in ("", owner_id):
        raise hold_not_found(reservation.reservation_id)
    if reservation.order_id not in ("", order_id):
        raise _in_use(reservation)
    converted = reservation.expire_time is None and reservation.order_id == order_id
    if converted and reservation.state in (ReservationState.ACTIVE, ReservationState.COMMITTED):
        return False
    live = reservation.expire_time is not None and reservation.expire_time > now
    if reservation.state is ReservationState.ACTIVE and live:
        return True
    state = str(reservation.state)
    why = "past its expiry" if reservation.state is ReservationState.ACTIVE else state.lower()
    raise FailedPrecondition(
        "HOLD_EXPIRED",
        f"hold {reservation.reservation_id} can no longer be converted: {why}",
        {"reservation_id": reservation.reservation_id, "state": state},
    )


def check_repeat(existing: Reservation, order_id: str, owner_id: str = "") -> Reservation:
    """A Reserve repeated with a known reservation id returns the reservation unchanged (lines
    and expiry as first made); the id may not be reused for another order or owner."""
    if existing.order_id != order_id or existing.owner_id != owner_id:
        raise _in_use(existing)
    return existing


def hold_not_found(reservation_id: str) -> NotFound:
    """The one answer for a hold that does not exist and for another customer's hold."""
    return NotFound(
        "HOLD_NOT_FOUND", f"no hold {reservation_id}", {"reservation_id": reservation_id}
    )


def _in_use(existing: Reservation) -> AlreadyExists:
    return AlreadyExists(
        "RESERVATION_ID_IN_USE",
        f"reservation {existing.reservation_id} belongs to order {existing.order_id}",
        {"reservation_id": existing.reservation_id, "order_id": existing.order_id},
    )


def not_active(reservation: Reservation) -> FailedPrecondition:
    return FailedPrecondition(
        "RESERVATION_NOT_ACTIVE",
        f"reservation {reservation.reservation_id} is {reservation.state}",
        {"reservation_id": reservation.reservation_id, "state": str(reservation.state)},
    )


def out_of_stock(line: ReservationLine, available: int) -> FailedPrecondition:
    return FailedPrecondition(
        "OUT_OF_STOCK",
        f"{line.quantity} x {line.sku} requested at {line.location_id}, {available} available",
        {
            "location_id": line.location_id,
            "sku": line.sku,
            "requested": str(line.quantity),
            "available": str(available),
        },
    )


# Taking units out of a reservation line, one request at a time: a short pick takes them out
# of the building too, a release leaves them on the shelf. Each has its refusal reason.
_TAKE_REFUSALS = {
    MovementKind.SHORT_PICK: ("SHORT_PICK_EXCEEDS_RESERVATION", "short"),
    MovementKind.RELEASE: ("RELEASE_EXCEEDS_RESERVATION", "released"),
}


TAKE_KINDS = tuple(_TAKE_REFUSALS)


def take_exceeds(kind: MovementKind, line: ReservationLine, held: int) -> FailedPrecondition:
    """A short pick or release of more than the reservation holds (and is not sending away)
    there."""
    reason, verb = _TAKE_REFUSALS[kind]
    metadata = {"location_id": line.location_id, "sku": line.sku}
    return FailedPrecondition(
        reason,
        f"{line.quantity} x {line.sku} {verb} at {line.location_id}, reservation holds {held}",
        {**metadata, "requested": str(line.quantity), "held": str(held)},
    )
