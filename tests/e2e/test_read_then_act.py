"""What a read shows, the next command accepts: terminals that pick, hand over and receive a
return the instant GetOrder / GetReturn shows the state are accepted every time — under load, with
the worker frozen for a second at that moment, and across a worker crash and restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest

from clickcollect.inventory.v1 import inventory_pb2_grpc
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.e2e.read_then_act import Actors, all_accepted, journey, stock_only_at_the_dc
from tests.support.gateway import Caller, bearer, token


@pytest.fixture
def actors(gateway_channel: grpc.aio.Channel, customer: Caller, terminal: Caller) -> Actors:
    dc = Caller(gateway_channel, bearer(token(Role.STORE, "dc-dock-1", "DC-01")))
    return Actors(customer, terminal, dc)


@pytest.fixture
async def sku(stack: Stack) -> AsyncIterator[str]:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        yield await stock_only_at_the_dc(inventory_pb2_grpc.InventoryServiceStub(channel))


async def test_thirty_terminals_acting_the_instant_a_state_shows_are_all_accepted(
    actors: Actors, sku: str
) -> None:
    failures = await all_accepted([journey(actors, sku) for _ in range(30)])
    assert not failures, failures[:3]


async def test_a_worker_frozen_for_a_second_at_that_moment_delays_the_answer_never_refuses(
    stack: Stack, actors: Actors, sku: str
) -> None:
    loop = asyncio.get_running_loop()

    async def freeze_worker() -> None:
        stack.pause("worker")
        loop.call_later(1.0, stack.resume, "worker")

    try:
        failures = await all_accepted([journey(actors, sku, freeze_worker) for _ in range(3)])
    finally:
        stack.resume("worker")
    assert not failures, failures[:3]


async def test_a_worker_restarted_at_that_moment_delays_the_answer_never_refuses(
    stack: Stack, actors: Actors, sku: str
) -> None:
    async def restart_worker() -> None:
        await stack.restart("worker")

    failures = await all_accepted([journey(actors, sku, restart_worker)])
    assert not failures, failures[:3]
