"""Core statements compiled once per dialect and run on the driver's cursor, for the few hot
statements a service runs many times a second.

``Connection.execute`` looks a statement up in the compiled cache, builds an execution context
and wraps the result on every call; here the SQL and the order and type processing of its
parameters are worked out once per dialect, and each call hands the driver a tuple (SQLite's
``?`` style) or a dict (psycopg's ``%(name)s`` style) of values passed through the parameters'
bind processors (e.g. datetimes stored as text on SQLite), as SQLAlchemy would. The statement
runs inside the connection's transaction; it fires no SQLAlchemy events (a process that traces
gives it a span of its own) and its driver errors are not wrapped, which the caller's transaction
handles like any other failure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.expression import ClauseElement

from services.common.tracing import sql_span

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Form:
    """A statement as one dialect's driver takes it."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Processor, ...]
    positional: bool

    def bind(self, values: Mapping[str, Any]) -> Any:
        """A tuple for a positional driver, else a dict."""
        processed = [
            value if process is None else process(value)
            for value, process in zip(
                (values[name] for name in self.names), self.processors, strict=True
            )
        ]
        if self.positional:
            return tuple(processed)
        return dict(zip(self.names, processed, strict=True))


class CompiledStatement:
    """``statement`` with the bound parameters it names (for an INSERT, ``columns``: exactly
    the columns given, so no column default is left to SQLAlchemy to fill in)."""

    def __init__(self, statement: ClauseElement, columns: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.columns = list(columns) if columns is not None else None
        self._forms: dict[str, _Form] = {}

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> int:
        """Runs the statement once; the number of rows it changed."""
        form = self._form(connection.dialect)
        cursor = connection.connection.cursor()
        try:
            with sql_span(form.sql, connection.dialect.name):  # a span when the process traces
                cursor.execute(form.sql, form.bind(values))
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def execute_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Runs the statement once per row (the driver's executemany)."""
        if not rows:
            return
        form = self._form(connection.dialect)
        cursor = connection.connection.cursor()
        try:
            with sql_span(form.sql, connection.dialect.name):
                cursor.executemany(form.sql, [form.bind(row) for row in rows])
        finally:
            cursor.close()

    def _form(self, dialect: Dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            form = self._forms[dialect.name] = self._compile(dialect)
        return form

    def _compile(self, dialect: Dialect) -> _Form:
        compiled: Any = self.statement.compile(
            dialect=dialect, column_keys=self.columns, for_executemany=True
        )
        names = tuple(compiled.positiontup or compiled.binds)
        processors = tuple(
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        )
        return _Form(compiled.string, names, processors, bool(dialect.positional))
