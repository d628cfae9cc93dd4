"""The migrations from the command line (``make migrate`` runs ``upgrade``):

    python -m services.common.migrations upgrade [SERVICE ...] [--url URL]
    python -m services.common.migrations current [SERVICE ...] [--url URL]
    python -m services.common.migrations check   [SERVICE ...] [--url URL]
    python -m services.common.migrations history [SERVICE ...]
    python -m services.common.migrations revision SERVICE -m "what changes"

Every service with a database when none is named; each database is the one its settings name
(``CC_<SERVICE>_DATABASE_URL``) unless ``--url`` names one (for one SERVICE). ``check`` lists
how the database differs from the tables the code declares and fails when it does.
``revision`` writes the next revision of a service's history, its operations drafted by
comparing the tables the code declares with a scratch database at the newest revision:
review it, then add it to the commit."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence

from alembic import command

from services.common.db import Database
from services.common.logging import configure_logging
from services.common.migrations import (
    SERVICES,
    Schema,
    current_revision,
    drift,
    schema_of,
    upgrade,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.common.migrations")
    parser.add_argument("command", choices=["upgrade", "current", "check", "history", "revision"])
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
    parser.add_argument("--url", help="one service's database (default: its settings)")
    parser.add_argument("-m", "--message", help="what a new revision changes")
    args = parser.parse_args(argv)
    if unknown := sorted(set(args.services) - set(SERVICES)):
        parser.error(f"no such service: {', '.join(unknown)} (one of {', '.join(SERVICES)})")
    if args.url and len(args.services) != 1:
        parser.error("--url names one database: name its SERVICE")
    if args.command == "revision":
        if len(args.services) != 1 or not args.message:
            parser.error("revision takes one SERVICE and -m MESSAGE")
        return new_revision(schema_of(args.services[0]), args.message)
    failed = False
    for service in args.services or SERVICES:
        schema = schema_of(service)
        if args.command == "history":
            print(service, *schema.revisions())
            continue
        db = Database(args.url or schema.settings().database_url)
        try:
            failed |= not run(args.command, db, schema)
        finally:
            db.dispose()
    return 1 if failed else 0


def run(name: str, db: Database, schema: Schema) -> bool:
    """Prints one line for the service; False when ``check`` found a difference."""
    if name == "upgrade":
        done = upgrade(db, schema)
        print(f"{schema.service}: {done.before or 'none'} -> {done.after}")
    elif name == "current":
        with db.engine.connect() as connection:
            print(f"{schema.service}: {current_revision(connection) or 'none'}")
    else:
        differences = drift(db, schema)
        print(f"{schema.service}: {len(differences)} difference(s) from the code")
        for difference in differences:
            print(f"  {difference}")
        return not differences
    return True


def new_revision(schema: Schema, message: str) -> int:
    """The next revision, drafted against a scratch SQLite database at the newest one."""
    number = f"{len(schema.revisions()) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        db = Database(f"sqlite:///{scratch}/scratch.db")
        try:
            upgrade(db, schema)
            with db.engine.begin() as connection:
                config = schema.config(connection)
                written = command.revision(config, message, autogenerate=True, rev_id=number)
        finally:
            db.dispose()
    for script in written if isinstance(written, list) else [written]:
        print(script.path if script else "no revision written")
    return 0


if __name__ == "__main__":
    configure_logging("migrations")  # log lines to stderr, the command's answers to stdout
    sys.exit(main())
