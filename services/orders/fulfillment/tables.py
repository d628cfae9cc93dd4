"""How an order's lines are fulfilled: line allocations, the route's candidates, shipments and
their lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from services.common.db import TIME


class LineAllocationRow(SQLModel, table=True):
    """Units of one order line that come from one location (replaced by each route)."""

    __tablename__ = "order_line_allocations"

    order_id: str = Field(primary_key=True, foreign_key="orders.order_id", max_length=32)
    line_number: int = Field(primary_key=True)
    position: int = Field(primary_key=True)
    location_id: str = Field(max_length=16)
    quantity: int = Field(sa_type=BigInteger)


class RouteCandidateRow(SQLModel, table=True):
    """One location the latest route considered, and its verdict."""

    __tablename__ = "order_route_candidates"

    order_id: str = Field(primary_key=True, foreign_key="orders.order_id", max_length=32)
    position: int = Field(primary_key=True)
    location_id: str = Field(max_length=16)
    verdict: str = Field(max_length=16)
    reason: str = Field(default="", max_length=500)
    ready_by: datetime | None = Field(default=None, sa_type=TIME)
    distance_km: float = 0.0


class ShipmentRow(SQLModel, table=True):
    """Stock travelling to the pickup store for an order, by transfer id."""

    __tablename__ = "order_shipments"

    order_id: str = Field(primary_key=True, foreign_key="orders.order_id", max_length=32)
    transfer_id: str = Field(primary_key=True, max_length=64)
    number: int
    source_id: str = Field(max_length=16)
    state: str = Field(max_length=16)
    expected_arrival: datetime | None = Field(default=None, sa_type=TIME)
    ready_by: datetime | None = Field(default=None, sa_type=TIME)
    late: bool = False
    update_time: datetime = Field(sa_type=TIME)


class ShipmentLineRow(SQLModel, table=True):
    __tablename__ = "order_shipment_lines"

    order_id: str = Field(primary_key=True, foreign_key="orders.order_id", max_length=32)
    transfer_id: str = Field(primary_key=True, max_length=64)
    position: int = Field(primary_key=True)
    sku: str = Field(max_length=32)
    quantity: int = Field(sa_type=BigInteger)
