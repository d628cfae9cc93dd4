"""The reservations' tables: a reservation and its lines. The constraints repeat the invariants: a
line holds at least one unit, and its ``transferring`` (the part that created, not yet shipped
transfers are about to move away) stays between 0 and what it holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from services.inventory.stock.tables import TIMESTAMP


class ReservationRow(SQLModel, table=True):
    __tablename__ = "reservations"
    __table_args__ = (Index("ix_reservations_expiry", "state", "expire_time"),)

    reservation_id: str = Field(primary_key=True, max_length=128)
    order_id: str = Field(index=True, max_length=32)
    state: str = Field(max_length=16)
    create_time: datetime = Field(sa_type=TIMESTAMP)
    update_time: datetime = Field(sa_type=TIMESTAMP)
    expire_time: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # A checkout hold's customer ("" for orders' reservations and older holds).
    owner_id: str = Field(default="", max_length=64)


class ReservationLineRow(SQLModel, table=True):
    __tablename__ = "reservation_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_reservation_line_quantity"),
        CheckConstraint(
            "transferring >= 0 AND transferring <= quantity",
            name="ck_reservation_line_transferring",
        ),
    )

    reservation_id: str = Field(
        primary_key=True, max_length=128, foreign_key="reservations.reservation_id"
    )
    location_id: str = Field(primary_key=True, max_length=16)
    sku: str = Field(primary_key=True, max_length=32)
    quantity: int = Field(sa_type=BigInteger)
    transferring: int = Field(default=0, sa_type=BigInteger)
