"""Shipment rules: stock travelling to the pickup store for an order (one transfer each).

Plain Python: no transport, no storage. Violations raise the shared domain errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.common import ids
from services.common.errors import Violations
from services.orders.orders.domain import EVENT_TYPE, MAX_LINES, MAX_QUANTITY, MAX_TEXT

TRANSFER_ID = re.compile(r"^transfer-(?P<order_id>ORD-[0-9A-Z]{10})-(?P<number>[1-9][0-9]{0,3})$")


class ShipmentState(StrEnum):
    PLANNED = "PLANNED"
    SHIPPED = "SHIPPED"
    RECEIVED = "RECEIVED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class ShipmentLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Shipment:
    transfer_id: str
    source_id: str
    state: ShipmentState | None
    lines: tuple[ShipmentLine, ...]
    expected_arrival: datetime | None = None
    ready_by: datetime | None = None
    late: bool = False


def transfer_number(order_id: str, transfer_id: str) -> int | None:
    """The n of "transfer-<order_id>-<n>"; None when the id is not one of this order's."""
    match = TRANSFER_ID.fullmatch(transfer_id)
    if match is None or match["order_id"] != order_id:
        return None
    return int(match["number"])


def validate_shipment(
    order_id: str, shipment: Shipment, event: str, detail: str, v: Violations | None = None
) -> None:
    """Raises INVALID_ARGUMENT naming every bad field (paths as in RecordShipmentRequest)."""
    v = v if v is not None else Violations()
    v.check(
        transfer_number(order_id, shipment.transfer_id) is not None,
        "shipment.transfer_id",
        f"must look like transfer-{order_id}-<n>",
    )
    v.check(
        ids.is_location_id(shipment.source_id),
        "shipment.source_id",
        "must be a location id like STORE-001 or DC-01",
    )
    v.check(shipment.state is not None, "shipment.state", "required")
    v.check(bool(shipment.lines), "shipment.lines", "a shipment carries at least one line")
    v.check(len(shipment.lines) <= MAX_LINES, "shipment.lines", f"at most {MAX_LINES} lines")
    for i, line in enumerate(shipment.lines):
        v.check(ids.is_sku(line.sku), f"shipment.lines[{i}].sku", "malformed SKU")
        quantity_ok = 0 < line.quantity <= MAX_QUANTITY
        v.check(quantity_ok, f"shipment.lines[{i}].quantity", f"1..{MAX_QUANTITY}")
    if event:
        v.check(bool(EVENT_TYPE.fullmatch(event)), "event", "snake_case, like transfer_shipped")
    v.check(len(detail) <= MAX_TEXT, "detail", f"at most {MAX_TEXT} characters")
    v.raise_if_any()
