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
