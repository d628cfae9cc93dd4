"""The gateway's rules, free of transport: who may see or touch an order, and what a valid
basket or request looks like."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.common import fields, ids
from services.common.errors import (
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    Violations,
    echo,
)

MAX_BASKET_LINES = 50
MAX_LINE_QUANTITY = 99
# The most units of one sku an order can hold (its lines merged): what a terminal may count.
MAX_UNITS = MAX_BASKET_LINES * MAX_LINE_QUANTITY
# A cancel reason is quoted on the order's timeline ("by customer: …"), which keeps 500.
MAX_CANCEL_REASON = 200
PICKUP_CODE = re.compile(r"^[0-9]{6}$")


class Role(StrEnum):
    CUSTOMER = "customer"
    STORE = "store"
    OPS = "ops"


@dataclass(frozen=True)
class Principal:
    role: Role
    subject: str
    store_id: str = ""


def principal_problem(principal: Principal) -> str:
    """Why a token's principal cannot act here ("" when it can): a customer's subject is a
    customer id, a terminal's or operator's an actor id, and a terminal names a location."""
    if principal.role is Role.CUSTOMER:
        if not ids.is_customer_id(principal.subject):
            return "the subject is not a customer id (3-64 characters of A-Z a-z 0-9 _ . -)"
    elif not ids.is_actor_id(principal.subject):
        return "the subject is not a terminal or operator id (1-64 of A-Z a-z 0-9 _ . @ -)"
    if principal.role is Role.STORE and not ids.is_location_id(principal.store_id):
        return "a store token must name its store (store_id like STORE-001 or DC-01)"
    return ""


@dataclass(frozen=True)
class BasketLine:
    sku: str
    quantity: int


def check_basket(
    lines: list[BasketLine], errors: Violations, field: str = "lines"
) -> list[BasketLine]:
    """Adds a violation per bad line; returns the basket with repeated skus merged, in order."""
    errors.check(bool(lines), field, "the basket is empty")
    errors.check(len(lines) <= MAX_BASKET_LINES, field, f"at most {MAX_BASKET_LINES} lines")
    merged: dict[str, int] = {}
    for index, line in enumerate(lines):
        if not ids.is_sku(line.sku):
            errors.add(f"{field}[{index}].sku", f"{echo(line.sku)} is not a sku")
        if not 0 < line.quantity <= MAX_LINE_QUANTITY:
            errors.add(f"{field}[{index}].quantity", f"must be 1..{MAX_LINE_QUANTITY}")
        merged[line.sku] = merged.get(line.sku, 0) + line.quantity
    return [BasketLine(sku, quantity) for sku, quantity in merged.items()]


@dataclass(frozen=True)
class PlaceOrderCommand:
    request_id: str
    pickup_store_id: str
    lines: list[BasketLine]
    channel: str
    customer_email: str
    payment_method: str
    hold_id: str = ""


def check_place_order(command: PlaceOrderCommand) -> list[BasketLine]:
    """Raises INVALID_ARGUMENT naming every bad field; returns the merged basket."""
    errors = Violations()
    check_request_id(command.request_id, errors)
    errors.check(ids.is_location_id(command.pickup_store_id), "pickup_store_id", "not a store id")
    errors.check(command.channel in ("WEB", "APP"), "channel", "WEB or APP")
    if command.customer_email:  # none: the profile's (see profiles.checkout_email)
        check_email(command.customer_email, errors)
    check_payment_method(command.payment_method, errors)
    if command.hold_id:
        errors.check(ids.is_hold_id(command.hold_id), "hold_id", "not a hold id")
    basket = check_basket(command.lines, errors)
    errors.raise_if_any()
    return basket


def check_order_id(order_id: str, errors: Violations | None = None) -> None:
    own = errors or Violations()
    own.check(ids.is_order_id(order_id), "order_id", "format ORD-XXXXXXXXXX")
    if errors is None:
        own.raise_if_any()


def check_request_id(request_id: str, errors: Violations) -> None:
    errors.check(ids.is_request_id(request_id), "request_id", ids.REQUEST_ID_RULE)


def check_email(email: str, errors: Violations) -> None:
    errors.check(fields.is_email(email), "customer_email", fields.EMAIL_RULE)


def check_payment_method(token: str, errors: Violations) -> None:
    errors.check(fields.is_payment_method(token), "payment_method", fields.PAYMENT_METHOD_RULE)


@dataclass(frozen=True)
class CountedLine:
    """Units a terminal counted: picked short (with the reason), collected or received."""

    sku: str
    quantity: int
    reason: str = ""


def check_counted(
    items: list[CountedLine], field: str, errors: Violations, zero_allowed: bool = False
) -> list[CountedLine]:
    """A known sku each, at most as many units as an order can hold, at most as many entries
    as an order has lines; returns them with repeated (sku, reason) entries merged, in order."""
    errors.check(len(items) <= MAX_BASKET_LINES, field, f"at most {MAX_BASKET_LINES} entries")
    low = 0 if zero_allowed else 1
    merged: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        errors.check(ids.is_sku(item.sku), f"{field}[{index}].sku", "not a sku")
        ok = low <= item.quantity <= MAX_UNITS
        errors.check(ok, f"{field}[{index}].quantity", f"must be {low}..{MAX_UNITS}")
        key = (item.sku, item.reason)
        merged[key] = merged.get(key, 0) + item.quantity
    return [CountedLine(sku, quantity, reason) for (sku, reason), quantity in merged.items()]


def check_pickup_code(code: str, errors: Violations) -> None:
    errors.check(bool(PICKUP_CODE.fullmatch(code)), "pickup_code", "six digits")


def canceller(principal: Principal) -> str:
    """Who cancels, as the order's state reason names it (CANCELLED_BY_<WHO>)."""
    return "operations" if principal.role is Role.OPS else principal.role.value


