"""Stock and its movements: the rules, free of storage and transport.

Per (location, sku): ``0 <= reserved <= on_hand``, ``in_transit >= 0`` and
``available_to_promise = max(0, on_hand - reserved - safety_stock)``. Every change to on hand,
reserved or in transit is a movement (a :class:`StockChange` once written). Reservations, which
hold stock, are ``reservations.domain``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.common.errors import FailedPrecondition


class MovementKind(StrEnum):
    RECEIPT = "RECEIPT"
    ADJUSTMENT = "ADJUSTMENT"
    RESERVE = "RESERVE"
    RELEASE = "RELEASE"
    COMMIT = "COMMIT"
    TRANSFER_OUT = "TRANSFER_OUT"
    TRANSFER_IN = "TRANSFER_IN"
    SHORT_PICK = "SHORT_PICK"
    EXPIRE = "EXPIRE"
    RETURN = "RETURN"  # returned goods arriving
    WRITE_OFF = "WRITE_OFF"  # damaged returned goods taken off the books
    SALE = "SALE"  # sold over the till


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
    in_transit_delta: int = 0


@dataclass(frozen=True)
class StockChange:
    """One movement to write and apply to the stock row of (location, sku)."""

    location_id: str
    sku: str
    kind: MovementKind
    reference: str
    reason: str = ""
    on_hand_delta: int = 0
    reserved_delta: int = 0
    in_transit_delta: int = 0


def lock_order(changes: Iterable[StockChange]) -> list[StockChange]:
    """Stock rows are always locked in (location, sku) order, which rules out deadlocks."""
    return sorted(changes, key=lambda change: (change.location_id, change.sku))


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
