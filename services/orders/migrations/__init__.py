"""The orders database's history of migrations: one revision per file beside this one. The
backfill of ``order_events.client_request_id`` belongs to the additive upgrades of the releases
before migrations (``services.orders.orders.upgrade``)."""

from __future__ import annotations

from pathlib import Path

from services.common.migrations import Schema
from services.orders.config import OrdersSettings
from services.orders.customers import tables as customer_tables
from services.orders.fulfillment import tables as fulfillment_tables
from services.orders.orders import tables
from services.orders.orders.upgrade import CLIENT_REQUEST_ID, backfill_client_request_ids
from services.orders.payments import tables as payment_tables
from services.orders.returns import tables as return_tables

SCHEMA = Schema(
    service="orders",
    versions=Path(__file__).parent,
    table_modules=(tables, payment_tables, fulfillment_tables, return_tables, customer_tables),
    settings=OrdersSettings,
    backfills={CLIENT_REQUEST_ID: backfill_client_request_ids},
)
