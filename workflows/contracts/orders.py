"""What goes in and out of an order's workflow (OrderWorkflow) and a till sale's
(StoreSaleWorkflow): the order asked for, the answer to PlaceOrder, the terminal's and the
customer's commands, and the status operations see. Plain dataclasses only, so the history
stays readable JSON in the Temporal UI and replays on any worker version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clickcollect.stores.v1 import stores_pb2
from services.common.order_states import OrderState
from workflows.contracts.addresses import one_line
from workflows.contracts.refusal import Refusal

# The behaviour the gateway asks a new order to follow (`PlaceOrderInput.workflow_version`);
# the workflow's versions and what each takes for granted: workflows/order/types.py.
CURRENT_VERSION = 3
PICKUP_IN_STORE = "PICKUP_IN_STORE"


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
    # On one line, for the customer's messages (empty in orders placed before it was kept).
    address: str = ""
    # Store capacity as it was when the order was placed (0 = unlimited): orders picked per
    # opening hour and promised per opening day; queued orders push the ready-by later.
    orders_per_hour: int = 0
    daily_pickup_limit: int = 0
    # Days a customer may add once to the pickup window (0: not read; the default applies).
    pickup_extension_days: int = 0

    @property
    def pickup_window(self) -> timedelta:
        if self.pickup_window_minutes > 0:
            return timedelta(minutes=self.pickup_window_minutes)
        return timedelta(days=self.pickup_window_days)


def pickup_store_of(location: stores_pb2.Location) -> PickupStore:
    """The pickup store as an order keeps it: name, time zone, hours, its pickup settings."""
    return PickupStore(
        store_id=location.location_id,
        name=location.name,
        time_zone=location.time_zone,
        pick_deadline_minutes=location.pickup_settings.pick_deadline_minutes,
        pickup_window_days=location.pickup_settings.pickup_window_days,
        pickup_window_minutes=location.pickup_settings.pickup_window_minutes,
        email=location.email,
        address=one_line(location.address),
        pickup_extension_days=location.pickup_settings.pickup_extension_days,
        opening_hours=[
            OpeningHoursRow(h.weekday, h.opens, h.closes) for h in location.opening_hours
        ],
        orders_per_hour=location.pickup_settings.orders_per_hour,
        daily_pickup_limit=location.pickup_settings.daily_pickup_limit,
    )


@dataclass
class PaymentLink:
    """Endless aisle paid by the customer later (StoreOpsService.PlaceOrderForCustomer with
    payment_link): the link sent to them, its code (CheckoutService.PayOrder names it) and when
    it lapses; the order waits AWAITING_PAYMENT, its stock reserved, until paid or lapsed."""

    code: str
    url: str
    due: datetime


@dataclass
class PayInput:
    """CheckoutService.PayOrder: the customer pays an order placed with a payment link."""

    request_id: str
    code: str
    payment_method: str


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
    # Endless aisle (StoreOpsService.PlaceOrderForCustomer): the associate who ordered for the
    # customer and the store terminal, kept on the order's record (empty otherwise).
    placed_by_associate: str = ""
    placed_by_terminal: str = ""
    # Paid later by a link sent to the customer (payment_method empty); None: paid at checkout.
    payment_link: PaymentLink | None = None

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
    """The synchronous answer to PlaceOrder (and a till sale's result). A refusal's fields are
    kept flat (as recorded histories carry them); `refusal` reads them as one Refusal."""

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

    @classmethod
    def refused(cls, order_id: str, refusal: Refusal) -> Decision:
        """The answer for a refusal: out of stock, declined, bad input a service caught …"""
        return cls(False, order_id, *refusal.flat_fields())

    def refusal(self) -> Refusal:
        """The refusal this decision carries (a FAILED_PRECONDITION when none is named)."""
        return Refusal.flat(self.reason, self.code, self.message, self.metadata, self.violations)


@dataclass
class MissingLineInput:
    sku: str
    quantity: int
    reason: str  # NOT_FOUND, DAMAGED


@dataclass
class CollectedLineInput:
    sku: str
    quantity: int


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
class AllocationRow:
    location_id: str
    sku: str
    quantity: int


def merged_allocations(rows: list[AllocationRow]) -> list[AllocationRow]:
    """One row per location and sku, quantities added up, empty rows left out (in the order
    each location and sku first appears)."""
    merged: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.location_id, row.sku)
        merged[key] = merged.get(key, 0) + row.quantity
    return [AllocationRow(loc, sku, qty) for (loc, sku), qty in merged.items() if qty > 0]


@dataclass
class CandidateRow:
    location_id: str
    verdict: str
    reason: str
    ready_by: datetime | None = None
    distance_km: float = 0.0


@dataclass
class OrderStatus:
    """What the `state` query and every update of a running order answer."""

    order_id: str
    state: OrderState
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
    # A transfer never arrived and no other source could take over: operations decide.
    transfer_lost: bool = False
    # Where each unit comes from, and why (ship-to-store routing).
    allocations: list[AllocationRow] = field(default_factory=list)
    route_explanation: list[CandidateRow] = field(default_factory=list)
    # AWAITING_PAYMENT: when the payment link lapses.
    payment_due_time: datetime | None = None


@dataclass
class OrderOutcome:
    order_id: str
    state: OrderState
    state_reason: str = ""


# Self-service before hand-over (CheckoutService) and operations' extension (Temporal UI): the
# updates change_pickup_store, extend_pickup, announce_arrival and set_collector.


@dataclass
class ChangePickupStoreInput:
    request_id: str
    pickup_store_id: str
    # The new store as the gateway read it (checked to offer pickup); read again when missing.
    store: PickupStore | None = None


@dataclass
class ExtendPickupInput:
    """`extend_pickup` from the Temporal UI: {"request_id": "ops-extend-0001", "days": 2}."""

    request_id: str
    # 0: the pickup store's number of days; operations may give 1..14.
    days: int = 0
    # "customer" (once per order, the store's days) or "operations" (no once-only limit).
    requested_by: str = "operations"


@dataclass
class AnnounceArrivalInput:
    request_id: str
    # ARRIVING ("I'm on my way") or HERE ("I'm here").
    state: str
    # Curbside details (optional; kept from an earlier announcement when empty).
    vehicle_description: str = ""
    bay: str = ""


@dataclass
class SetCollectorInput:
    request_id: str
    # Who may collect besides the customer (a proxy or a gift recipient).
    collector_name: str
