"""The stock's tables: products, stock levels and movements (reservations and transfers keep
theirs in ``reservations.tables`` and ``transfers.tables``). The constraints repeat the
invariants, so a bug can never store ``reserved > on_hand``, and the movement key makes a
repeated change impossible to write twice.

Movements carry ``in_transit_delta`` beside the on hand and reserved deltas, so in_transit, like
on_hand and reserved, equals the sum of its movements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_MOVEMENT_ID = BigInteger().with_variant(Integer, "sqlite")
TIMESTAMP = DateTime(timezone=True)


class ProductRow(SQLModel, table=True):
    __tablename__ = "products"

    sku: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    price_minor: int = Field(sa_type=BigInteger)
    currency_code: str = Field(max_length=3)
    final_sale: bool = False


class StockLevelRow(SQLModel, table=True):
    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="ck_stock_on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="ck_stock_reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="ck_stock_reserved_within_on_hand"),
        CheckConstraint("safety_stock >= 0", name="ck_stock_safety_not_negative"),
        CheckConstraint("in_transit >= 0", name="ck_stock_in_transit_not_negative"),
    )

    location_id: str = Field(primary_key=True, max_length=16)
    sku: str = Field(primary_key=True, max_length=32, foreign_key="products.sku")
    on_hand: int = Field(default=0, sa_type=BigInteger)
    reserved: int = Field(default=0, sa_type=BigInteger)
    safety_stock: int = Field(default=0, sa_type=BigInteger)
    in_transit: int = Field(default=0, sa_type=BigInteger)


class MovementRow(SQLModel, table=True):
    __tablename__ = "movements"
    __table_args__ = (
        UniqueConstraint("reference", "location_id", "sku", "kind", name="uq_movement_once"),
        Index("ix_movements_stock", "location_id", "sku", "movement_id"),
    )

    movement_id: int | None = Field(default=None, primary_key=True, sa_type=_MOVEMENT_ID)
    location_id: str = Field(max_length=16)
    sku: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    on_hand_delta: int = Field(sa_type=BigInteger)
    reserved_delta: int = Field(sa_type=BigInteger)
    reference: str = Field(max_length=128)
    reason: str = Field(default="", max_length=500)
    create_time: datetime = Field(sa_type=TIMESTAMP)
    in_transit_delta: int = Field(default=0, sa_type=BigInteger)
