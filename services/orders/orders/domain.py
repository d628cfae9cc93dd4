"""Order rules: the state machine, what a valid order is, and what it costs.

Plain Python: no transport, no storage. Violations raise the shared domain errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from services.common import fields, ids
from services.common.errors import FailedPrecondition, Violations
from services.common.order_states import OrderState

S = OrderState
TRANSITIONS: Mapping[OrderState, frozenset[OrderState]] = {
    # PENDING → PICKED_UP: a till sale is paid and handed over at once.
    S.PENDING: frozenset(
        {S.AWAITING_PAYMENT, S.AWAITING_PICK, S.IN_TRANSIT, S.PICKED_UP, S.REJECTED, S.CANCELLED}
    ),
    # Paid by its link: on as any accepted order; unpaid in time, or withdrawn: cancelled.
    S.AWAITING_PAYMENT: frozenset({S.AWAITING_PICK, S.IN_TRANSIT, S.CANCELLED}),
    S.IN_TRANSIT: frozenset({S.AWAITING_PICK, S.CANCELLED}),
    S.AWAITING_PICK: frozenset({S.READY_FOR_PICKUP, S.IN_TRANSIT, S.CANCELLED}),
    S.READY_FOR_PICKUP: frozenset({S.PICKED_UP, S.CANCELLED, S.EXPIRED}),
    S.REJECTED: frozenset(),
    S.PICKED_UP: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}


def can_transition(current: OrderState, target: OrderState) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: OrderState, target: OrderState) -> None:
    if not can_transition(current, target):
        raise FailedPrecondition(
            "ILLEGAL_TRANSITION",
            f"an order in {current} cannot move to {target}",
            {"from": current.value, "to": target.value},
        )


class Channel(StrEnum):
    WEB = "WEB"
    APP = "APP"
    STORE = "STORE"


class FulfillmentType(StrEnum):
    PICKUP_IN_STORE = "PICKUP_IN_STORE"
    SHIP_TO_STORE = "SHIP_TO_STORE"


@dataclass(frozen=True)
class Money:
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class OrderLine:
    line_number: int
    sku: str
    name: str
    quantity: int
    unit_price: Money
    source_location_id: str = ""
    final_sale: bool = False


@dataclass(frozen=True)
class NewOrder:
    """What a caller states when recording an order; everything else is derived."""

    order_id: str
    customer_id: str
    customer_email: str
    channel: Channel | None
    pickup_store_id: str
    fulfillment_type: FulfillmentType | None
    lines: tuple[OrderLine, ...]
    receipt_number: str = ""
    # Endless aisle: the associate who ordered for the customer and the store terminal used.
    placed_by_associate: str = ""
    placed_by_terminal: str = ""


CURRENCY = re.compile(r"^[A-Z]{3}$")
EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]{2,63}$")
PICKUP_CODE = re.compile(r"^[A-Za-z0-9-]{4,32}$")
MAX_LINES = 200
MAX_TEXT = fields.MAX_TEXT
# Keep every total far inside int64: 200 lines x 100,000 units x 10^11 minor units.
MAX_QUANTITY = 100_000
MAX_UNIT_PRICE_MINOR = 10**11


def order_total(lines: Sequence[OrderLine]) -> Money:
    """Sum of quantity x unit price, in the order's one currency."""
    if not lines:
        raise ValueError("an order has at least one line")
    currency = lines[0].unit_price.currency
    return Money(sum(line.quantity * line.unit_price.amount_minor for line in lines), currency)


def normalized(order: NewOrder) -> NewOrder:
    """Fills what the caller may leave out: line numbers 1..n and the source of store pickups."""
    lines = []
    for index, line in enumerate(order.lines):
        number = line.line_number or index + 1
        source = line.source_location_id
        if not source and order.fulfillment_type is FulfillmentType.PICKUP_IN_STORE:
            source = order.pickup_store_id
        lines.append(replace(line, line_number=number, source_location_id=source))
    return replace(order, lines=tuple(lines))


def validate_new_order(order: NewOrder, v: Violations | None = None) -> None:
    """Raises INVALID_ARGUMENT naming every bad field, with those already in ``v``.

    Checks the order as the caller sent it; ``normalized`` then fills what may be left out.
    Field paths are relative to CreateOrderRequest (``order.lines[1].quantity``).
    """
    v = v if v is not None else Violations()
    prefix = "order"
    v.check(ids.is_order_id(order.order_id), f"{prefix}.order_id", "must look like ORD-XXXXXXXXXX")
    v.check(ids.is_customer_id(order.customer_id), f"{prefix}.customer_id", "malformed")
    if order.customer_email:
        v.check(
            fields.is_email(order.customer_email), f"{prefix}.customer_email", fields.EMAIL_RULE
        )
    v.check(order.channel is not None, f"{prefix}.channel", "required")
    v.check(
        ids.is_location_id(order.pickup_store_id) and order.pickup_store_id.startswith("STORE-"),
        f"{prefix}.pickup_store_id",
        "must be a store id like STORE-001",
    )
    v.check(order.fulfillment_type is not None, f"{prefix}.fulfillment_type", "required")
    if order.receipt_number:
        v.check(
            fields.is_receipt_number(order.receipt_number),
            f"{prefix}.receipt_number",
            fields.RECEIPT_NUMBER_RULE,
        )
    _check_placed_by(v, order, prefix)
    v.check(bool(order.lines), f"{prefix}.lines", "an order needs at least one line")
    v.check(len(order.lines) <= MAX_LINES, f"{prefix}.lines", f"at most {MAX_LINES} lines")
    _check_lines(v, order.lines, f"{prefix}.lines")
    v.raise_if_any("INVALID_ORDER")


