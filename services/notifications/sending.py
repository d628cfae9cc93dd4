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
    db: Database, senders: handlers.Senders, sender: str, key: str, draft: handlers.Draft
) -> Sent:
    """Sends the message `key` (recorded as `draft` the first time) on each of its channels.
    The usual message (one channel) is one unit of work; each further channel is its own."""
    fresh, failures = False, []
    try:
        channels, fresh, seen = await db.run(partial(_open, senders, sender, key, draft))
    except Unavailable as failed:  # the first channel: rolled back, the others still go
        failures.append(failed)
        stored = await db.read(lambda s: repo.find_by_key(s, key))
        channels, seen = _channels(stored or draft()), None
    for channel in channels[1:]:
        try:
            fresh |= await db.run(partial(_send_on, senders, sender, draft, channel))
        except Unavailable as failed:
            failures.append(failed)
    if failures:
        raise failures[0]
    if seen is None or seen[0] is None or len(channels) > 1:
        seen = await db.read(lambda s: handlers.recorded(s, key))
    message, deliveries = seen
    assert message is not None
    if deliveries and all(d.state == DeliveryState.REFUSED for d in deliveries):
        raise _refused(deliveries)
    return Sent(message, deliveries, duplicate=not fresh)


def _channels(message: repo.NotificationRow) -> list[Channel]:
    return [Channel(c) for c in message.chosen()]


Recorded = tuple[repo.NotificationRow | None, list[repo.DeliveryRow]]


def _open(
    senders: handlers.Senders, sender: str, key: str, draft: handlers.Draft, s: Session
) -> tuple[list[Channel], bool, Recorded]:
    """The message's channels (those chosen when it was first recorded), it sent on the first
    of them (or recorded as skipped when it has none), whether this recorded anything, and the
    message with its deliveries as this unit of work leaves them."""
    row = repo.find_by_key(s, key) or draft()
    channels = _channels(row)
    if not channels:
        return channels, handlers.claim_message(s, row, looked_up=True)[1], (None, [])
    message, fresh, delivery = handlers.send_on(s, senders, sender, row, channels[0], True)
    if fresh and len(channels) == 1 and delivery is not None:
        return channels, fresh, (message, [delivery])  # all there is to this message
    return channels, fresh, handlers.recorded(s, key)


def _send_on(
    senders: handlers.Senders, sender: str, draft: handlers.Draft, channel: Channel, s: Session
) -> bool:
    return handlers.send_on(s, senders, sender, draft(), channel)[1]


def _refused(deliveries: list[repo.DeliveryRow]) -> FailedPrecondition:
    return FailedPrecondition(
        "DELIVERY_REFUSED",
        "every channel refused the message: "
        + "; ".join(f"{d.channel}: {d.provider_answer}" for d in deliveries),
        {"channels": ",".join(d.channel for d in deliveries)},
    )
