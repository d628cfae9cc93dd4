"""Each service's schema as a history of Alembic migrations, run when the service starts and
by ``python -m services.common.migrations`` (the command line, ``__main__``).

A service with a database declares its ``Schema`` in ``services/<service>/migrations/``, beside
the revisions of its own history (``0001_baseline.py``, ``0002_….py``); this package holds the
environment every history shares (``env.py``, ``script.py.mako``). Revision ids count up from
``BASELINE``, the schema as the releases before migrations created it.

``upgrade`` brings a database to the newest revision in one transaction, under the schema lock
(replicas starting together take turns): a new database is created by the migrations; one from
before them (the service's tables, no version table) is brought to the baseline and stamped
with it once (``baseline``), then the revisions after it run. A database at a revision this code
does not know (a newer release's, during a rollout) is left as it is: every migration keeps the
schema usable by the release before it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import Connection, inspect

from services.common.db import Database
from services.common.migrations.schema import (
    BASELINE,
    SERVICES,
    Schema,
    current_revision,
    schema_of,
)

__all__ = [
    "BASELINE",
    "SERVICES",
    "Schema",
    "Upgrade",
    "current_revision",
    "drift",
    "schema_of",
    "upgrade",
]
log = structlog.get_logger("schema")


@dataclass(frozen=True)
class Upgrade:
    """The revision a database was at (None: no version table) and the one it is at now."""

    before: str | None
    after: str | None


def upgrade(db: Database, schema: Schema) -> Upgrade:
    """The database at the newest revision of the service's history (see the module's text).
    One already there is left alone without loading Alembic."""
    with db.engine.connect() as connection:
        at = current_revision(connection)
    if at is not None and at == schema.head:
        return Upgrade(at, at)
    from alembic import command

    from services.common.migrations.baseline import adopt

    with db.engine.begin() as connection:
        db.lock_schema(connection)
        before = current_revision(connection)
        if before is not None and before not in schema.revisions():
            log.warning("schema_newer_than_code", service=schema.service, revision=before)
            return Upgrade(before, before)
        if before is None and _has_tables(connection, schema):
            adopt(connection, schema)
            log.info("schema_from_before_migrations_adopted", service=schema.service)
        command.upgrade(schema.config(connection), "head")
        after = current_revision(connection)
    if after != before:
        log.info("schema_migrated", service=schema.service, before=before, after=after)
    return Upgrade(before, after)


def drift(db: Database, schema: Schema) -> list[Any]:
    """How the database differs from the service's tables as declared ([]: not at all), as
    Alembic's autogenerate compares them (tables, columns and their types, nullability,
    indexes, unique constraints and foreign keys)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, schema.metadata))


def _has_tables(connection: Connection, schema: Schema) -> bool:
    present = set(inspect(connection).get_table_names())
    return any(table.name in present for table in schema.tables)
