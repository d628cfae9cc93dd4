"""The returns' tables: one row per return, and its lines (units of one order line each)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field, SQLModel

from services.common.db import TIME


class ReturnRow(SQLModel, table=True):
    __tablename__ = "order_returns"
    __table_args__ = (Index("ix_order_returns_order_created", "order_id", "create_time"),)

    return_id: str = Field(primary_key=True, max_length=32)
    order_id: str = Field(foreign_key="orders.order_id", max_length=32)
    customer_id: str = Field(max_length=64)
    state: str = Field(max_length=16)
    method: str = Field(max_length=16)
    rma_number: str = Field(default="", max_length=32)
    receiving_location_id: str = Field(default="", max_length=16)
    reason: str = Field(default="", max_length=500)
    override_reason: str = Field(default="", max_length=500)
    overridden_by: str = Field(default="", max_length=128)
    create_time: datetime = Field(sa_type=TIME)
    update_time: datetime = Field(sa_type=TIME)
    # Mail returns: when the RMA lapses.
    expire_time: datetime | None = Field(default=None, sa_type=TIME)
    receive_time: datetime | None = Field(default=None, sa_type=TIME)
    refund_time: datetime | None = Field(default=None, sa_type=TIME)
    # The CreateReturn and ReceiveReturn request ids (a repeat answers the return as it is).
    request_id: str = Field(max_length=128)
    receive_request_id: str = Field(default="", max_length=128)
    refund_payment_id: str = Field(default="", max_length=40)


class ReturnLineRow(SQLModel, table=True):
    __tablename__ = "order_return_lines"

    return_id: str = Field(primary_key=True, foreign_key="order_returns.return_id", max_length=32)
    position: int = Field(primary_key=True)
    line_number: int
    sku: str = Field(max_length=32)
    quantity: int = Field(sa_type=BigInteger)
    # RESELLABLE or DAMAGED once inspected; empty before.
    condition: str = Field(default="", max_length=16)
    refund_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
