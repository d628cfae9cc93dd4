"""What goes in and out of the order workflow and its activities: plain dataclasses only, so the
history stays readable JSON in the Temporal UI and replays on any worker version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from temporalio.exceptions import ApplicationError

from workflows.order.route_types import AllocationRow, CandidateRow
from workflows.steps import facts_of

TASK_QUEUE = "orders"

# Order states, as the orders service names them (clickcollect.orders.v1.OrderState).
PENDING = "PENDING"
REJECTED = "REJECTED"
AWAITING_PICK = "AWAITING_PICK"
IN_TRANSIT = "IN_TRANSIT"
READY_FOR_PICKUP = "READY_FOR_PICKUP"
PICKED_UP = "PICKED_UP"
CANCELLED = "CANCELLED"
EXPIRED = "EXPIRED"
FINAL_STATES = frozenset({REJECTED, PICKED_UP, CANCELLED, EXPIRED})
CANCELLABLE_STATES = frozenset({AWAITING_PICK, IN_TRANSIT, READY_FOR_PICKUP})
# workflow.patched ids: each marks a change to the workflow's commands after a version shipped.
ROUTING = "route-ship-to-store"
STORE_ESCALATION_MAIL = "store-escalation-mail"
REAUTHORIZE = "reauthorize-before-lapse"
PARTIAL_PICKUP = "partial-pickup"

# The behaviour an order workflow follows. The gateway asks for CURRENT_VERSION in the input
# (`PlaceOrderInput.workflow_version`); the worker that first runs the order takes it only when
# it knows that version, and records so with one patch marker (VERSIONS[v]): an order an older
# worker started stays on the older behaviour on every worker that replays it. Version 0
# (orders started before versions existed) asks `workflow.patched` about each change above;
# version 1 takes those changes without their markers and runs its short steps as local
# activities; version 2 opens an order with a checkout hold with the pickup store the checkout
# read (`PlaceOrderInput.store`) instead of reading it again. A change after version 2 is its own
# patch, or part of a new version.
CURRENT_VERSION = 2
VERSIONS = {1: "order-version-1", 2: "order-version-2"}
# The version that took each patch for granted (a patch absent here is asked about).
SINCE_VERSION = {ROUTING: 1, STORE_ESCALATION_MAIL: 1, REAUTHORIZE: 1, PARTIAL_PICKUP: 1}

PICKUP_IN_STORE = "PICKUP_IN_STORE"
MAX_PICKUP_CODE_ATTEMPTS = 5


def workflow_id(order_id: str) -> str:
    return f"order-{order_id}"


@dataclass
class OrderLineInput:
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    # Final-sale at the time of the sale (cannot be returned).
    final_sale: bool = False


@dataclass
class OpeningHoursRow:
    weekday: int
    opens: str
    closes: str


@dataclass
class PickupStore:
    store_id: str
    name: str
    time_zone: str
    pick_deadline_minutes: int
    pickup_window_days: int
    opening_hours: list[OpeningHoursRow]
    email: str = ""
    # Replaces the days when set (same-day collection windows).
    pickup_window_minutes: int = 0

    @property
    def pickup_window(self) -> timedelta:
        if self.pickup_window_minutes > 0:
            return timedelta(minutes=self.pickup_window_minutes)
        return timedelta(days=self.pickup_window_days)


@dataclass
class PlaceOrderInput:
    order_id: str
    customer_id: str
    customer_email: str
    channel: str
    pickup_store_id: str
    currency_code: str
    payment_method: str
    lines: list[OrderLineInput]
    # A checkout hold (from GetPickupOptions) to convert instead of reserving afresh.
    hold_id: str = ""
    # Till sales (StoreSaleWorkflow): the receipt number and the store's name.
    receipt_number: str = ""
    store_name: str = ""
    # See CURRENT_VERSION; missing (0) in the histories of orders started before versions.
    workflow_version: int = 0
    # The pickup store as the checkout read it (read again by the workflow when missing).
    store: PickupStore | None = None

    @property
    def total_minor(self) -> int:
        return sum(line.quantity * line.unit_price_minor for line in self.lines)


def request_fingerprint(order: PlaceOrderInput) -> str:
    """What the customer asked for, as the order's record keeps it (store, basket, channel,
    e-mail), not what the catalogue priced: a request id repeated with another body has another
    fingerprint, while the order runs and after it ended alike."""
    basket = [(line.sku, line.quantity) for line in order.lines]
    return fingerprint(order.pickup_store_id, basket, order.channel, order.customer_email)


def fingerprint(store_id: str, basket: list[tuple[str, int]], channel: str, email: str) -> str:
    asked = (store_id, sorted(basket), channel, email)
    return hashlib.sha256(repr(asked).encode()).hexdigest()[:32]


@dataclass
class Decision:
    """The synchronous answer to PlaceOrder."""

    accepted: bool
    order_id: str
    reason: str = ""
    message: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    # The refusal's gRPC code (FAILED_PRECONDITION when empty) and its bad fields.
    code: str = ""
    violations: dict[str, str] = field(default_factory=dict)
    # Accepted: the order as the checkout left it (clickcollect.orders.v1.Order, base64), when
    # the workflow has it at hand; empty: read it from the orders service.
    order_view: str = ""


def refused_decision(order_id: str, refused: ApplicationError) -> Decision:
    """The answer to PlaceOrder (or a till sale) for a refusal: out of stock, declined …"""
    facts = facts_of(refused)
    return Decision(
        False,
        order_id,
        facts.reason,
        facts.message,
        facts.metadata,
        facts.code,
        facts.violations,
    )


@dataclass
class MarkPickedInput:
    request_id: str
    associate: str = ""
    # Units that could not be picked (short pick).
    missing: list[MissingLineInput] = field(default_factory=list)
    # The terminal's store (only its own orders); empty for operations.
    store_id: str = ""


@dataclass
class ConfirmPickupInput:
    request_id: str
    pickup_code: str
    collector_name: str
    # What the customer took; empty means everything.
    collected: list[CollectedLineInput] = field(default_factory=list)
    # The terminal's store (only its own orders); empty for operations.
    store_id: str = ""


@dataclass
class CancelInput:
    request_id: str
    reason: str
    requested_by: str = "customer"


@dataclass
class OrderStatus:
    """What the `status` query shows operations."""

    order_id: str
    state: str
    pickup_store_id: str
    fulfillment_type: str
    ready_by: datetime | None = None
    pick_deadline: datetime | None = None
    pickup_expire_time: datetime | None = None
    pick_overdue: bool = False
    failed_pickup_attempts: int = 0
    pickup_locked: bool = False
    state_reason: str = ""
    transfer_late: bool = False
    # Where each unit comes from, and why (ship-to-store routing).
    allocations: list[AllocationRow] = field(default_factory=list)
    route_explanation: list[CandidateRow] = field(default_factory=list)


@dataclass
class OrderOutcome:
    order_id: str
    state: str
    state_reason: str = ""


# ---- short picks and partial pickups ------------------------------------------------------


@dataclass
class MissingLineInput:
    sku: str
    quantity: int
    reason: str  # NOT_FOUND, DAMAGED


@dataclass
class CollectedLineInput:
    sku: str
    quantity: int
