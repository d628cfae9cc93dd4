"""Payloads of the return workflow's activities (plain dataclasses only); what goes in and out
of the workflow itself is the contract's (workflows/contracts/returns.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflows.contracts.returns import ReturnInput, ReturnItemInput

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
