"""Holding a database's writers back, as a long transaction of another process would: on SQLite
the file's write lock, on PostgreSQL an EXCLUSIVE lock on one table (reads go on). Tests use it
to let concurrent requests gather while the writer waits."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url


@contextmanager
def writes_held(database_url: str, table: str) -> Iterator[None]:
    """Until the block ends, nobody writes the database (SQLite) or ``table`` (PostgreSQL)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with _sqlite_write_lock(str(url.database)):
            yield
        return
    with psycopg.connect(database_url) as connection:
        connection.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
        yield
        connection.rollback()


@contextmanager
def _sqlite_write_lock(path: str) -> Iterator[None]:
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()
