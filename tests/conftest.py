"""Shared fixtures. Factories, not shared mutable state: each test gets its own database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.databases import (
    fresh_postgres_url,
    fresh_sqlite_url,
    postgres_unreachable_reason,
)

# The real SMTP and SMS receivers (smtp_inbox, sms_gateway), for any test that asks.
pytest_plugins = ["tests.support.receivers"]

# Files that mostly wait, a minute or so each (the fuzz's time budget, a real one-minute pickup
# window, a worker restarted, the quick benchmark, the rushes, the multi-node run): run first, so
# that in `make test`'s two processes they overlap the rest of the suite instead of trailing
# after it.
SLOW_FILES = (
    "test_fuzz.py",
    "test_expiry.py",
    "test_read_then_act.py",
    "test_bench_smoke.py",
    "test_rush.py",
    "test_multinode.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in SLOW_FILES)  # stable: the rest in order


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """Makes fresh database URLs of one backend; tests using it run once per backend."""
    if request.param == "postgres":
        reason = postgres_unreachable_reason()
        if reason:
            pytest.skip(reason)
        return lambda _name: fresh_postgres_url()
    return lambda name: fresh_sqlite_url(tmp_path, name)


@pytest.fixture
def database_url(database_url_factory: Callable[[str], str]) -> str:
    return database_url_factory("service")
