"""Database engine and the unit of work, shared by every service.

SQLite (a file under ``var/`` by default) or PostgreSQL by URL. A unit of work runs in a worker
thread so the grpc.aio event loop never blocks; it commits when the function returns and rolls
back when it raises. On SQLite, writers take the lock up front (``BEGIN IMMEDIATE``) with a busy
timeout, so concurrent writers queue instead of failing; reads (``read``) run in a deferred
transaction on their own connections and never wait for writers (WAL). A hot path may write
on a plain connection instead of an ORM session (``write``), with ``savepoint`` around a part
it may have to take back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, DateTime, Engine, Table, event, inspect
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

from services.common.tracing import trace_engine

# A moment in a table: with its time zone (UTC as written), on SQLite and PostgreSQL alike.
TIME = DateTime(timezone=True)

T = TypeVar("T")
# Fills a column an upgrade just added from the data already there, on the upgrade's connection.
Backfill = Callable[[Connection], object]
SCHEMA_LOCK = 7_240_513  # advisory lock id for schema changes on PostgreSQL


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self.engine = _sqlite_engine(url) if self.is_sqlite else _postgres_engine(url)
        in_memory = make_url(url).database in (None, "", ":memory:")
        separate = self.is_sqlite and not in_memory  # an in-memory database is one connection's
        self.reader = _sqlite_engine(url, "BEGIN") if separate else self.engine
        trace_engine(self.engine)  # a span per statement, when the process traces
        if self.reader is not self.engine:
            trace_engine(self.reader)

    def create_all(
        self, *table_modules: ModuleType, backfills: Mapping[str, Backfill] | None = None
    ) -> None:
        """``create_tables`` for the tables the given modules declare, in one transaction under
        the schema lock. A service's start-up runs its migrations instead (``migrations``),
        which do this once for a database from before them."""
        with self.engine.begin() as connection:
            self.lock_schema(connection)
            create_tables(connection, declared_tables(*table_modules), backfills or {})

    def lock_schema(self, connection: Connection) -> None:
        """Replicas changing the schema at once take turns: a transaction-long advisory lock
        on PostgreSQL (SQLite: the transaction's BEGIN IMMEDIATE already did)."""
        if not self.is_sqlite:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")

    def run_sync(self, work: Callable[[Session], T]) -> T:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        """One transaction: ``work(session)`` in a thread; commit on return, rollback on raise."""
        return await asyncio.to_thread(self.run_sync, work)

    def write_sync(self, work: Callable[[Connection], T]) -> T:
        """One transaction on a plain connection (SQLAlchemy Core, no ORM session): commit
        on return, rollback on raise. For hot paths; ``Session(bind=connection)`` joins it."""
        with self.engine.begin() as connection:
            return work(connection)

    async def write(self, work: Callable[[Connection], T]) -> T:
        """``write_sync`` in a thread."""
        return await asyncio.to_thread(self.write_sync, work)

    def read_sync(self, work: Callable[[Session], T]) -> T:
        with Session(self.reader, expire_on_commit=False) as session, session.begin():
            return work(session)

    async def read(self, work: Callable[[Session], T]) -> T:
        """One read-only transaction (a consistent snapshot): ``work`` must not write."""
        return await asyncio.to_thread(self.read_sync, work)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.reader is not self.engine:
            self.reader.dispose()


@contextmanager
def savepoint(connection: Connection, name: str) -> Iterator[None]:
    """A SAVEPOINT around the block, inside the connection's transaction: released when the
    block returns, rolled back to (then released) when it raises, and the transaction goes on.
    Plain SQL, without the bookkeeping of ``Connection.begin_nested``, for hot paths; ``name``
    is a constant identifier."""
    connection.exec_driver_sql(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}")
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
        raise
    connection.exec_driver_sql(f"RELEASE SAVEPOINT {name}")


def declared_tables(*table_modules: ModuleType) -> list[Table]:
    """The tables the given modules declare themselves (not those they import)."""
    return [
        value.__table__
        for module in table_modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, SQLModel)
        and hasattr(value, "__table__")
        and value.__module__ == module.__name__
    ]


def create_tables(
    connection: Connection, tables: Sequence[Table], backfills: Mapping[str, Backfill]
) -> None:
    """The schema upgrade of the releases before migrations: creates the tables the database
    lacks and adds the columns newer code declares to tables an older version created
    (additive upgrades keep the data). ``backfills`` ("table.column") fill such a column from
    the rows already there: each runs once, in the transaction that adds its column, after
    every column is added (not when the table is new or already has the column)."""
    for metadata in dict.fromkeys(table.metadata for table in tables):
        metadata.create_all(connection, tables=[t for t in tables if t.metadata is metadata])
    added = missing_columns(connection, tables)
    for statement in added.values():
        connection.exec_driver_sql(statement)
    for column, backfill in backfills.items():
        if column in added:
            backfill(connection)


def missing_column_statements(connection: Connection, tables: Sequence[Table]) -> list[str]:
    """`ALTER TABLE … ADD COLUMN …` for every declared column the database lacks."""
    return list(missing_columns(connection, tables).values())


def missing_columns(connection: Connection, tables: Sequence[Table]) -> dict[str, str]:
    """Every declared column the database lacks ("table.column"), with the statement adding it."""
    inspector = inspect(connection)
    statements = {}
    for table in tables:
        if not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                name = f"{table.name}.{column.name}"
                statements[name] = _add_column(connection, table.name, column)
    return statements


def _add_column(connection: Connection, table: str, column: Column[Any]) -> str:
    kind = column.type.compile(dialect=connection.dialect)
    default = getattr(column.default, "arg", None)
    if isinstance(default, bool):
        literal = "TRUE" if default else "FALSE"
    elif isinstance(default, int | float):
        literal = str(default)
    elif isinstance(default, str):
        literal = "'" + default.replace("'", "''") + "'"
    else:
        return f'ALTER TABLE "{table}" ADD COLUMN "{column.name}" {kind}'
    return f'ALTER TABLE "{table}" ADD COLUMN "{column.name}" {kind} NOT NULL DEFAULT {literal}'


def _sqlite_engine(url: str, begin: str = "BEGIN IMMEDIATE") -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def _postgres_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


_ON_COMMIT = "clickcollect.on_commit"  # in Session.info: what to do once it commits


def when_committed(session: Session, then: Callable[[], None]) -> None:
    """Calls `then` once the unit of work `session` belongs to has committed (never for a
    change rolled back): a metric counted, for one."""
    session.info.setdefault(_ON_COMMIT, []).append(then)


@event.listens_for(Session, "after_commit")
def _then(session: Session) -> None:
    for then in session.info.pop(_ON_COMMIT, ()):
        then()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_ON_COMMIT, None)
