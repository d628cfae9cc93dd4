"""Till sales over real gRPC, on SQLite and on PostgreSQL: units leave the shelf once per
request, never units a reservation holds, all items or none; sales racing reservations (on two
servers sharing one PostgreSQL database) never sell or reserve a unit twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import TYPE_CHECKING, Any

import grpc
import pytest

from clickcollect.inventory.v1 import inventory_pb2 as pb
from services.common.grpc_errors import details_of
from tests.support.inventory import (
    STORE,
    a_product,
    assert_ledger_matches_stock,
    fields_of,
    line,
    movements,
    new_id,
    new_sku,
    receive,
    refused,
    reserve_request,
    running_inventories,
    stock,
    stocked_sku,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub

ORDER_ID = "ORD-0123456789"
UNITS = 5
BUYERS = 20


@pytest.fixture
async def shared_servers(database_url: str) -> AsyncIterator[list[Stub]]:
    """Two servers on one PostgreSQL database; one server on SQLite."""
    count = 2 if database_url.startswith("postgresql") else 1
    async for stubs in running_inventories(database_url, count):
        yield stubs


def sale(*items: tuple[str, int]) -> pb.RecordSaleRequest:
    return pb.RecordSaleRequest(
        request_id=new_id("sale"),
        location_id=STORE,
        reference=ORDER_ID,
        items=[pb.SaleItem(sku=sku, quantity=quantity) for sku, quantity in items],
    )


async def outcome(call: Awaitable[Any]) -> str:
    try:
        await call
    except grpc.aio.AioRpcError as error:
        return details_of(error).reason
    return "OK"


async def test_sale_takes_units_off_the_shelf_under_its_request(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = sale((sku, 2))

    answer = await inventory.RecordSale(request)

    level = answer.levels[0]
    assert (level.sku, level.on_hand, level.reserved, level.available_to_promise) == (sku, 3, 0, 3)
    last = (await movements(inventory, sku))[-1]
    assert (last.kind, last.on_hand_delta, last.reserved_delta) == (pb.MOVEMENT_KIND_SALE, -2, 0)
    assert (last.reference, last.reason) == (request.request_id, f"sale {ORDER_ID}")
    await assert_ledger_matches_stock(inventory, sku)


async def test_a_till_may_sell_safety_stock_but_not_reserved_units(inventory: Stub) -> None:
    sku = (await a_product(inventory)).sku
    await receive(inventory, sku, 5, safety_stock=2)
    await inventory.Reserve(reserve_request(line(sku, 2)))

    sold = await inventory.RecordSale(sale((sku, 3)))
    error = await refused(inventory.RecordSale(sale((sku, 1))))

    assert (sold.levels[0].on_hand, sold.levels[0].reserved) == (2, 2)
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "OUT_OF_STOCK")
    await assert_ledger_matches_stock(inventory, sku)


async def test_sale_of_more_than_the_unreserved_stock_is_refused_and_sells_nothing(
    inventory: Stub,
) -> None:
    plenty, short = await stocked_sku(inventory, 10), await stocked_sku(inventory, 5)
    await inventory.Reserve(reserve_request(line(short, 3)))

    error = await refused(inventory.RecordSale(sale((plenty, 4), (short, 3))))

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "OUT_OF_STOCK")
    assert error.metadata == {
        "location_id": STORE,
        "sku": short,
        "requested": "3",
        "available": "2",
    }
    for sku, on_hand, reserved in ((plenty, 10, 0), (short, 5, 3)):
        level = await stock(inventory, sku)
        assert (level.on_hand, level.reserved) == (on_hand, reserved)
        assert pb.MOVEMENT_KIND_SALE not in [m.kind for m in await movements(inventory, sku)]
        await assert_ledger_matches_stock(inventory, sku)


async def test_repeated_sale_answers_without_selling_again(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = sale((sku, 2))

    first = await inventory.RecordSale(request)
    again = await asyncio.gather(*(inventory.RecordSale(request) for _ in range(6)))

    assert all(answer == first for answer in again)
    assert (await stock(inventory, sku)).on_hand == 3
    kinds = [m.kind for m in await movements(inventory, sku)]
    assert kinds.count(pb.MOVEMENT_KIND_SALE) == 1
    await assert_ledger_matches_stock(inventory, sku)


async def test_bad_sale_names_the_field_or_the_unknown_sku_and_sells_nothing(
    inventory: Stub,
) -> None:
    sku, unknown = await stocked_sku(inventory, 5), new_sku()
    bad = sale((sku, 1), (sku, 0))
    bad.location_id = "SHOP"

    invalid = await refused(inventory.RecordSale(bad))
    empty = await refused(inventory.RecordSale(sale()))
    missing = await refused(inventory.RecordSale(sale((sku, 1), (unknown, 1))))

    assert invalid.code == grpc.StatusCode.INVALID_ARGUMENT
    assert fields_of(invalid) == ["location_id", "items[1].quantity"]
    assert fields_of(empty) == ["items"]
    assert (missing.code, missing.reason) == (grpc.StatusCode.NOT_FOUND, "SKU_NOT_FOUND")
    assert missing.metadata["skus"] == unknown
    assert (await stock(inventory, sku)).on_hand == 5
    await assert_ledger_matches_stock(inventory, sku)


async def test_many_tills_selling_the_last_units_sell_each_once(
    shared_servers: list[Stub],
) -> None:
    sku = await stocked_sku(shared_servers[0], UNITS)

    outcomes = await asyncio.gather(
        *(
            outcome(shared_servers[i % len(shared_servers)].RecordSale(sale((sku, 1))))
            for i in range(BUYERS)
        )
    )

    assert sorted(outcomes) == ["OK"] * UNITS + ["OUT_OF_STOCK"] * (BUYERS - UNITS)
    level = await stock(shared_servers[-1], sku)
    assert (level.on_hand, level.reserved) == (0, 0)
    await assert_ledger_matches_stock(shared_servers[-1], sku)


async def test_tills_and_buyers_racing_for_the_last_units_never_share_one(
    shared_servers: list[Stub],
) -> None:
    sku = await stocked_sku(shared_servers[0], UNITS)
    racers = BUYERS // 2
    tills = [outcome(shared_servers[0].RecordSale(sale((sku, 1)))) for _ in range(racers)]
    buyers = [
        outcome(shared_servers[-1].Reserve(reserve_request(line(sku, 1)))) for _ in range(racers)
    ]

    outcomes = await asyncio.gather(*tills, *buyers)

    sold, held = outcomes[:racers].count("OK"), outcomes[racers:].count("OK")
    assert sold + held == UNITS
    assert set(outcomes) <= {"OK", "OUT_OF_STOCK"}
    level = await stock(shared_servers[-1], sku)
    assert (level.on_hand, level.reserved) == (UNITS - sold, held)
    await assert_ledger_matches_stock(shared_servers[-1], sku)
