"""Fixtures of the service tests: each test gets its own server on a fresh database (once per
backend, see ``database_url``), and a client of it. A test file that needs the server set up
otherwise (a fake clock, another provider) overrides the fixture of the same name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

from services.orders.payments.provider import SandboxProvider
from tests.support.inventory import running_inventory
from tests.support.orders import running_orders

if TYPE_CHECKING:
    from tests.support.inventory import Stub as InventoryStub
    from tests.support.orders import Stub as OrdersStub


@pytest.fixture
def sandbox() -> SandboxProvider:
    """The payment provider of the ``orders`` server: it lists the money it moved."""
    return SandboxProvider()


@pytest.fixture
async def orders(database_url: str, sandbox: SandboxProvider) -> AsyncIterator[OrdersStub]:
    async with running_orders(database_url, sandbox) as stub:
        yield stub


@pytest.fixture
async def inventory(database_url: str) -> AsyncIterator[InventoryStub]:
    async with running_inventory(database_url) as stub:
        yield stub
