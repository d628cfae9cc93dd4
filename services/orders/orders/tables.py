"""The order service's own tables: orders, their lines, timeline events and requests that left
no event. Money movements live in ``payments.tables``, how lines are fulfilled in
``fulfillment.tables``, returns in ``returns.tables``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.common.db import TIME


class OrderRow(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_customer_created", "customer_id", "create_time"),
        Index("ix_orders_store_state", "pickup_store_id", "state"),
    )

    order_id: str = Field(primary_key=True, max_length=32)
    customer_id: str = Field(max_length=64)
    customer_email: str = Field(default="", max_length=320)
    channel: str = Field(max_length=16)
    pickup_store_id: str = Field(max_length=16)
    fulfillment_type: str = Field(max_length=32)
    state: str = Field(max_length=32)
    currency: str = Field(max_length=3)
    total_minor: int = Field(sa_type=BigInteger)
    create_time: datetime = Field(sa_type=TIME)
    update_time: datetime = Field(sa_type=TIME)
    ready_by: datetime | None = Field(default=None, sa_type=TIME)
    pick_deadline: datetime | None = Field(default=None, sa_type=TIME)
    pickup_expire_time: datetime | None = Field(default=None, sa_type=TIME)
    pickup_code: str = Field(default="", max_length=32)
    state_reason: str = Field(default="", max_length=500)
    pick_overdue: bool = False
    pickup_locked: bool = False
    collected_by: str = Field(default="", max_length=500)
    transfer_late: bool = False
    # Store sales: the till's receipt number.
    receipt_number: str = Field(default="", max_length=64)
    # When the order was handed over (PICKED_UP); the return window counts from it.
    handover_time: datetime | None = Field(default=None, sa_type=TIME)
    # Self-service before hand-over: the customer's arrival announcement (ARRIVING or HERE,
    # with curbside details), the person named to collect, how often the window was extended.
    arrival_state: str = Field(default="", max_length=16)
    arrival_time: datetime | None = Field(default=None, sa_type=TIME)
    vehicle_description: str = Field(default="", max_length=60)
    arrival_bay: str = Field(default="", max_length=16)
    collector_name: str = Field(default="", max_length=80)
    pickup_extensions: int = 0
    # The store the order was placed for, once it moved to another.
    placed_store_id: str = Field(default="", max_length=16)
    # Endless aisle: the associate who ordered for the customer, and the store terminal.
    placed_by_associate: str = Field(default="", max_length=100)
    placed_by_terminal: str = Field(default="", max_length=64)
    # Paid by a link (AWAITING_PAYMENT): when the link lapses and the order is cancelled unpaid.
    payment_due_time: datetime | None = Field(default=None, sa_type=TIME)


class OrderLineRow(SQLModel, table=True):
    __tablename__ = "order_lines"

    order_id: str = Field(primary_key=True, foreign_key="orders.order_id", max_length=32)
    line_number: int = Field(primary_key=True)
    sku: str = Field(max_length=32)
    name: str = Field(default="", max_length=500)
    quantity: int = Field(sa_type=BigInteger)
    unit_price_minor: int = Field(sa_type=BigInteger)
    source_location_id: str = Field(default="", max_length=16)
    cancelled_quantity: int = Field(default=0, sa_type=BigInteger)
    cancel_reason: str = Field(default="", max_length=500)
    # Sold as final sale: not returnable without an override.
    final_sale: bool = False


class OrderEventRow(SQLModel, table=True):
    __tablename__ = "order_events"
    __table_args__ = (UniqueConstraint("order_id", "request_id", name="uq_order_events_request"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="orders.order_id", index=True, max_length=32)
    time: datetime = Field(sa_type=TIME)
    type: str = Field(max_length=64)
    detail: str = Field(default="", max_length=500)
    state: str = Field(max_length=32)
    request_id: str | None = Field(default=None, max_length=128)
    # The client's request id of the gateway command behind it (empty: the workflow's own step).
    client_request_id: str = Field(default="", max_length=128)


class OrderRequestRow(SQLModel, table=True):
    """Requests that left no timeline event (a shipment update without one), for idempotency."""

    __tablename__ = "order_requests"

    order_id: str = Field(primary_key=True, foreign_key="orders.order_id", max_length=32)
    request_id: str = Field(primary_key=True, max_length=128)
    time: datetime = Field(sa_type=TIME)
