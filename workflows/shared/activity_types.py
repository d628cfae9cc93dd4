"""What the shared activities (workflows/shared/activities.py) take: plain dataclasses, so the
history stays readable JSON in the Temporal UI and replays on any worker version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArrivalRecord:
    state: str  # ARRIVING or HERE
    announce_time: datetime
    vehicle_description: str = ""
    bay: str = ""


@dataclass
class OrderEventInput:
    request_id: str
    order_id: str
    event: str
    detail: str = ""
    pick_overdue: bool | None = None
    pickup_locked: bool | None = None
    # Self-service facts recorded with the event (unset: unchanged); see RecordOrderEvent.
    pickup_store_id: str = ""
    ready_by: datetime | None = None
    pick_deadline: datetime | None = None
    pickup_expire_time: datetime | None = None
    pickup_extensions: int | None = None
    arrival: ArrivalRecord | None = None
    collector_name: str = ""
    client_request_id: str = ""


@dataclass
class NotifyInput:
    idempotency_key: str
    order_id: str
    template: str
    recipient: str
    params: dict[str, str]
    # Times shown to people (sent as ISO-8601 with `time_zone`, the store's; the notifications
    # service formats them in the reader's locale).
    moments: dict[str, datetime] = field(default_factory=dict)
    time_zone: str = "UTC"
    # A customer's message: whose (their profile says how to reach them); "" for a message to
    # a store or operations.
    customer_id: str = ""
