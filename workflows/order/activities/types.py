"""What the order workflow's activities take and give: plain dataclasses, so the history stays
readable JSON in the Temporal UI and replays on any worker version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflows.contracts.orders import AllocationRow, OrderLineInput, PickupStore


@dataclass
class PickupTimes:
    pick_deadline: datetime
    ready_by: datetime


@dataclass
class PlanPickupTimesInput:
    store: PickupStore
    accepted_at: datetime


@dataclass
class ReserveInput:
    reservation_id: str
    order_id: str
    location_id: str
    lines: list[OrderLineInput]
    # Where each unit comes from (routed orders); replaces location_id + lines when given.
    allocations: list[AllocationRow] = field(default_factory=list)


@dataclass
class PaymentInput:
    request_id: str
    order_id: str
    amount_minor: int = 0
    currency_code: str = ""
    payment_method: str = ""


@dataclass
class TransitionInput:
    request_id: str
    order_id: str
    state: str
    event: str
    detail: str = ""
    state_reason: str = ""
    ready_by: datetime | None = None
    pick_deadline: datetime | None = None
    pickup_expire_time: datetime | None = None
    pickup_code: str = ""
    collected_by: str = ""
    payment_due_time: datetime | None = None
    # The client's request id of the command behind the change (kept on the timeline event).
    client_request_id: str = ""


@dataclass
class ShortPickInput:
    request_id: str
    reservation_id: str
    location_id: str
    sku: str
    quantity: int
    reason: str


@dataclass
class CancelLinesInput:
    request_id: str
    order_id: str
    # line number -> quantity no longer coming
    quantities: dict[int, int]
    reason: str


@dataclass
class AuthorizationResult:
    """A hold on the card: how long it lasts decides when it is renewed."""

    payment_id: str
    lifetime_seconds: int = 0


@dataclass
class PlanReleaseInput:
    # Each planned release's request id is this plus ":<n>".
    request_id: str
    # The order's reservations, searched in order for the units.
    reservation_ids: list[str]
    location_id: str
    sku: str
    quantity: int


@dataclass
class ReleaseUnitsInput:
    request_id: str
    reservation_id: str
    location_id: str
    sku: str
    quantity: int
