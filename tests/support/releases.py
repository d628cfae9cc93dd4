"""The databases a release wrote, kept as SQL (``tests/service/releases/<release>/``, one file a
service and backend, made by ``tests/support/release_dump.py`` on that release's own code), and
what a test reads back from a database: every row of every table."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url

from services.common.db import Database

RELEASES = Path(__file__).resolve().parents[1] / "service" / "releases"
# The release before migrations: its services created their tables with create_all.
PREVIOUS = "63016b7"
Rows = dict[str, list[dict[str, Any]]]


def load_release(database_url: str, service: str, release: str = PREVIOUS) -> None:
    """The service's database as the release left it, written into an empty database."""
    backend = make_url(database_url).get_backend_name()
    script = (RELEASES / release / f"{service}.{backend}.sql").read_text()
    if backend == "sqlite":
        with closing(sqlite3.connect(str(make_url(database_url).database))) as connection:
            connection.executescript(script)
    else:
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(script.encode())


def all_rows(database_url: str) -> Rows:
    """Every table's rows, as column -> value, in the order of their primary keys."""
    db = Database(database_url)
    try:
        metadata = MetaData()
        with db.engine.connect() as connection:
            metadata.reflect(connection)
            return {
                table.name: [
                    dict(row._mapping)
                    for row in connection.execute(
                        select(table).order_by(*(table.primary_key.columns or table.columns))
                    )
                ]
                for table in metadata.sorted_tables
            }
    finally:
        db.dispose()


def as_before(after: Rows, before: Rows) -> Rows:
    """``after`` cut to the tables and columns ``before`` had (an upgrade may add some)."""
    return {
        name: [{column: row[column] for column in rows[0]} for row in after[name]]
        if rows
        else after[name]
        for name, rows in before.items()
    }
