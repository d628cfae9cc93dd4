"""Real databases for tests: a fresh SQLite file, or a fresh schema on the PostgreSQL server
named by CC_TEST_POSTGRES_URL (default: the CI server on 127.0.0.1:5432, database ``test``)."""

from __future__ import annotations

import functools
import os
import uuid
from pathlib import Path
from urllib.parse import quote, unquote

import psycopg

POSTGRES_URL = os.environ.get("CC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def postgres_unreachable_reason() -> str | None:
    """None when the server answers; otherwise why not (shown as the skip reason)."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_URL} unreachable: {str(error).strip()[:200]}"
    return None


def fresh_postgres_url() -> str:
    """A new empty schema; the returned URL puts it first on the search path."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


def drop_postgres_schema(url: str) -> None:
    """Drops a schema `fresh_postgres_url` made, with everything in it."""
    schema = unquote(url).rsplit("search_path=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def fresh_sqlite_url(directory: Path, name: str = "service") -> str:
    return f"sqlite:///{directory / f'{name}-{uuid.uuid4().hex[:8]}.db'}"
