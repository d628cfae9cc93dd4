"""End-to-end: the real processes (Temporal dev server, four services, worker, gateway) started
the way `make run` starts them, on free ports and a fresh data directory. The notifications
service sends through a real SMTP server and a real SMS gateway (tests/support/receivers.py)
running in the test process, so a journey reads what the customer received."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import pytest

from deploy.local.seed import seed
from deploy.local.stack import Stack
from deploy.local.stack_config import SERVICES, StackConfig
from services.gateway.domain import Role
from tests.support.databases import (
    drop_postgres_schema,
    fresh_postgres_url,
    postgres_unreachable_reason,
)
from tests.support.gateway import Caller, bearer, token
from tests.support.receivers import SmsReceiver, SmtpReceiver, sms_receiver, smtp_receiver


@asynccontextmanager
async def seeded_stack(config: StackConfig) -> AsyncIterator[Stack]:
    """The stack started as `make run` starts it, with the demo retailer; stopped on exit
    (a frozen process thawed first)."""
    running = Stack(config)
    try:
        await running.start()
        await seed(config.target("stores"), config.target("inventory"), running.credentials)
        yield running
    finally:
        if "worker" in running.processes:
            running.resume("worker")  # a test may have frozen it
        await running.stop()


@asynccontextmanager
async def postgres_stack(
    folder: Path, copies: dict[str, int], lean: bool = False
) -> AsyncIterator[Stack]:
    """A seeded stack whose services keep their data in new PostgreSQL schemas (dropped
    after), running `copies` of some processes (lean: without the edge and the codec server);
    the test is skipped when no PostgreSQL server is reachable."""
    reason = postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    urls = {f"CC_{name.upper()}_DATABASE_URL": fresh_postgres_url() for name in SERVICES}
    config = StackConfig.ephemeral(folder, **urls)
    config.with_edge = config.with_codec_server = not lean
    for name, count in copies.items():
        config.scale(name, count)
    try:
        async with seeded_stack(config) as running:
            yield running
    finally:
        for url in urls.values():
            drop_postgres_schema(url)


@pytest.fixture(scope="session")
async def mail_inbox() -> AsyncIterator[SmtpReceiver]:
    """Every e-mail the session's stack sends."""
    async with smtp_receiver() as inbox:
        yield inbox


@pytest.fixture(scope="session")
async def phone_inbox() -> AsyncIterator[SmsReceiver]:
    """Every text message the session's stack sends."""
    async with sms_receiver() as phones:
        yield phones


@pytest.fixture(scope="session")
async def stack(
    tmp_path_factory: pytest.TempPathFactory, mail_inbox: SmtpReceiver, phone_inbox: SmsReceiver
) -> AsyncIterator[Stack]:
    # short checkout holds, swept often, so expiry can be seen in seconds
    config = StackConfig.ephemeral(
        tmp_path_factory.mktemp("stack"),
        CC_GATEWAY_HOLD_TTL_SECONDS="3",
        CC_INVENTORY_HOLD_SWEEP_SECONDS="0.5",
        **mail_inbox.env(),
        **phone_inbox.env(),
    )
    async with seeded_stack(config) as running:
        yield running


@pytest.fixture(scope="session")
async def gateway_channel(stack: Stack) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(stack.config.target("gateway")) as channel:
        yield channel


@pytest.fixture
def customer(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.CUSTOMER, "cust-1001")))


@pytest.fixture
def other_customer(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.CUSTOMER, "cust-2002")))


@pytest.fixture
def terminal(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.STORE, "terminal-001-a", "STORE-001")))


@pytest.fixture
def other_terminal(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.STORE, "terminal-002-a", "STORE-002")))


@pytest.fixture
def anonymous(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, ())
