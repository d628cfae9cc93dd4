"""The stores database's history of migrations: one revision per file beside this one."""

from __future__ import annotations

from pathlib import Path

from services.common.migrations import Schema
from services.stores import repository
from services.stores.config import StoresSettings

SCHEMA = Schema(
    service="stores",
    versions=Path(__file__).parent,
    table_modules=(repository,),
    settings=StoresSettings,
)