def ensure_customer_may_see(principal: Principal, customer_id: str, unknown: NotFound) -> None:
    """A customer sees their own orders and returns only: another customer's is `unknown`, the
    answer to one that does not exist (so nobody learns which ids are taken)."""
    if principal.role is Role.CUSTOMER and principal.subject != customer_id:
        raise unknown


def no_order(order_id: str) -> NotFound:
    """What the orders service answers for an order that does not exist."""
    return NotFound("ORDER_NOT_FOUND", f"no order {order_id}", {"order_id": order_id})


def no_return(return_id: str) -> NotFound:
    """What the orders service answers for a return that does not exist."""
    return NotFound("RETURN_NOT_FOUND", f"no return {return_id}", {"return_id": return_id})


def ensure_store_may_act(principal: Principal, store_id: str) -> None:
    if principal.role is Role.STORE and principal.store_id != store_id:
        raise PermissionDenied(
            "ORDER_OF_ANOTHER_STORE",
            f"this terminal belongs to {principal.store_id}; the order is for {store_id}",
            {"terminal_store_id": principal.store_id, "order_store_id": store_id},
        )


# Store queues -> order states (and whether only overdue ones).
QUEUE_STATES: dict[str, tuple[list[str], bool]] = {
    "TO_PICK": (["AWAITING_PICK"], False),
    "READY": (["READY_FOR_PICKUP"], False),
    "OVERDUE": (["AWAITING_PICK"], True),
    "ARRIVING": (["IN_TRANSIT"], False),
    "UNSPECIFIED": (["AWAITING_PICK", "IN_TRANSIT", "READY_FOR_PICKUP"], False),
}


@dataclass(frozen=True)
class ReturnLine:
    sku: str
    quantity: int
    condition: str = ""  # RESELLABLE or DAMAGED; required where the goods are inspected


CONDITIONS = ("RESELLABLE", "DAMAGED")


def check_return_lines(
    lines: list[ReturnLine], errors: Violations, inspected: bool, field: str = "lines"
) -> list[ReturnLine]:
    """Adds a violation per bad line; returns the lines with repeated (sku, condition) merged.
    ``inspected``: each line needs its condition (at a counter or a receiving dock)."""
    errors.check(bool(lines), field, "name at least one item to return")
    errors.check(len(lines) <= MAX_BASKET_LINES, field, f"at most {MAX_BASKET_LINES} lines")
    merged: dict[tuple[str, str], int] = {}
    for index, line in enumerate(lines):
        if not ids.is_sku(line.sku):
            errors.add(f"{field}[{index}].sku", f"{echo(line.sku)} is not a sku")
        if not 0 < line.quantity <= MAX_LINE_QUANTITY:
            errors.add(f"{field}[{index}].quantity", f"must be 1..{MAX_LINE_QUANTITY}")
        if inspected and line.condition not in CONDITIONS:
            errors.add(f"{field}[{index}].condition", "RESELLABLE or DAMAGED")
        if any(sku == line.sku and cond != line.condition for sku, cond in merged):
            errors.add(
                f"{field}[{index}].condition",
                "one condition per sku in a return; take the other units back as a second return",
            )
        key = (line.sku, line.condition)
        merged[key] = merged.get(key, 0) + line.quantity
    return [ReturnLine(sku, quantity, condition) for (sku, condition), quantity in merged.items()]


def check_reason(
    text: str, field: str, errors: Violations, max_chars: int = fields.MAX_TEXT
) -> str:
    """Free text the caller gives as a reason; returns it trimmed."""
    fields.check_text(text, field, errors, max_chars)
    return text.strip()


def check_receipt_number(receipt_number: str, errors: Violations) -> None:
    ok = fields.is_receipt_number(receipt_number)
    errors.check(ok, "receipt_number", fields.RECEIPT_NUMBER_RULE)


def ensure_accepts_returns(location_name: str, accepts: bool, location_id: str) -> None:
    if not accepts:
        raise FailedPrecondition(
            "RETURNS_NOT_ACCEPTED",
            f"{location_name} does not take returns",
            {"location_id": location_id},
        )


def ensure_sells_over_the_counter(location_id: str) -> None:
    """Till sales happen in stores; a DC terminal has no till."""
    if not location_id.startswith("STORE-"):
        raise FailedPrecondition(
            "NOT_A_STORE", f"{location_id} has no till", {"location_id": location_id}
        )


def enum_name(enum: Any, value: int, prefix: str) -> str:
    """The name of a proto enum value without its prefix; "" for a number the enum lacks (a
    client built against a newer proto), so validation names the field instead of crashing."""
    try:
        return str(enum.Name(value)).removeprefix(prefix)
    except ValueError:
        return ""


def same_units(held: list[tuple[str, int]], basket: list[tuple[str, int]]) -> bool:
    """Whether two lists of (sku, quantity) add up to the same units of each sku."""

    def totals(units: list[tuple[str, int]]) -> dict[str, int]:
        merged: dict[str, int] = {}
        for sku, quantity in units:
            merged[sku] = merged.get(sku, 0) + quantity
        return merged

    return totals(held) == totals(basket)
