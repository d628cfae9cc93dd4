"""The order service's money movements: one row per authorization, capture, void, reduction,
re-authorization or refund."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.common.db import TIME


class PaymentRow(SQLModel, table=True):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("order_id", "idempotency_key", name="uq_payments_idempotency_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: str = Field(unique=True, max_length=40)
    order_id: str = Field(foreign_key="orders.order_id", index=True, max_length=32)
    operation: str = Field(max_length=16)
    status: str = Field(max_length=16)
    amount_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    provider: str = Field(max_length=32)
    provider_reference: str = Field(default="", max_length=128)
    idempotency_key: str = Field(max_length=128)
    decline_reason: str = Field(default="", max_length=128)
    authorization_id: str = Field(default="", max_length=40)
    time: datetime = Field(sa_type=TIME)
    # Authorizations: when the hold lapses. Refunds: the return they pay back.
    expire_time: datetime | None = Field(default=None, sa_type=TIME)
    return_id: str = Field(default="", max_length=32)
