"""The inventory database's history of migrations: one revision per file beside this one."""

from __future__ import annotations

from pathlib import Path

from services.common.migrations import Schema
from services.inventory.config import InventorySettings
from services.inventory.reservations import tables as reservation_tables
from services.inventory.stock import tables as stock_tables
from services.inventory.transfers import tables as transfer_tables

SCHEMA = Schema(
    service="inventory",
    versions=Path(__file__).parent,
    table_modules=(stock_tables, reservation_tables, transfer_tables),
    settings=InventorySettings,
)
