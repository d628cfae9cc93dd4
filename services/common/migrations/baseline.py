"""A database from before migrations, brought to the baseline once. The releases before them
created tables with ``create_all`` and added the columns newer code declared (with their
backfills): a database any of them left has the baseline's tables, or fewer tables and columns.
It gets what it lacks of the baseline as the baseline revision declares it (not as the code
declares the tables today: the revisions after the baseline make those changes), the columns it
gains filled with the defaults the code declares, then it is stamped with the baseline."""

from __future__ import annotations

import io
from typing import Any

from alembic import command
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Dialect, Index, MetaData, Table

from services.common.db import create_tables
from services.common.migrations.schema import BASELINE, Schema


def adopt(connection: Connection, schema: Schema) -> None:
    """The baseline's missing tables and columns added, the backfills of the columns added
    run, and the database stamped ``BASELINE``; in the caller's transaction."""
    create_tables(connection, baseline_tables(schema, connection.dialect), schema.backfills)
    command.stamp(schema.config(connection), BASELINE)


def baseline_tables(schema: Schema, dialect: Dialect) -> list[Table]:
    """The tables (with their keys, constraints and indexes) that revision ``BASELINE``
    creates, recorded from its operations run offline, in its order, with the Python-side
    defaults the code declares for the same columns."""
    recorded: dict[str, Table] = {}
    buffer = io.StringIO()  # offline, the operations write their SQL here, never to a database
    context = MigrationContext.configure(
        dialect=dialect, opts={"as_sql": True, "output_buffer": buffer}
    )

    def record_table(table: Table, **_: Any) -> None:
        recorded[table.name] = table

    def record_index(index: Index, **_: Any) -> None:
        table = recorded[str(index.table.name if index.table is not None else "")]
        columns = [table.c[str(column.name)] for column in index.columns]
        Index(index.name, *columns, unique=index.unique)

    setattr(context.impl, "create_table", record_table)  # noqa: B010
    setattr(context.impl, "create_index", record_index)  # noqa: B010
    with Operations.context(context):
        schema.script().get_revision(BASELINE).module.upgrade()
    return _with_code_defaults(list(recorded.values()), schema.tables)


def _with_code_defaults(tables: list[Table], declared: list[Table]) -> list[Table]:
    """The tables copied into one MetaData (their foreign keys find one another), each column
    with the default the code declares for it (what a column added to old rows starts at)."""
    together = MetaData()
    code = {table.name: table for table in declared}
    copies = [table.to_metadata(together) for table in tables]
    for table in copies:
        for column in table.columns:
            known = code.get(table.name)
            if known is not None and column.name in known.c:
                column.default = known.c[column.name].default
    return copies
