"""The notification log: one row per idempotency key (the message, and the channels chosen for
it), and one delivery per idempotency key and channel (what the provider answered). Helpers
never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Text, UniqueConstraint
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_order_created", "order_id", "create_time"),)

    id: int | None = Field(default=None, primary_key=True)
    notification_id: str = Field(unique=True, max_length=40)
    idempotency_key: str = Field(unique=True, max_length=200)
    order_id: str = Field(max_length=32)
    template: str = Field(max_length=32)
    recipient: str = Field(max_length=254)
    subject: str = Field(sa_type=Text)
    body: str = Field(sa_type=Text)
    delivery_channel: str = Field(max_length=16)
    create_time: datetime = Field(sa_type=DateTime(timezone=True))
    # The channels chosen when the message was first asked for ("EMAIL,SMS"); a repeat sends
    # on these only. Empty: skipped (the customer opted out of its kind).
    channels: str = Field(default="", max_length=32)
    phone: str = Field(default="", max_length=16)
    sms_text: str = Field(default="", sa_type=Text)

    def chosen(self) -> list[str]:
        return [c for c in self.channels.split(",") if c]


class DeliveryRow(SQLModel, table=True):
    """A message on one channel: the unique (key, channel) is its claim."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("idempotency_key", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200)
    channel: str = Field(max_length=8)
    recipient: str = Field(max_length=254)
    delivery_channel: str = Field(max_length=16)
    state: str = Field(max_length=16)
    provider_answer: str = Field(default="", sa_type=Text)
    send_time: datetime = Field(sa_type=DateTime(timezone=True))


def find_by_key(session: Session, idempotency_key: str) -> NotificationRow | None:
    query = select(NotificationRow).where(NotificationRow.idempotency_key == idempotency_key)
    return session.exec(query).first()


def claim(session: Session, row: NotificationRow) -> NotificationRow | None:
    """Inserts ``row``, taking its idempotency key. When a concurrent request already took the
    key, returns that request's row instead (the unique key decides; waits for its commit).
    One INSERT … ON CONFLICT DO NOTHING: no savepoint, no ORM flush (``row`` stays a plain
    object holding what was written)."""
    if insert_new(session, row):
        return None
    existing = find_by_key(session, row.idempotency_key)
    if existing is None:
        raise RuntimeError(f"message {row.idempotency_key} neither written nor found")
    return existing


def insert_new(session: Session, row: SQLModel) -> bool:
    """Writes ``row`` unless a unique key of its table is taken (False then)."""
    table = type(row).__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    values = row.model_dump(exclude={"id"})
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
    return session.execute(statement).first() is not None


def find_delivery(session: Session, idempotency_key: str, channel: str) -> DeliveryRow | None:
    query = select(DeliveryRow).where(
        DeliveryRow.idempotency_key == idempotency_key, DeliveryRow.channel == channel
    )
    return session.exec(query).first()


def claim_delivery(session: Session, row: DeliveryRow) -> DeliveryRow | None:
    """Inserts ``row``, taking its (key, channel); the row a concurrent request took otherwise."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = find_delivery(session, row.idempotency_key, row.channel)
        if existing is None:
            raise
        return existing
    return None


def deliveries_of(session: Session, keys: list[str]) -> dict[str, list[DeliveryRow]]:
    """The deliveries of these messages by key, e-mail first."""
    found: dict[str, list[DeliveryRow]] = {key: [] for key in keys}
    if keys:
        query = select(DeliveryRow).where(col(DeliveryRow.idempotency_key).in_(keys))
        for row in session.exec(query.order_by(col(DeliveryRow.channel))).all():
            found[row.idempotency_key].append(row)
    return found


def for_order(session: Session, order_id: str, offset: int, limit: int) -> list[NotificationRow]:
    query = (
        select(NotificationRow)
        .where(NotificationRow.order_id == order_id)
        .order_by(col(NotificationRow.create_time), col(NotificationRow.id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())
