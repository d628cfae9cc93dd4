"""What a workflow tells the notifications service a message is about: raw values only
(amounts in minor units with the currency code, lines as JSON, opening hours as rows; moments
go as NotifyInput.moments), because only the notifications service knows the reader's
locale and formats them for it. Deterministic: built from what the workflow already holds."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypedDict

from workflows.contracts.orders import OpeningHoursRow, OrderLineInput, PickupStore


@dataclass(frozen=True)
class MessageLine:
    sku: str
    name: str
    quantity: int
    # The line's amount (quantity x unit price); None where the message shows no amounts.
    amount_minor: int | None = None


def lines_param(lines: Iterable[MessageLine]) -> str:
    """`[{"sku", "name", "quantity", "amount_minor"?}, …]`, compact."""
    rows = []
    for line in lines:
        row: dict[str, str | int] = {"sku": line.sku, "name": line.name or line.sku}
        row["quantity"] = line.quantity
        if line.amount_minor is not None:
            row["amount_minor"] = line.amount_minor
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def priced(lines: Iterable[OrderLineInput], quantities: dict[str, int] | None = None) -> str:
    """Order lines with their amounts (`quantities` by sku instead of the ordered ones)."""
    shown = []
    for line in lines:
        quantity = line.quantity if quantities is None else quantities.get(line.sku, 0)
        if quantity > 0:
            amount = quantity * line.unit_price_minor
            shown.append(MessageLine(line.sku, line.name, quantity, amount))
    return lines_param(shown)


class BasketParams(TypedDict):
    lines: str
    total_minor: str
    currency_code: str


def basket_params(lines: list[OrderLineInput], currency_code: str) -> BasketParams:
    """The items with their amounts, the total and the currency."""
    total = sum(line.quantity * line.unit_price_minor for line in lines)
    return {"lines": priced(lines), "total_minor": str(total), "currency_code": currency_code}


def hours_param(rows: Iterable[OpeningHoursRow]) -> str:
    """`1 09:00-21:00;2 09:00-21:00;…` (ISO weekday, opens-closes, the store's local time)."""
    return ";".join(f"{row.weekday} {row.opens}-{row.closes}" for row in rows)


class StoreParams(TypedDict):
    store_name: str
    store_address: str
    opening_hours: str


def store_params(store: PickupStore) -> StoreParams:
    """Where the customer goes: the store's name, address and opening hours."""
    return {
        "store_name": store.name,
        "store_address": store.address,
        "opening_hours": hours_param(store.opening_hours),
    }


def merged(*parts: Mapping[str, object]) -> dict[str, str]:
    """Several groups of params as one NotifyInput.params."""
    return {name: str(value) for part in parts for name, value in part.items()}
