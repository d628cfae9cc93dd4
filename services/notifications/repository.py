"""The notification log: one row per idempotency key. Helpers never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Text
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


def find_by_key(session: Session, idempotency_key: str) -> NotificationRow | None:
    query = select(NotificationRow).where(NotificationRow.idempotency_key == idempotency_key)
    return session.exec(query).first()


def claim(session: Session, row: NotificationRow) -> NotificationRow | None:
    """Inserts ``row``, taking its idempotency key. When a concurrent request already took the
    key, returns that request's row instead (the unique key decides; waits for its commit)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = find_by_key(session, row.idempotency_key)
        if existing is None:
            raise
        return existing
    return None


def for_order(session: Session, order_id: str, offset: int, limit: int) -> list[NotificationRow]:
    query = (
        select(NotificationRow)
        .where(NotificationRow.order_id == order_id)
        .order_by(col(NotificationRow.create_time), col(NotificationRow.id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())
