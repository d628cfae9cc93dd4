"""200 concurrent PlaceOrder against stock spread over 3 locations: accepted units equal the
stock exactly — on SQLite (one inventory process) and on PostgreSQL (two inventory processes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from deploy.local.stack import Stack
from tests.e2e.conftest import postgres_stack
from tests.e2e.rush import rush


async def test_rush_on_sqlite_never_oversells(
    stack: Stack, gateway_channel: grpc.aio.Channel
) -> None:
    await rush(stack, gateway_channel)


@pytest.fixture(scope="module")
async def two_inventories(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    async with postgres_stack(Path(tmp_path_factory.mktemp("pg-stack")), {"inventory": 2}) as up:
        yield up


@pytest.mark.postgres
async def test_rush_on_postgres_with_two_inventory_processes_never_oversells(
    two_inventories: Stack,
) -> None:
    async with grpc.aio.insecure_channel(two_inventories.config.target("gateway")) as gateway:
        await rush(two_inventories, gateway)
