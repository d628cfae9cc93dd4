"""Each service's history of migrations builds exactly the tables its code declares, on SQLite
and PostgreSQL; replicas starting together migrate once; a database a newer release migrated is
left alone; a database from before migrations is brought to the baseline, then migrated; the
command line upgrades and tells where a database is."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Field, SQLModel

from services.common.db import Database
from services.common.migrations import (
    BASELINE,
    SERVICES,
    Schema,
    Upgrade,
    current_revision,
    drift,
    schema_of,
    upgrade,
)
from services.common.migrations.__main__ import main
from services.common.settings import DatabaseSettings


def test_each_history_counts_up_from_the_baseline_to_one_head() -> None:
    for service in SERVICES:
        script = schema_of(service).script()
        oldest_first = [revision.revision for revision in script.walk_revisions()][::-1]
        assert oldest_first[0] == BASELINE, service
        assert oldest_first == [f"{n:04d}" for n in range(1, len(oldest_first) + 1)], service
        assert script.get_heads() == [oldest_first[-1]], service


@pytest.mark.parametrize("service", SERVICES)
def test_a_history_builds_the_tables_its_service_declares(service: str, database_url: str) -> None:
    schema = schema_of(service)
    head = schema.revisions()[0]
    db = Database(database_url)
    try:
        assert upgrade(db, schema) == Upgrade(None, head)
        assert drift(db, schema) == []
        assert upgrade(db, schema) == Upgrade(head, head)
    finally:
        db.dispose()


def test_replicas_starting_together_migrate_once(database_url: str) -> None:
    schema = schema_of("orders")
    together = threading.Barrier(4)

    def start() -> Upgrade:
        db = Database(database_url)
        try:
            together.wait()
            return upgrade(db, schema)
        finally:
            db.dispose()

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda _: start(), range(4)))
    head = schema.revisions()[0]
    assert (
        sorted(done, key=lambda u: u.before or "")
        == [Upgrade(None, head)] + [Upgrade(head, head)] * 3
    )


def test_a_database_a_newer_release_migrated_is_left_as_it_is(database_url: str) -> None:
    schema = schema_of("stores")
    db = Database(database_url)
    try:
        upgrade(db, schema)
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        assert upgrade(db, schema) == Upgrade("9999", "9999")
        with db.engine.connect() as connection:
            assert current_revision(connection) == "9999"
    finally:
        db.dispose()


def test_the_command_line_upgrades_checks_and_tells_the_revision(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    head = schema_of("inventory").revisions()[0]
    assert main(["current", "inventory", "--url", database_url]) == 0
    assert main(["upgrade", "inventory", "--url", database_url]) == 0
    assert main(["current", "inventory", "--url", database_url]) == 0
    assert main(["check", "inventory", "--url", database_url]) == 0
    answers = [line for line in capsys.readouterr().out.splitlines() if line.startswith("inv")]
    assert answers == [
        "inventory: none",
        f"inventory: none -> {head}",
        f"inventory: {head}",
        "inventory: 0 difference(s) from the code",
    ]


def test_the_command_line_check_fails_on_a_table_the_code_does_not_have(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database(database_url)
    try:
        upgrade(db, schema_of("notifications"))
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE notification_deliveries ADD COLUMN stray INTEGER"))
    finally:
        db.dispose()
    assert main(["check", "notifications", "--url", database_url]) == 1
    assert "stray" in capsys.readouterr().out


class ShelfNoteRow(SQLModel, table=True):
    """A table of this test's own history: created by 0001, given ``note`` by 0002."""

    __tablename__ = "migration_shelf_notes"

    shelf_id: str = Field(primary_key=True, max_length=16)
    label: str = Field(default="", max_length=40)
    note: str | None = Field(default=None, max_length=200)


REVISIONS = {
    "0001_baseline.py": """
import sqlalchemy as sa
from alembic import op
revision, down_revision, branch_labels, depends_on = "0001", None, None, None
def upgrade():
    op.create_table("migration_shelf_notes",
        sa.Column("shelf_id", sa.String(16), primary_key=True),
        sa.Column("label", sa.String(40), nullable=False))
""",
    "0002_shelf_notes.py": """
import sqlalchemy as sa
from alembic import op
revision, down_revision, branch_labels, depends_on = "0002", "0001", None, None
def upgrade():
    op.add_column("migration_shelf_notes", sa.Column("note", sa.String(200), nullable=True))
""",
}


def test_a_database_from_before_migrations_is_brought_to_the_baseline_then_migrated(
    database_url: str, tmp_path: Path
) -> None:
    for name, source in REVISIONS.items():
        (tmp_path / name).write_text(source)
    schema = Schema("shelves", tmp_path, (sys.modules[__name__],), DatabaseSettings)
    db = Database(database_url)
    try:
        with db.engine.begin() as connection:  # what a release before migrations left
            old = "CREATE TABLE migration_shelf_notes (shelf_id VARCHAR(16) NOT NULL PRIMARY KEY)"
            connection.execute(text(old))
            connection.execute(text("INSERT INTO migration_shelf_notes VALUES ('A-1')"))
        assert upgrade(db, schema) == Upgrade(None, "0002")
        assert drift(db, schema) == []
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT * FROM migration_shelf_notes")).all()
    finally:
        db.dispose()
    assert [tuple(row) for row in rows] == [("A-1", "", None)]