def _check_placed_by(v: Violations, order: NewOrder, prefix: str) -> None:
    """An endless-aisle order names both its associate and its terminal, or neither."""
    associate, terminal = order.placed_by_associate, order.placed_by_terminal
    if associate or terminal:
        fields.check_name(associate, f"{prefix}.placed_by_associate", v)
        v.check(ids.is_actor_id(terminal), f"{prefix}.placed_by_terminal", "a terminal id")


def _check_lines(v: Violations, lines: Sequence[OrderLine], prefix: str) -> None:
    currency = lines[0].unit_price.currency if lines else ""
    numbered = [line.line_number != 0 for line in lines]
    v.check(all(numbered) or not any(numbered), prefix, "number every line or none")
    seen: set[int] = set()
    for i, line in enumerate(lines):
        path = f"{prefix}[{i}]"
        v.check(line.line_number >= 0, f"{path}.line_number", "must not be negative")
        if line.line_number:
            v.check(line.line_number not in seen, f"{path}.line_number", "duplicate number")
            seen.add(line.line_number)
        v.check(ids.is_sku(line.sku), f"{path}.sku", "malformed SKU")
        v.check(len(line.name) <= MAX_TEXT, f"{path}.name", f"at most {MAX_TEXT} characters")
        v.check(0 < line.quantity <= MAX_QUANTITY, f"{path}.quantity", f"1..{MAX_QUANTITY}")
        v.check(
            0 <= line.unit_price.amount_minor <= MAX_UNIT_PRICE_MINOR,
            f"{path}.unit_price.amount_minor",
            f"0..{MAX_UNIT_PRICE_MINOR}",
        )
        if not CURRENCY.fullmatch(line.unit_price.currency):
            v.add(f"{path}.unit_price.currency_code", "must be an ISO 4217 code like EUR")
        elif line.unit_price.currency != currency:
            v.add(f"{path}.unit_price.currency_code", f"one currency per order ({currency})")
        if line.source_location_id:
            v.check(
                ids.is_location_id(line.source_location_id),
                f"{path}.source_location_id",
                "must be a location id like STORE-001 or DC-01",
            )


@dataclass(frozen=True)
class Transition:
    """A requested state change and the facts it brings along (unset fields stay as they are)."""

    target: OrderState | None
    event: str
    detail: str = ""
    state_reason: str = ""
    ready_by: datetime | None = None
    pick_deadline: datetime | None = None
    pickup_expire_time: datetime | None = None
    pickup_code: str = ""
    collected_by: str = ""
    # To AWAITING_PAYMENT: when the payment link lapses.
    payment_due_time: datetime | None = None
    # The client's request id of the command that caused it (kept on the timeline event).
    client_request_id: str = ""


def validate_transition(change: Transition, v: Violations | None = None) -> None:
    v = v if v is not None else Violations()
    v.check(change.target is not None, "state", "required")
    if change.event:
        v.check(
            bool(EVENT_TYPE.fullmatch(change.event)), "event", "snake_case, like order_accepted"
        )
    if change.pickup_code:
        v.check(
            bool(PICKUP_CODE.fullmatch(change.pickup_code)), "pickup_code", "4-32 letters/digits"
        )
    for name in ("detail", "state_reason", "collected_by"):
        fields.check_text(getattr(change, name), name, v, MAX_TEXT)
    check_client_request_id(change.client_request_id, v)
    v.raise_if_any()


def check_client_request_id(value: str, v: Violations) -> None:
    """Empty (no client command behind the change) or a client's request id."""
    v.check(not value or ids.is_request_id(value), "client_request_id", ids.REQUEST_ID_RULE)


def check_pickup_code(change: Transition, current_code: str) -> None:
    """An order is only ready at the counter with a code the customer can show."""
    if change.target is OrderState.READY_FOR_PICKUP and not (change.pickup_code or current_code):
        v = Violations()
        v.add("pickup_code", "required to make an order ready for pickup")
        v.raise_if_any("PICKUP_CODE_REQUIRED")


def event_type_of(change: Transition) -> str:
    """The timeline entry of a transition: the caller's event name, or one named for the state."""
    if change.event:
        return change.event
    assert change.target is not None
    return f"order_{change.target.value.lower()}"


def validate_event(event: str, detail: str, v: Violations | None = None) -> None:
    v = v if v is not None else Violations()
    v.check(bool(EVENT_TYPE.fullmatch(event)), "event", "snake_case, like pick_overdue_flagged")
    fields.check_text(detail, "detail", v, MAX_TEXT)
    v.raise_if_any()
