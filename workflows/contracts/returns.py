"""What goes in and out of a return's workflow (ReturnWorkflow): the request, the policy's
decision, a mail return's parcel and the return's status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflows.contracts.refusal import Refusal

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
    # Mail: where the parcel goes (a distribution centre's name, its address on one line).
    return_to_name: str = ""
    return_to_address: str = ""


def return_kind(ret: ReturnInput) -> str:
    """Which return a request asks for: by mail, or at a counter and which one. A request id
    repeated for another kind names another return (REQUEST_ID_REUSED)."""
    return ret.method if ret.method != IN_STORE else f"{IN_STORE}:{ret.receiving_location_id}"


@dataclass
class ReturnDecision:
    """The synchronous answer to RequestReturn / ProcessReturn. A refusal's fields are kept
    flat (as recorded histories carry them); `refusal` reads them as one Refusal."""

    accepted: bool
    return_id: str
    reason: str = ""
    message: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    # The gRPC code of a refusal (FAILED_PRECONDITION for the policy, INVALID_ARGUMENT for a
    # request that names what the order does not have), and the fields it names.
    code: str = ""
    violations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def refused(cls, return_id: str, refusal: Refusal) -> ReturnDecision:
        return cls(False, return_id, *refusal.flat_fields())

    def refusal(self) -> Refusal:
        """The refusal this decision carries (a FAILED_PRECONDITION when none is named)."""
        return Refusal.flat(self.reason, self.code, self.message, self.metadata, self.violations)


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
