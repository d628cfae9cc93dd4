"""Stock, reservations and the movement ledger: the rules, free of storage and transport.

Per (location, sku): ``0 <= reserved <= on_hand``, and
``available_to_promise = max(0, on_hand - reserved - safety_stock)``. Every change to on hand or
reserved is a movement; a reservation goes ACTIVE -> RELEASED or ACTIVE -> COMMITTED, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.common.errors import AlreadyExists, FailedPrecondition


class ReservationState(StrEnum):
    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"
    COMMITTED = "COMMITTED"


class MovementKind(StrEnum):
    RECEIPT = "RECEIPT"
    ADJUSTMENT = "ADJUSTMENT"
    RESERVE = "RESERVE"
    RELEASE = "RELEASE"
    COMMIT = "COMMIT"


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_minor: int
    currency_code: str
    final_sale: bool = False


def available_to_promise(on_hand: int, reserved: int, safety_stock: int) -> int:
    return max(0, on_hand - reserved - safety_stock)


@dataclass(frozen=True)
class StockLevel:
    location_id: str
    sku: str
    on_hand: int = 0
    reserved: int = 0
    safety_stock: int = 0
    in_transit: int = 0

    @property
    def available_to_promise(self) -> int:
        return available_to_promise(self.on_hand, self.reserved, self.safety_stock)


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


@dataclass(frozen=True)
class Movement:
    movement_id: int
    location_id: str
    sku: str
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    reference: str
    reason: str
    create_time: datetime


# What finishing a reservation does: the state it ends in and the kind of movement it writes.
FINISHED_STATE = {
    MovementKind.RELEASE: ReservationState.RELEASED,
    MovementKind.COMMIT: ReservationState.COMMITTED,
}


def line_deltas(kind: MovementKind, quantity: int) -> tuple[int, int]:
    """(on_hand_delta, reserved_delta) a reservation line causes: reserving holds stock,
    releasing gives it back, committing takes it out of the building."""
    if kind is MovementKind.RESERVE:
        return 0, quantity
    if kind is MovementKind.RELEASE:
        return 0, -quantity
    if kind is MovementKind.COMMIT:
        return -quantity, -quantity
    raise ValueError(f"{kind} is not a reservation movement")


def needs_finishing(reservation: Reservation, kind: MovementKind) -> bool:
    """True when ``kind`` (RELEASE or COMMIT) must still be applied; False when it already was
    (a repeat, answered as is). FAILED_PRECONDITION when the reservation ended the other way."""
    target = FINISHED_STATE[kind]
    if reservation.state is ReservationState.ACTIVE:
        return True
    if reservation.state is target:
        return False
    raise FailedPrecondition(
        "RESERVATION_NOT_ACTIVE",
        f"reservation {reservation.reservation_id} is {reservation.state}, cannot be "
        f"{target.lower()}",
        {"reservation_id": reservation.reservation_id, "state": str(reservation.state)},
    )


def check_repeat(existing: Reservation, order_id: str) -> Reservation:
    """A Reserve repeated with a known reservation id returns the reservation unchanged; the id
    may not be reused for another order."""
    if existing.order_id != order_id:
        raise AlreadyExists(
            "RESERVATION_ID_IN_USE",
            f"reservation {existing.reservation_id} belongs to order {existing.order_id}",
            {"reservation_id": existing.reservation_id, "order_id": existing.order_id},
        )
    return existing


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


def insufficient_stock(level: StockLevel, on_hand_delta: int) -> FailedPrecondition:
    return FailedPrecondition(
        "INSUFFICIENT_STOCK",
        f"on hand of {level.sku} at {level.location_id} cannot drop by {-on_hand_delta}: "
        f"{level.on_hand} on hand, {level.reserved} reserved",
        {
            "location_id": level.location_id,
            "sku": level.sku,
            "on_hand": str(level.on_hand),
            "reserved": str(level.reserved),
            "on_hand_delta": str(on_hand_delta),
        },
    )
