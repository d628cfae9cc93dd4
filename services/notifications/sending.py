"""Sending a message on each of its channels, exactly once per idempotency key and channel.

Each channel is its own unit of work (claim the key and channel, deliver, commit), so a channel
that went out stays sent when another fails: the call then answers UNAVAILABLE and a retry of
the same request sends the failed channel alone. The channels are those chosen when the message
was first recorded (a retry does not change them). A refused channel is recorded with the
provider's answer and not tried again; when every channel refused, the call is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlmodel import Session

from services.common.db import Database
from services.common.errors import FailedPrecondition, Unavailable
from services.notifications import handlers
from services.notifications import repository as repo
from services.notifications.domain import Channel, DeliveryState


@dataclass(frozen=True)
class Sent:
    message: repo.NotificationRow
    deliveries: list[repo.DeliveryRow]
    duplicate: bool  # this call recorded nothing: every channel had been done before


async def send_once(
    db: Database, senders: handlers.Senders, sender: str, draft: handlers.Draft
) -> Sent:
    key = draft().idempotency_key
    stored = await db.read(lambda s: repo.find_by_key(s, key))
    channels = [Channel(c) for c in (stored or draft()).chosen()]
    fresh, failures = False, []
    if not channels:  # skipped: only the record that it was
        fresh = await db.run(lambda s: handlers.claim_message(s, draft())[1])
    for channel in channels:
        try:
            fresh |= await db.run(partial(_send_on, senders, sender, draft, channel))
        except Unavailable as failed:
            failures.append(failed)
    if failures:
        raise failures[0]
    message, deliveries = await db.read(lambda s: handlers.recorded(s, key))
    assert message is not None
    if deliveries and all(d.state == DeliveryState.REFUSED for d in deliveries):
        raise _refused(deliveries)
    return Sent(message, deliveries, duplicate=not fresh)


def _send_on(
    senders: handlers.Senders, sender: str, draft: handlers.Draft, channel: Channel, s: Session
) -> bool:
    return handlers.send_on(s, senders, sender, draft(), channel)


def _refused(deliveries: list[repo.DeliveryRow]) -> FailedPrecondition:
    return FailedPrecondition(
        "DELIVERY_REFUSED",
        "every channel refused the message: "
        + "; ".join(f"{d.channel}: {d.provider_answer}" for d in deliveries),
        {"channels": ",".join(d.channel for d in deliveries)},
    )
