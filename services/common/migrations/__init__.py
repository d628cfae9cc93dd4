"""Each service's schema as a history of Alembic migrations, run when the service starts and
by ``python -m services.common.migrations`` (the command line, ``__main__``).

A service with a database declares its ``Schema`` in ``services/<service>/migrations/``, beside
the revisions of its own history (``0001_baseline.py``, ``0002_….py``); this package holds the
environment every history shares (``env.py``, ``script.py.mako``). Revision ids count up from
``BASELINE``, the schema as the releases before migrations created it.

``upgrade`` brings a database to the newest revision in one transaction, under the schema lock
(replicas starting together take turns): a new database is created by the migrations; one from
before them (the service's tables, no version table) gets that release's additive upgrade and
its backfills (``create_tables``) once, is stamped ``BASELINE``, and the revisions after it run.
A database at a revision this code does not know (a newer release's, during a rollout) is left
as it is: every migration keeps the schema usable by the release before it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import structlog
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, Table, inspect

from services.common.db import Backfill, Database, create_tables, declared_tables
from services.common.settings import DatabaseSettings

BASELINE = "0001"
SERVICES = ("stores", "inventory", "orders", "notifications")  # the services with a database
log = structlog.get_logger("schema")


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


@dataclass(frozen=True)
class Upgrade:
    """The revision a database was at (None: no version table) and the one it is at now."""

    before: str | None
    after: str | None


def upgrade(db: Database, schema: Schema) -> Upgrade:
    """The database at the newest revision of the service's history (see the module's text)."""
    with db.engine.begin() as connection:
        db.lock_schema(connection)
        before = current_revision(connection)
        if before is not None and before not in schema.revisions():
            log.warning("schema_newer_than_code", service=schema.service, revision=before)
            return Upgrade(before, before)
        if before is None and _has_tables(connection, schema):
            create_tables(connection, schema.tables, schema.backfills)
            command.stamp(schema.config(connection), BASELINE)
        command.upgrade(schema.config(connection), "head")
        after = current_revision(connection)
    if after != before:
        log.info("schema_migrated", service=schema.service, before=before, after=after)
    return Upgrade(before, after)


def schema_of(service: str) -> Schema:
    """The ``Schema`` of one of ``SERVICES`` (its ``migrations`` package declares it)."""
    schema: Schema = importlib.import_module(f"services.{service}.migrations").SCHEMA
    return schema


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None without a version table."""
    return MigrationContext.configure(connection).get_current_revision()


def drift(db: Database, schema: Schema) -> list[Any]:
    """How the database differs from the service's tables as declared ([]: not at all), as
    Alembic's autogenerate compares them (tables, columns and their types, nullability,
    indexes, unique constraints and foreign keys)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, schema.metadata))


def _has_tables(connection: Connection, schema: Schema) -> bool:
    present = set(inspect(connection).get_table_names())
    return any(table.name in present for table in schema.tables)
