"""What goes in and out of the return workflow and its activities: plain dataclasses only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Return states, as the orders service names them (clickcollect.orders.v1.ReturnState), plus
# REJECTED for a request the policy refused (no return was recorded).
AUTHORIZED = "AUTHORIZED"
RECEIVED = "RECEIVED"
REFUNDED = "REFUNDED"
EXPIRED = "EXPIRED"
REJECTED = "REJECTED"
FINAL_STATES = frozenset({REFUNDED, EXPIRED, REJECTED})

IN_STORE = "IN_STORE"
MAIL = "MAIL"
RESELLABLE = "RESELLABLE"
DAMAGED = "DAMAGED"


def return_workflow_id(return_id: str) -> str:
    return f"return-{return_id}"


@dataclass
class ReturnItemInput:
    sku: str
    quantity: int
    # RESELLABLE or DAMAGED once inspected (in store at once; by mail on receipt).
    condition: str = ""


@dataclass
class ReturnInput:
    return_id: str
    order_id: str
    customer_id: str
    customer_email: str
    method: str  # IN_STORE or MAIL
    items: list[ReturnItemInput]
    # In store: the store taking it back. Mail: set when the parcel is received.
    receiving_location_id: str = ""
    reason: str = ""
    override_reason: str = ""
    overridden_by: str = ""
    # Mail: how long the RMA stays valid.
    rma_valid_days: int = 14
    # For the customer's mail: product names by sku, the receiving store's name.
    item_names: dict[str, str] = field(default_factory=dict)
    receiving_location_name: str = ""
    # Times in the customer's mail are shown in the time zone of the store they bought at.
    time_zone: str = "UTC"


def return_kind(ret: ReturnInput) -> str:
    """Which return a request asks for: by mail, or at a counter and which one. A request id
    repeated for another kind names another return (REQUEST_ID_REUSED)."""
    return ret.method if ret.method != IN_STORE else f"{IN_STORE}:{ret.receiving_location_id}"


@dataclass
class ReturnDecision:
    """The synchronous answer to RequestReturn / ProcessReturn."""

    accepted: bool
    return_id: str
    reason: str = ""
    message: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    # The gRPC code of a refusal (FAILED_PRECONDITION for the policy, INVALID_ARGUMENT for a
    # request that names what the order does not have), and the fields it names.
    code: str = ""
    violations: dict[str, str] = field(default_factory=dict)


@dataclass
class ReceiveReturnInput:
    """A mail return's parcel, scanned at a store or DC terminal."""

    request_id: str
    location_id: str
    items: list[ReturnItemInput]
    received_by: str = ""
    location_name: str = ""


@dataclass
class ReturnStatus:
    """What the `state` query shows operations."""

    return_id: str
    order_id: str
    state: str
    method: str
    receiving_location_id: str = ""
    rma_number: str = ""
    expire_time: datetime | None = None
    refund_minor: int = 0
    currency_code: str = ""
    state_reason: str = ""
    # A received return whose refund failed: waits for operations (signal retry_refund).
    refund_failed: bool = False
    # Why the policy refused it (REJECTED), to answer a repeated request the same way.
    refusal: ReturnDecision | None = None


# ---- activity payloads --------------------------------------------------------------------


@dataclass
class CreateReturnInput:
    """The policy window is measured to the orders service's clock, like the hand-over."""

    request_id: str
    ret: ReturnInput
    expire_time: datetime | None = None


@dataclass
class ReturnRecord:
    """The return as the orders service recorded it."""

    return_id: str
    state: str
    rma_number: str
    refund_minor: int
    currency_code: str
    items: list[ReturnItemInput]
    receiving_location_id: str = ""


@dataclass
class RecordReceiptInput:
    request_id: str
    return_id: str
    location_id: str
    items: list[ReturnItemInput]
    # The terminal's request id of the scan (kept on the order's timeline event).
    client_request_id: str = ""


@dataclass
class RestockInput:
    request_id: str
    return_id: str
    location_id: str
    items: list[ReturnItemInput]


@dataclass
class ReturnStepInput:
    request_id: str
    return_id: str
