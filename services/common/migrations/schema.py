"""A service's schema as Alembic sees it: its tables, the folder of its history, its settings."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, Table

from services.common.db import Backfill, declared_tables
from services.common.settings import DatabaseSettings

BASELINE = "0001"  # every history's first revision: the schema of the releases before migrations
SERVICES = ("stores", "inventory", "orders", "notifications")  # the services with a database


@dataclass(frozen=True)
class Schema:
    """A service's tables (the modules that declare them), the folder of its history, the
    backfills its additive upgrades ran (``create_tables``), and its settings (the database's
    URL for the command line)."""

    service: str
    versions: Path
    table_modules: tuple[ModuleType, ...]
    settings: Callable[[], DatabaseSettings]
    backfills: Mapping[str, Backfill] = field(default_factory=dict)

    @cached_property
    def tables(self) -> list[Table]:
        return declared_tables(*self.table_modules)

    @cached_property
    def metadata(self) -> MetaData:
        """The service's tables alone (SQLModel's metadata holds every service's)."""
        own = MetaData()
        for table in self.tables:
            table.to_metadata(own)
        return own

    def config(self, connection: Connection | None = None) -> Config:
        """Alembic's configuration of this history; ``env.py`` runs on ``connection``."""
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent))
        config.set_main_option("version_locations", str(self.versions))
        config.set_main_option("path_separator", "os")
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        config.attributes.update(schema=self, connection=connection)
        return config

    def script(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(self.config())

    def revisions(self) -> list[str]:
        """The history's revision ids, newest first."""
        return [script.revision for script in self.script().walk_revisions()]


def schema_of(service: str) -> Schema:
    """The ``Schema`` of one of ``SERVICES`` (its ``migrations`` package declares it)."""
    schema: Schema = importlib.import_module(f"services.{service}.migrations").SCHEMA
    return schema


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None without a version table."""
    return MigrationContext.configure(connection).get_current_revision()
