"""Payloads of the ShipToStore workflow's activities (plain dataclasses); what goes in and out
of the workflow itself is the contract's (workflows/contracts/transfers.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflows.contracts.transfers import TransferLineInput


@dataclass
class ShipmentRecord:
    """An activity payload: one shipment as the orders service stores it."""

    request_id: str
    order_id: str
    transfer_id: str
    source_id: str
    state: str
    lines: list[TransferLineInput]
    expected_arrival: datetime | None = None
    ready_by: datetime | None = None
    late: bool = False
    event: str = ""
    detail: str = ""


@dataclass
class ReceiveTransferInput:
    transfer_id: str
    location_id: str
    lines: list[TransferLineInput]
