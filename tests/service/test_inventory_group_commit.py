"""Reservations written together in one transaction, over real gRPC on SQLite and PostgreSQL:
while the database's writers are held back, concurrent Reserve calls gather into one group;
each still gets its own answer (one buyer's OUT_OF_STOCK or unknown sku never costs another
their stock, a repeat gets the first answer), the ledger adds up, reads go on meanwhile, and a
graceful stop answers every reservation still waiting."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.grpc_errors import details_of
from tests.support.inventory import (
    STORE,
    a_product,
    assert_ledger_matches_stock,
    hold_request,
    line,
    new_sku,
    receive,
    refused,
    reservation,
    reserve_request,
    running_inventory,
    start_inventory,
    stock,
    stocked_sku,
)
from tests.support.write_lock import writes_held

if TYPE_CHECKING:
    from tests.support.inventory import Stub

GATHER_SECONDS = 0.5  # time for concurrent calls to reach the server while writes are held


def in_id_order(*requests: pb.ReserveRequest) -> list[pb.ReserveRequest]:
    """The requests with ids that sort as listed: a group makes its reservations in id order."""
    for index, request in enumerate(requests):
        request.reservation_id = f"res-{index:02d}-{request.reservation_id}"
    return list(requests)


async def answer(call: asyncio.Task[pb.ReserveResponse]) -> str:
    """OK, or the refusal's reason."""
    try:
        await call
    except grpc.aio.AioRpcError as error:
        return details_of(error).reason
    return "OK"


async def gathered(
    database_url: str, stub: Stub, requests: list[pb.ReserveRequest]
) -> list[asyncio.Task[pb.ReserveResponse]]:
    """Sends every request while writes are held, so they reach the server together, then lets
    the writer go; the calls, to await."""
    with writes_held(database_url, "reservations"):
        calls = [asyncio.ensure_future(stub.Reserve(request)) for request in requests]
        await asyncio.sleep(GATHER_SECONDS)
        assert not any(call.done() for call in calls)
    return calls


async def test_a_short_reservation_in_a_group_leaves_the_others_held(
    database_url: str, inventory: Stub
) -> None:
    mug, bowl = "A" + new_sku(), "B" + new_sku()  # lines are held in (location, sku) order
    for sku, units in ((mug, 5), (bowl, 2)):
        await a_product(inventory, sku)
        await receive(inventory, sku, units)
    requests = in_id_order(
        reserve_request(line(mug, 2)),
        reserve_request(line(mug, 1), line(bowl, 3)),  # its mug is held, then given back
        reserve_request(line(mug, 9)),
        reserve_request(line(mug, 3), line(bowl, 2)),  # fits only if that mug was given back
    )

    calls = await gathered(database_url, inventory, requests)

    assert [await answer(call) for call in calls] == ["OK", "OUT_OF_STOCK", "OUT_OF_STOCK", "OK"]
    short = await refused(calls[1])
    assert short.metadata == {"location_id": STORE, "sku": bowl, "requested": "3", "available": "2"}
    assert (await refused(calls[2])).metadata["available"] == "3"
    assert [(await stock(inventory, sku)).reserved for sku in (mug, bowl)] == [5, 2]
    for sku in (mug, bowl):
        await assert_ledger_matches_stock(inventory, sku)
    missing = await refused(reservation(inventory, requests[1].reservation_id))
    assert missing.code == grpc.StatusCode.NOT_FOUND


async def test_an_unknown_sku_in_a_group_is_not_found_and_costs_nobody_else(
    database_url: str, inventory: Stub
) -> None:
    mug, unknown = await stocked_sku(inventory, 5), new_sku()
    requests = [
        reserve_request(line(mug, 1)),
        reserve_request(line(mug, 1), line(unknown, 1)),
        reserve_request(line(mug, 1)),
    ]

    calls = await gathered(database_url, inventory, requests)

    assert [await answer(call) for call in calls] == ["OK", "SKU_NOT_FOUND", "OK"]
    assert (await refused(calls[1])).metadata == {"skus": unknown}
    assert (await stock(inventory, mug)).reserved == 2
    await assert_ledger_matches_stock(inventory, mug)


async def test_repeats_in_a_group_get_the_first_answer(database_url: str, inventory: Stub) -> None:
    mug = await stocked_sku(inventory, 10)
    repeated = reserve_request(line(mug, 3))
    other_order = reserve_request(line(mug, 3), reservation_id=repeated.reservation_id)
    requests = [repeated, reserve_request(line(mug, 1)), repeated, other_order, repeated]

    calls = await gathered(database_url, inventory, requests)

    outcomes = [await answer(call) for call in calls]
    assert outcomes == ["OK", "OK", "OK", "RESERVATION_ID_IN_USE", "OK"]
    first, _other, again, _in_use, last = [
        call.result() if not call.exception() else None for call in calls
    ]
    assert first == again == last
    assert (await stock(inventory, mug)).reserved == 4
    await assert_ledger_matches_stock(inventory, mug)


async def test_holds_and_order_reservations_share_a_group(
    database_url: str, inventory: Stub
) -> None:
    mug = await stocked_sku(inventory, 5)
    hold = hold_request(line(mug, 2), ttl_seconds=600)
    requests = [hold, reserve_request(line(mug, 2))]

    calls = await gathered(database_url, inventory, requests)

    made = [(await call).reservation for call in calls]
    assert made[0].expire_time.seconds - made[0].create_time.seconds == 600
    assert not made[1].HasField("expire_time")
    assert (await reservation(inventory, hold.reservation_id)) == made[0]
    assert (await stock(inventory, mug)).reserved == 4


async def test_reads_are_answered_while_reservations_wait_for_the_database(
    database_url: str, inventory: Stub
) -> None:
    mug = await stocked_sku(inventory, 5)

    with writes_held(database_url, "reservations"):
        waiting = asyncio.ensure_future(inventory.Reserve(reserve_request(line(mug, 1))))
        await asyncio.sleep(0.2)
        level = await asyncio.wait_for(stock(inventory, mug), timeout=5)
        assert not waiting.done()

    assert (level.on_hand, level.reserved) == (5, 0)
    assert (await waiting).reservation.state == pb.RESERVATION_STATE_ACTIVE


async def test_a_graceful_stop_answers_every_reservation_still_waiting(
    database_url: str,
) -> None:
    service = await start_inventory(database_url)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{service.port}")
    stub = inventory_pb2_grpc.InventoryServiceStub(channel)
    mug = await stocked_sku(stub, 10)

    with writes_held(database_url, "reservations"):
        calls = [
            asyncio.ensure_future(stub.Reserve(reserve_request(line(mug, 1)))) for _ in range(6)
        ]
        await asyncio.sleep(GATHER_SECONDS)
        stopping = asyncio.ensure_future(service.stop(grace_seconds=30))
        await asyncio.sleep(0.2)
        assert not stopping.done()
    answers = [await answer(call) for call in calls]
    await stopping
    await channel.close(None)

    assert answers == ["OK"] * 6
    async with running_inventory(database_url) as restarted:
        assert (await stock(restarted, mug)).reserved == 6
        await assert_ledger_matches_stock(restarted, mug)
