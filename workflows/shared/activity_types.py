"""What the shared activities (workflows/shared/activities.py) take: plain dataclasses, so the
history stays readable JSON in the Temporal UI and replays on any worker version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class OrderEventInput:
    request_id: str
    order_id: str
    event: str
    detail: str = ""
    pick_overdue: bool | None = None
    pickup_locked: bool | None = None


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
