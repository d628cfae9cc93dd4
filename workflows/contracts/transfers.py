"""What goes in and out of a ship-to-store transfer's workflow (ShipToStoreWorkflow): the
terminal's scans and the transfer's status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

TRANSFER_LATE_GRACE = timedelta(hours=4)


@dataclass
class TransferLineInput:
    sku: str
    quantity: int


@dataclass
class TransferInput:
    """What a ShipToStore child workflow moves, and by when it must be at the pickup store."""

    order_id: str
    transfer_id: str
    reservation_id: str
    source_id: str
    destination_id: str
    lines: list[TransferLineInput]
    expected_arrival: datetime
    ready_by: datetime
    grace_seconds: int = int(TRANSFER_LATE_GRACE.total_seconds())
    # The pickup store's escalation address (late transfers go there and to operations).
    store_email: str = ""


@dataclass
class ShipInput:
    request_id: str
    shipped_by: str = ""


@dataclass
class ReceiveInput:
    request_id: str
    received_by: str
    lines: list[TransferLineInput] = field(default_factory=list)


@dataclass
class TransferStatus:
    transfer_id: str
    order_id: str
    source_id: str
    destination_id: str
    state: str  # PLANNED, SHIPPED, RECEIVED, CANCELLED
    late: bool = False
    received: list[TransferLineInput] = field(default_factory=list)
