"""200 concurrent PlaceOrder against stock spread over 3 locations: accepted units equal the
stock exactly — on SQLite (one inventory process) and on PostgreSQL (two inventory processes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from deploy.local.stack import Stack
from deploy.local.stack_config import SERVICES, StackConfig
from tests.e2e.conftest import seeded_stack
from tests.e2e.rush import rush
from tests.support.databases import fresh_postgres_url, postgres_unreachable_reason


async def test_rush_on_sqlite_never_oversells(
    stack: Stack, gateway_channel: grpc.aio.Channel
) -> None:
    await rush(stack, gateway_channel)


@pytest.fixture(scope="module")
async def postgres_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    reason = postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    urls = {f"CC_{name.upper()}_DATABASE_URL": fresh_postgres_url() for name in SERVICES}
    config = StackConfig.ephemeral(Path(tmp_path_factory.mktemp("pg-stack")), **urls)
    config.scale("inventory", 2)
    async with seeded_stack(config) as running:
        yield running


@pytest.mark.postgres
async def test_rush_on_postgres_with_two_inventory_processes_never_oversells(
    postgres_stack: Stack,
) -> None:
    async with grpc.aio.insecure_channel(postgres_stack.config.target("gateway")) as gateway:
        await rush(postgres_stack, gateway)
