"""Returns received and till sales: stock that reaches or leaves the shelf without a
reservation (pure rules).

A returned item arrives as a RETURN movement (on hand up). A damaged one is then written off
(WRITE_OFF, on hand back down), so on hand is unchanged but the movements show both what came in
and what was written off. A till sale takes units off the shelf (SALE, on hand down) and may
only take units no reservation holds: safety stock is a promise buffer for orders, not a limit
for a customer standing at the till with the goods in hand.

Movement keys: every movement of one request carries the request id as its reference (the
movement key, which makes a repeat impossible to write twice, as for AdjustStock and short
picks) and ``return <reference>`` or ``sale <reference>`` as its reason, naming the return or
order the request gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from services.inventory.stock.domain import MovementKind, StockChange, StockLevel


class Disposition(StrEnum):
    RESTOCK = "RESTOCK"  # back on the shelf, available to promise
    WRITE_OFF = "WRITE_OFF"  # damaged: recorded as arrived and written off


@dataclass(frozen=True)
class ReturnedItem:
    sku: str
    quantity: int
    disposition: Disposition | None  # None: not given (refused by validation)


@dataclass(frozen=True)
class SaleItem:
    sku: str
    quantity: int


@dataclass(frozen=True)
class ReturnCommand:
    request_id: str
    location_id: str
    reference: str  # the return (or order) the goods belong to
    items: tuple[ReturnedItem, ...]


@dataclass(frozen=True)
class SaleCommand:
    request_id: str
    location_id: str
    reference: str  # the order recording the sale
    items: tuple[SaleItem, ...]


def item_movements(disposition: Disposition, quantity: int) -> list[tuple[MovementKind, int]]:
    """(kind, on_hand_delta) of the movements one returned item makes, in writing order."""
    arrived = (MovementKind.RETURN, quantity)
    if disposition is Disposition.RESTOCK:
        return [arrived]
    return [arrived, (MovementKind.WRITE_OFF, -quantity)]


def return_changes(command: ReturnCommand) -> list[StockChange]:
    """Per sku, in sku order: one RETURN of every unit that arrived, then one WRITE_OFF of the
    damaged ones (a sku returned partly resellable, partly damaged still makes one of each)."""
    deltas: dict[tuple[str, MovementKind], int] = {}
    for item in sorted(command.items, key=lambda x: x.sku):
        if item.disposition is None:
            raise ValueError(f"returned {item.sku} has no disposition")
        for kind, delta in item_movements(item.disposition, item.quantity):
            deltas[item.sku, kind] = deltas.get((item.sku, kind), 0) + delta
    reason = return_reason(command.reference)
    return [
        _change(command.location_id, sku, kind, command.request_id, reason, delta)
        for (sku, kind), delta in deltas.items()
    ]


def sale_changes(command: SaleCommand) -> list[StockChange]:
    """One SALE per sku, in sku order, taking the units off the shelf."""
    sold: dict[str, int] = {}
    for item in sorted(command.items, key=lambda x: x.sku):
        sold[item.sku] = sold.get(item.sku, 0) + item.quantity
    reason, sale = sale_reason(command.reference), MovementKind.SALE
    return [
        _change(command.location_id, sku, sale, command.request_id, reason, -quantity)
        for sku, quantity in sold.items()
    ]


def sellable(level: StockLevel) -> int:
    """Units a till may sell: on hand less what reservations hold (safety stock included)."""
    return max(0, level.on_hand - level.reserved)


def return_reason(reference: str) -> str:
    return f"return {reference}"


def sale_reason(reference: str) -> str:
    return f"sale {reference}"


def skus_of(items: Iterable[ReturnedItem | SaleItem]) -> list[str]:
    """The distinct skus of a request, in sku order (the order of its levels and locks)."""
    return sorted({item.sku for item in items})


def _change(
    location_id: str, sku: str, kind: MovementKind, request_id: str, reason: str, delta: int
) -> StockChange:
    return StockChange(location_id, sku, kind, request_id, reason, on_hand_delta=delta)
