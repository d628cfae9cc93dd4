"""Notification use cases, each inside the caller's unit of work (sending.py strings them)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import inspect
from sqlmodel import Session

from services.common.db import when_committed
from services.common.errors import FailedPrecondition, Unavailable
from services.common.fields import clipped
from services.notifications import repository as repo
from services.notifications.delivery import Mailer, Outgoing
from services.notifications.domain import Channel, DeliveryState, Route, SendRequest
from services.notifications.metrics import DELIVERIES
from services.notifications.sms_text import sms_text
from services.notifications.templates import Rendered, shown_params

Senders = Mapping[Channel, Mailer]
Draft = Callable[[], repo.NotificationRow]  # a fresh row for each unit of work
MAX_ANSWER = 2000


def draft(
    request: SendRequest,
    rendered: Rendered,
    routes: list[Route],
    senders: Senders,
    now: datetime,
) -> Draft:
    """The message as a first request records it: the e-mail, the text message when it goes
    by SMS, the chosen channels (none: skipped)."""
    assert request.template is not None
    template = request.template
    notification_id = f"NTF-{uuid.uuid4().hex[:20].upper()}"
    phone = next((r.recipient for r in routes if r.channel is Channel.SMS), "")
    text = ""
    if phone:  # the short form, with times and amounts as the reader writes them
        shown = shown_params(request.template_params(), request.locale)
        text = sms_text(rendered.subject, shown, request.locale)
    first_way = senders[routes[0].channel].channel.value if routes else ""
    return lambda: repo.NotificationRow(
        notification_id=notification_id,
        idempotency_key=request.idempotency_key,
        order_id=request.order_id,
        template=template.value,
        recipient=request.recipient,
        subject=rendered.subject,
        body=rendered.body,
        delivery_channel=first_way,
        create_time=now,
        channels=",".join(r.channel.value for r in routes),
        phone=phone,
        sms_text=text,
    )


def claim_message(
    session: Session, row: repo.NotificationRow, looked_up: bool = False
) -> tuple[repo.NotificationRow, bool]:
    """The message recorded for the key: ``row`` when this call records it (True), else the
    one recorded first (the unique key decides; a concurrent first request is waited for).
    ``looked_up``: the caller found no message under the key in this unit of work already."""
    if inspect(row).persistent:  # the recorded message itself
        return row, False
    existing = None if looked_up else repo.find_by_key(session, row.idempotency_key)
    if existing is not None:
        return existing, False
    winner = repo.claim(session, row)
    return (winner, False) if winner is not None else (row, True)


def send_on(
    session: Session,
    senders: Senders,
    sender: str,
    row: repo.NotificationRow,
    channel: Channel,
    looked_up: bool = False,
) -> tuple[repo.NotificationRow, bool, repo.DeliveryRow | None]:
    """Sends the message on one of its chosen channels, once per key and channel: the message
    recorded, whether this call recorded anything, and the channel's delivery. UNAVAILABLE
    rolls the unit of work back (a retry sends); a refusal is recorded as the provider's final
    answer. A message this call records is its own until it commits (the unique key holds
    every other request back), so its first delivery needs no claim of its own; a message
    recorded before claims the (key, channel) first, then delivers."""
    message, fresh = claim_message(session, row, looked_up)
    if channel.value not in message.chosen():
        return message, fresh, None
    mailer = senders[channel]
    recipient = message.recipient if channel is Channel.EMAIL else message.phone
    now = row.create_time
    delivery = repo.DeliveryRow(
        idempotency_key=message.idempotency_key,
        channel=channel.value,
        recipient=recipient,
        delivery_channel=mailer.channel.value,
        state=DeliveryState.SENT.value,
        send_time=now,
    )
    if not fresh:
        done = repo.find_delivery(session, message.idempotency_key, channel.value)
        done = done or repo.claim_delivery(session, delivery)
        if done is not None:
            return message, False, done
    body = message.body if channel is Channel.EMAIL else message.sms_text
    outgoing = Outgoing(message.notification_id, sender, recipient, message.subject, body, now)
    try:
        delivery.provider_answer = clipped(mailer.send(outgoing), MAX_ANSWER)
    except FailedPrecondition as refused:
        delivery.state = DeliveryState.REFUSED.value
        delivery.provider_answer = clipped(refused.message, MAX_ANSWER)
    except Unavailable:  # rolled back; the caller's retry sends it
        DELIVERIES.labels(channel.value, "FAILED").inc()
        raise
    when_committed(session, DELIVERIES.labels(channel.value, delivery.state).inc)
    if fresh:  # the message's unique key holds every other request back: a plain insert
        repo.insert_new(session, delivery)
    else:
        session.add(delivery)
    return message, True, delivery


def recorded(
    session: Session, idempotency_key: str
) -> tuple[repo.NotificationRow | None, list[repo.DeliveryRow]]:
    message = repo.find_by_key(session, idempotency_key)
    return message, repo.deliveries_of(session, [idempotency_key])[idempotency_key]
