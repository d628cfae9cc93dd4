"""Many buyers at once never oversell: one inventory server on SQLite or PostgreSQL, and two
servers sharing one PostgreSQL database (as several processes would), including reservations
spread over several locations that must hold all their lines or none."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.inventory.v1 import inventory_pb2 as pb
from services.common.grpc_errors import details_of
from tests.support.databases import fresh_postgres_url, postgres_unreachable_reason
from tests.support.inventory import (
    a_product,
    assert_ledger_matches_stock,
    line,
    movements,
    receive,
    refused,
    reservation,
    reserve_request,
    running_inventories,
    stock,
    stocked_sku,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub

BUYERS = 50
UNITS = 10
SPREAD_STOCK = {"DC-01": 10, "STORE-001": 20, "STORE-002": 15}
SPREAD_BUYERS = 200


@pytest.fixture
def postgres_url() -> str:
    reason = postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    return fresh_postgres_url()


@pytest.fixture
async def two_inventories(postgres_url: str) -> AsyncIterator[list[Stub]]:
    """Two inventory servers, each with its own engine and pool, on one PostgreSQL database."""
    async for stubs in running_inventories(postgres_url, 2):
        yield stubs


@pytest.fixture
async def spread_servers(database_url: str) -> AsyncIterator[list[Stub]]:
    """Two servers on one PostgreSQL database; one server on SQLite."""
    count = 2 if database_url.startswith("postgresql") else 1
    async for stubs in running_inventories(database_url, count):
        yield stubs


def spread_request(index: int, sku: str) -> pb.ReserveRequest:
    """One unit at a location chosen round-robin; every fifth buyer also wants one unit at the
    next location (both or neither)."""
    locations = sorted(SPREAD_STOCK)
    first = locations[index % len(locations)]
    if index % 5 == 4:
        second = locations[(index + 1) % len(locations)]
        return reserve_request(line(sku, 1, first), line(sku, 1, second))
    return reserve_request(line(sku, 1, first))


async def buy_one_each(stubs: list[Stub], sku: str) -> tuple[int, list[str]]:
    """BUYERS concurrent one-unit reservations, alternating between servers."""

    async def buy(index: int) -> str:
        try:
            await stubs[index % len(stubs)].Reserve(reserve_request(line(sku, 1)))
        except grpc.aio.AioRpcError as error:
            return details_of(error).reason
        return "OK"

    outcomes = await asyncio.gather(*(buy(i) for i in range(BUYERS)))
    return outcomes.count("OK"), [o for o in outcomes if o != "OK"]


async def test_fifty_buyers_for_ten_units_leave_exactly_ten_reserved(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, UNITS)

    sold, refusals = await buy_one_each([inventory], sku)

    assert sold == UNITS
    assert refusals == ["OUT_OF_STOCK"] * (BUYERS - UNITS)
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved, level.available_to_promise) == (UNITS, UNITS, 0)
    await assert_ledger_matches_stock(inventory, sku)


async def test_concurrent_repeats_of_one_reservation_reserve_once(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, UNITS)
    request = reserve_request(line(sku, 3))

    answers = await asyncio.gather(*(inventory.Reserve(request) for _ in range(10)))

    assert all(answer == answers[0] for answer in answers)
    assert (await stock(inventory, sku)).reserved == 3
    await assert_ledger_matches_stock(inventory, sku)


async def test_concurrent_releases_give_stock_back_once(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, UNITS)
    request = reserve_request(line(sku, 4))
    await inventory.Reserve(request)
    release = pb.ReleaseRequest(reservation_id=request.reservation_id)

    await asyncio.gather(*(inventory.Release(release) for _ in range(10)))

    assert (await stock(inventory, sku)).reserved == 0
    kinds = [m.kind for m in await movements(inventory, sku)]
    assert kinds.count(pb.MOVEMENT_KIND_RELEASE) == 1
    await assert_ledger_matches_stock(inventory, sku)


@pytest.mark.postgres
async def test_two_servers_on_one_postgres_never_oversell(two_inventories: list[Stub]) -> None:
    first, second = two_inventories
    sku = await stocked_sku(first, UNITS)

    sold, refusals = await buy_one_each(two_inventories, sku)

    assert sold == UNITS
    assert refusals == ["OUT_OF_STOCK"] * (BUYERS - UNITS)
    assert (await stock(second, sku)).reserved == UNITS
    await assert_ledger_matches_stock(second, sku)


@pytest.mark.postgres
async def test_two_servers_answer_one_repeated_reservation_alike(
    two_inventories: list[Stub],
) -> None:
    sku = await stocked_sku(two_inventories[0], UNITS)
    request = reserve_request(line(sku, 2))

    answers = await asyncio.gather(*(two_inventories[i % 2].Reserve(request) for i in range(10)))

    assert all(answer == answers[0] for answer in answers)
    assert (await stock(two_inventories[1], sku)).reserved == 2
    await assert_ledger_matches_stock(two_inventories[1], sku)


async def test_buyers_across_locations_reserve_exactly_the_stock_all_or_nothing(
    spread_servers: list[Stub],
) -> None:
    first, last = spread_servers[0], spread_servers[-1]  # writes and reads on different servers
    sku = (await a_product(first)).sku
    for location_id, units in SPREAD_STOCK.items():
        await receive(first, sku, units, location_id, safety_stock=0)
    requests = [spread_request(i, sku) for i in range(SPREAD_BUYERS)]

    async def buy(index: int) -> str:
        stub = spread_servers[index % len(spread_servers)]
        try:
            await stub.Reserve(requests[index])
        except grpc.aio.AioRpcError as error:
            return details_of(error).reason
        return "OK"

    outcomes = await asyncio.gather(*(buy(i) for i in range(SPREAD_BUYERS)))

    assert set(outcomes) == {"OK", "OUT_OF_STOCK"}
    sold = [r for r, outcome in zip(requests, outcomes, strict=True) if outcome == "OK"]
    asked = Counter(x.location_id for request in sold for x in request.lines)
    assert asked == Counter(SPREAD_STOCK)
    await assert_exactly_sold(spread_servers[-1], sku, sold)
    for request, outcome in zip(requests, outcomes, strict=True):
        if outcome != "OK":
            missing = await refused(reservation(last, request.reservation_id))
            assert missing.code == grpc.StatusCode.NOT_FOUND


async def assert_exactly_sold(stub: Stub, sku: str, sold: list[pb.ReserveRequest]) -> None:
    """Every unit reserved, each by one of the sold reservations (none by a refused one), and
    the ledger adds up at every location."""
    for location_id, units in SPREAD_STOCK.items():
        level = await stock(stub, sku, location_id)
        assert (level.on_hand, level.reserved, level.available_to_promise) == (units, units, 0)
        await assert_ledger_matches_stock(stub, sku, location_id)
        ledger = await movements(stub, sku, location_id)
        reserved_by = sorted(m.reference for m in ledger if m.kind == pb.MOVEMENT_KIND_RESERVE)
        expected = sorted(
            r.reservation_id for r in sold if location_id in {x.location_id for x in r.lines}
        )
        assert reserved_by == expected
