"""What the upgrade of an older notifications database does beyond adding columns.

Before text messages, a message had one row and went by e-mail only; a repeat of its key is a
duplicate by that row. Now a repeat sends each chosen channel that has no delivery yet, so the
upgrade that adds ``notifications.channels`` gives every message already sent its e-mail
delivery (how it went, when, to whom) and marks e-mail as its only channel, in the
transaction that adds the column: a repeat of an old key sends nothing, on any channel.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, literal, select, update

from services.notifications.domain import Channel, DeliveryState
from services.notifications.repository import DeliveryRow, NotificationRow

CHANNELS = "notifications.channels"  # the column whose addition runs the backfill
OLD_ANSWER = "sent before deliveries were kept per channel"
_MESSAGES: Table = NotificationRow.__table__  # type: ignore[attr-defined]
_DELIVERIES: Table = DeliveryRow.__table__  # type: ignore[attr-defined]


def backfill_email_deliveries(connection: Connection) -> int:
    """One SENT e-mail delivery per message that has none, and e-mail as the chosen channel of
    every message; returns how many deliveries it added. Runs once, in the upgrade."""
    m, d = _MESSAGES.c, _DELIVERIES.c
    has_email = (
        select(d.id)
        .where(d.idempotency_key == m.idempotency_key, d.channel == Channel.EMAIL.value)
        .exists()
    )
    old = select(
        m.idempotency_key,
        literal(Channel.EMAIL.value),
        m.recipient,
        m.delivery_channel,
        literal(DeliveryState.SENT.value),
        literal(OLD_ANSWER),
        m.create_time,
    ).where(~has_email)
    columns = ["idempotency_key", "channel", "recipient", "delivery_channel", "state"]
    added = connection.execute(
        _DELIVERIES.insert().from_select([*columns, "provider_answer", "send_time"], old)
    ).rowcount
    connection.execute(update(_MESSAGES).where(m.channels == "").values(channels="EMAIL"))
    return int(added or 0)
