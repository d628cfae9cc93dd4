"""The notifications database's history of migrations: one revision per file beside this one.
The backfill of e-mail deliveries belongs to the additive upgrades of the releases before
migrations (``services.notifications.upgrade``)."""

from __future__ import annotations

from pathlib import Path

from services.common.migrations import Schema
from services.notifications import repository
from services.notifications.config import NotificationsSettings
from services.notifications.upgrade import CHANNELS, backfill_email_deliveries

SCHEMA = Schema(
    service="notifications",
    versions=Path(__file__).parent,
    table_modules=(repository,),
    settings=NotificationsSettings,
    backfills={CHANNELS: backfill_email_deliveries},
)
