"""A service's schema as Alembic sees it: its tables, the folder of its history, its settings.

Alembic is imported only when a history is read or run: a service whose database is already at
the newest revision (a process started after ``python -m services.common.migrations upgrade``,
as the entry point does) never loads it, and keeps the memory."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, MetaData, Table, inspect, text

from services.common.db import Backfill, declared_tables
from services.common.settings import DatabaseSettings

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

BASELINE = "0001"  # every history's first revision: the schema of the releases before migrations
SERVICES = ("stores", "inventory", "orders", "notifications")  # the services with a database
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"^revision(?::[^=]*)?\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?::[^=]*)?\s*=\s*[\"']([^\"']+)[\"']", re.M)


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
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent))
        config.set_main_option("version_locations", str(self.versions))
        config.set_main_option("path_separator", "os")
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        config.attributes.update(schema=self, connection=connection)
        return config

    def script(self) -> ScriptDirectory:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self.config())

    def revisions(self) -> list[str]:
        """The history's revision ids, newest first."""
        return [script.revision for script in self.script().walk_revisions()]

    @cached_property
    def head(self) -> str | None:
        """The newest revision, read from the revision files without Alembic (the one no
        other revision follows); None when the history is not one line."""
        found, followed = set(), set()
        for path in self.versions.glob("[0-9]*.py"):
            source = path.read_text()
            found.update(_REVISION.findall(source))
            followed.update(_DOWN.findall(source))
        heads = found - followed
        return heads.pop() if len(heads) == 1 else None


def schema_of(service: str) -> Schema:
    """The ``Schema`` of one of ``SERVICES`` (its ``migrations`` package declares it)."""
    schema: Schema = importlib.import_module(f"services.{service}.migrations").SCHEMA
    return schema


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None without a version table."""
    if VERSION_TABLE not in inspect(connection).get_table_names():
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return str(rows[0][0]) if len(rows) == 1 else None
