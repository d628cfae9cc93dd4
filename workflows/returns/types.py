"""Payloads of the return workflow's activities (plain dataclasses only); what goes in and out
of the workflow itself is the contract's (workflows/contracts/returns.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflows.contracts.ids import return_workflow_id as return_workflow_id
from workflows.contracts.returns import AUTHORIZED as AUTHORIZED
from workflows.contracts.returns import DAMAGED as DAMAGED
from workflows.contracts.returns import EXPIRED as EXPIRED
from workflows.contracts.returns import FINAL_STATES as FINAL_STATES
from workflows.contracts.returns import IN_STORE as IN_STORE
from workflows.contracts.returns import MAIL as MAIL
from workflows.contracts.returns import RECEIVED as RECEIVED
from workflows.contracts.returns import REFUNDED as REFUNDED
from workflows.contracts.returns import REJECTED as REJECTED
from workflows.contracts.returns import RESELLABLE as RESELLABLE
from workflows.contracts.returns import ReceiveReturnInput as ReceiveReturnInput
from workflows.contracts.returns import ReturnDecision as ReturnDecision
from workflows.contracts.returns import ReturnInput as ReturnInput
from workflows.contracts.returns import ReturnItemInput as ReturnItemInput
from workflows.contracts.returns import ReturnStatus as ReturnStatus
from workflows.contracts.returns import return_kind as return_kind

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
