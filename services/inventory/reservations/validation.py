"""Reservation requests (reserve, convert a hold, take units out of a line), checked before
anything is read or written (pure)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.common import ids
from services.common.errors import Violations
from services.inventory.reservations.domain import ReservationLine
from services.inventory.stock.validation import (
    ID_HINT,
    MAX_LINE_QUANTITY,
    MAX_LINES,
    MAX_TEXT,
    check_location_sku,
)

MAX_HOLD_SECONDS = 3600


_ORDER_HINT = "must look like ORD-0123456789"


@dataclass(frozen=True)
class ReserveCommand:
    reservation_id: str
    order_id: str
    lines: tuple[ReservationLine, ...]
    ttl_seconds: int = 0  # > 0: a checkout hold, whose order_id may be empty
    owner_id: str = ""  # a hold's customer


def validate_reserve(command: ReserveCommand) -> ReserveCommand:
    errors = Violations()
    errors.check(ids.is_request_id(command.reservation_id), "reservation_id", ID_HINT)
    hold = command.ttl_seconds > 0
    ok_order = ids.is_order_id(command.order_id) or (hold and not command.order_id)
    errors.check(ok_order, "order_id", _ORDER_HINT + (" or be empty for a hold" if hold else ""))
    ok_ttl = 0 <= command.ttl_seconds <= MAX_HOLD_SECONDS
    errors.check(ok_ttl, "ttl_seconds", f"must be 0 (no expiry) to {MAX_HOLD_SECONDS}")
    check_owner(command.owner_id, errors)
    errors.check(bool(command.lines), "lines", "at least one line")
    errors.check(len(command.lines) <= MAX_LINES, "lines", f"at most {MAX_LINES} lines")
    for index, line in enumerate(command.lines):
        check_location_sku(line.location_id, line.sku, errors, f"lines[{index}].")
        ok = 0 < line.quantity <= MAX_LINE_QUANTITY
        errors.check(ok, f"lines[{index}].quantity", f"must be 1 to {MAX_LINE_QUANTITY}")
    errors.raise_if_any()
    merged: dict[tuple[str, str], int] = {}
    for line in command.lines:
        key = (line.location_id, line.sku)
        merged[key] = merged.get(key, 0) + line.quantity
    lines = tuple(ReservationLine(loc, sku, qty) for (loc, sku), qty in sorted(merged.items()))
    return replace(command, lines=lines)


def validate_convert(reservation_id: str, order_id: str, owner_id: str) -> None:
    errors = Violations()
    errors.check(ids.is_request_id(reservation_id), "reservation_id", ID_HINT)
    errors.check(ids.is_order_id(order_id), "order_id", _ORDER_HINT)
    check_owner(owner_id, errors)
    errors.raise_if_any()


def check_owner(owner_id: str, errors: Violations) -> None:
    ok = not owner_id or ids.is_customer_id(owner_id)
    errors.check(ok, "owner_id", "a customer id (3-64 characters of A-Z a-z 0-9 _ . -) or empty")


@dataclass(frozen=True)
class TakeUnitsCommand:
    """A short pick or a release of some of a reservation's units at one location."""

    request_id: str
    reservation_id: str
    location_id: str
    sku: str
    quantity: int
    reason: str


def validate_take_units(command: TakeUnitsCommand) -> TakeUnitsCommand:
    """The command with its reason trimmed; a reason is required. The request id keys the
    movement, so it may not be the reservation id (which keys the whole reservation's)."""
    errors = Violations()
    errors.check(ids.is_request_id(command.request_id), "request_id", ID_HINT)
    own_id = command.request_id != command.reservation_id
    errors.check(own_id, "request_id", "must differ from reservation_id")
    errors.check(ids.is_request_id(command.reservation_id), "reservation_id", ID_HINT)
    check_location_sku(command.location_id, command.sku, errors)
    ok_quantity = 0 < command.quantity <= MAX_LINE_QUANTITY
    errors.check(ok_quantity, "quantity", f"must be 1 to {MAX_LINE_QUANTITY}")
    reason = command.reason.strip()
    errors.check(0 < len(reason) <= MAX_TEXT, "reason", f"1 to {MAX_TEXT} characters")
    errors.raise_if_any()
    return TakeUnitsCommand(
        command.request_id,
        command.reservation_id,
        command.location_id,
        command.sku,
        command.quantity,
        reason,
    )
