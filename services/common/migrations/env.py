"""Alembic's environment, shared by every service's history: the service's ``Schema`` and an
open connection come in the configuration's attributes (``Schema.config``). Migrations are
rendered in batch mode, which SQLite needs for changes to a table beyond adding columns."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel.sql.sqltypes import AutoString


def render_item(kind: str, item: Any, _context: AutogenContext) -> str | Literal[False]:
    """SQLModel's strings as plain SQLAlchemy ones: a revision imports nothing of sqlmodel."""
    if kind == "type" and isinstance(item, AutoString):
        return f"sa.String(length={item.length})" if item.length else "sa.String()"
    return False


def run() -> None:
    schema = context.config.attributes["schema"]
    context.configure(
        connection=context.config.attributes["connection"],
        target_metadata=schema.metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
