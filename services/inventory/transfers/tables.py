"""The transfers' tables: a transfer and its lines; what arrived of a line stays between 0 and what
was shipped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint
from sqlmodel import Field, SQLModel

from services.inventory.stock.tables import TIMESTAMP


class TransferRow(SQLModel, table=True):
    __tablename__ = "transfers"

    transfer_id: str = Field(primary_key=True, max_length=128)
    reservation_id: str = Field(index=True, max_length=128)
    source_id: str = Field(max_length=16)
    destination_id: str = Field(max_length=16)
    state: str = Field(max_length=16)
    create_time: datetime = Field(sa_type=TIMESTAMP)
    ship_time: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    receive_time: datetime | None = Field(default=None, sa_type=TIMESTAMP)


class TransferLineRow(SQLModel, table=True):
    __tablename__ = "transfer_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_transfer_line_quantity"),
        CheckConstraint("received >= 0 AND received <= quantity", name="ck_transfer_line_received"),
    )

    transfer_id: str = Field(primary_key=True, max_length=128, foreign_key="transfers.transfer_id")
    sku: str = Field(primary_key=True, max_length=32)
    quantity: int = Field(sa_type=BigInteger)
    received: int = Field(default=0, sa_type=BigInteger)
