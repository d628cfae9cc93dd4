"""Notification use cases, each inside the caller's unit of work."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from services.notifications import repository as repo
from services.notifications.delivery import Mailer, Outgoing
from services.notifications.domain import SendRequest
from services.notifications.templates import Rendered


def send(
    session: Session,
    mailer: Mailer,
    sender: str,
    request: SendRequest,
    rendered: Rendered,
    now: datetime,
) -> tuple[repo.NotificationRow, bool]:
    """Sends once per idempotency key: ``(row, duplicate)``.

    The key is claimed first, then the message delivered; a failed delivery raises, the
    transaction rolls back and the key stays free for a retry.
    """
    existing = repo.find_by_key(session, request.idempotency_key)
    if existing is not None:
        return existing, True
    assert request.template is not None
    row = repo.NotificationRow(
        notification_id=f"NTF-{uuid.uuid4().hex[:20].upper()}",
        idempotency_key=request.idempotency_key,
        order_id=request.order_id,
        template=request.template.value,
        recipient=request.recipient,
        subject=rendered.subject,
        body=rendered.body,
        delivery_channel=mailer.channel.value,
        create_time=now,
    )
    winner = repo.claim(session, row)
    if winner is not None:
        return winner, True
    mailer.send(Outgoing(row.notification_id, sender, row.recipient, row.subject, row.body, now))
    return row, False
