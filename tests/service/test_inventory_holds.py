"""Checkout holds over real gRPC, on SQLite and on PostgreSQL: a hold expires unless converted,
a late conversion is refused even before the sweeper ran, and the sweeper gives the stock back
with nobody asking."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.inventory.v1 import inventory_pb2 as pb
from tests.support.inventory import (
    FakeClock,
    assert_ledger_matches_stock,
    fields_of,
    hold_request,
    line,
    movements,
    new_id,
    new_order_id,
    refused,
    reservation,
    running_inventory,
    stock,
    stocked_sku,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub

NO_SWEEP = 3600.0  # the sweeper stays out of the way; tests expire holds explicitly


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def inventory(database_url: str, clock: FakeClock) -> AsyncIterator[Stub]:
    async with running_inventory(database_url, clock, hold_sweep_seconds=NO_SWEEP) as stub:
        yield stub


def convert_request(hold: pb.ReserveRequest, order_id: str) -> pb.ConvertHoldRequest:
    return pb.ConvertHoldRequest(reservation_id=hold.reservation_id, order_id=order_id)


async def test_hold_expires_after_its_ttl_unless_converted_into_the_order(
    inventory: Stub, clock: FakeClock
) -> None:
    sku = await stocked_sku(inventory, 5)
    hold = hold_request(line(sku, 2), ttl_seconds=600)
    order_id = new_order_id()

    held = (await inventory.Reserve(hold)).reservation
    converted = (await inventory.ConvertHold(convert_request(hold, order_id))).reservation
    again = (await inventory.ConvertHold(convert_request(hold, order_id))).reservation

    assert (held.order_id, held.state) == ("", pb.RESERVATION_STATE_ACTIVE)
    assert held.expire_time.ToDatetime() == (clock.now + timedelta(seconds=600)).replace(
        tzinfo=None
    )
    assert converted.order_id == order_id
    assert not converted.HasField("expire_time")
    assert again == converted
    clock.advance(3600)
    assert (await inventory.ExpireHolds(pb.ExpireHoldsRequest())).expired_reservation_ids == []
    assert (await stock(inventory, sku)).reserved == 2
    await assert_ledger_matches_stock(inventory, sku)


async def test_hold_converted_after_expiry_is_refused_even_before_the_sweep(
    inventory: Stub, clock: FakeClock
) -> None:
    sku = await stocked_sku(inventory, 5)
    hold = hold_request(line(sku, 2), ttl_seconds=60)
    await inventory.Reserve(hold)
    clock.advance(61)

    error = await refused(inventory.ConvertHold(convert_request(hold, new_order_id())))

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "HOLD_EXPIRED")
    unchanged = await reservation(inventory, hold.reservation_id)
    assert (unchanged.state, unchanged.order_id) == (pb.RESERVATION_STATE_ACTIVE, "")
    assert unchanged.HasField("expire_time")
    assert (await stock(inventory, sku)).reserved == 2
    await assert_ledger_matches_stock(inventory, sku)


async def test_expire_holds_gives_back_only_holds_whose_ttl_passed(
    inventory: Stub, clock: FakeClock
) -> None:
    sku = await stocked_sku(inventory, 10)
    short, long, converted = (hold_request(line(sku, 2), ttl_seconds=t) for t in (60, 600, 60))
    for hold in (short, long, converted):
        await inventory.Reserve(hold)
    await inventory.ConvertHold(convert_request(converted, new_order_id()))
    clock.advance(61)

    expired = await inventory.ExpireHolds(pb.ExpireHoldsRequest())
    repeated = await inventory.ExpireHolds(pb.ExpireHoldsRequest())

    assert list(expired.expired_reservation_ids) == [short.reservation_id]
    assert list(repeated.expired_reservation_ids) == []
    assert (await reservation(inventory, short.reservation_id)).state == (
        pb.RESERVATION_STATE_EXPIRED
    )
    assert (await reservation(inventory, long.reservation_id)).state == pb.RESERVATION_STATE_ACTIVE
    level = await stock(inventory, sku)
    assert (level.reserved, level.available_to_promise) == (4, 6)
    last = (await movements(inventory, sku))[-1]
    assert (last.kind, last.reserved_delta, last.reference) == (
        pb.MOVEMENT_KIND_EXPIRE,
        -2,
        short.reservation_id,
    )
    error = await refused(inventory.ConvertHold(convert_request(short, new_order_id())))
    assert error.reason == "HOLD_EXPIRED"
    await assert_ledger_matches_stock(inventory, sku)


async def test_released_hold_cannot_be_converted_and_expired_hold_releases_as_is(
    inventory: Stub, clock: FakeClock
) -> None:
    sku = await stocked_sku(inventory, 5)
    released, expired = hold_request(line(sku, 1)), hold_request(line(sku, 2), ttl_seconds=5)
    await inventory.Reserve(released)
    await inventory.Reserve(expired)
    await inventory.Release(pb.ReleaseRequest(reservation_id=released.reservation_id))
    clock.advance(6)
    await inventory.ExpireHolds(pb.ExpireHoldsRequest())

    error = await refused(inventory.ConvertHold(convert_request(released, new_order_id())))
    late_release = await inventory.Release(pb.ReleaseRequest(reservation_id=expired.reservation_id))

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "HOLD_EXPIRED")
    assert late_release.reservation.state == pb.RESERVATION_STATE_EXPIRED
    assert (await stock(inventory, sku)).reserved == 0
    await assert_ledger_matches_stock(inventory, sku)


async def test_hold_converted_for_one_order_is_not_converted_for_another(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    hold = hold_request(line(sku, 1))
    await inventory.Reserve(hold)
    first = new_order_id()
    await inventory.ConvertHold(convert_request(hold, first))

    error = await refused(inventory.ConvertHold(convert_request(hold, new_order_id())))

    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "RESERVATION_ID_IN_USE")
    assert (await reservation(inventory, hold.reservation_id)).order_id == first


async def test_unknown_or_malformed_conversions(inventory: Stub) -> None:
    unknown = pb.ConvertHoldRequest(reservation_id=new_id("hold"), order_id=new_order_id())
    malformed = pb.ConvertHoldRequest(reservation_id="?", order_id="order-1")

    missing = await refused(inventory.ConvertHold(unknown))
    bad = await refused(inventory.ConvertHold(malformed))

    assert (missing.code, missing.reason) == (grpc.StatusCode.NOT_FOUND, "HOLD_NOT_FOUND")
    assert (bad.code, fields_of(bad)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["reservation_id", "order_id"],
    )


async def test_only_the_customer_who_took_a_hold_converts_it_and_nobody_else_changes_it(
    inventory: Stub,
) -> None:
    sku = await stocked_sku(inventory, 5)
    hold = hold_request(line(sku, 1))
    hold.owner_id = "cust-1001"
    held = (await inventory.Reserve(hold)).reservation
    unknown = pb.ConvertHoldRequest(
        reservation_id=new_id("hold"), order_id=new_order_id(), owner_id="cust-2002"
    )

    foreign = await refused(
        inventory.ConvertHold(
            pb.ConvertHoldRequest(
                reservation_id=hold.reservation_id, order_id=new_order_id(), owner_id="cust-2002"
            )
        )
    )
    anonymous = await refused(inventory.ConvertHold(convert_request(hold, new_order_id())))
    missing = await refused(inventory.ConvertHold(unknown))

    for error in (foreign, anonymous, missing):
        assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "HOLD_NOT_FOUND")
    assert foreign.message.replace(hold.reservation_id, "?") == missing.message.replace(
        unknown.reservation_id, "?"
    )
    assert await reservation(inventory, hold.reservation_id) == held
    assert held.owner_id == "cust-1001"
    assert (await stock(inventory, sku)).reserved == 1
    mine = pb.ConvertHoldRequest(
        reservation_id=hold.reservation_id, order_id=new_order_id(), owner_id="cust-1001"
    )
    assert (await inventory.ConvertHold(mine)).reservation.order_id == mine.order_id


async def test_a_repeated_hold_for_another_owner_is_refused(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    hold = hold_request(line(sku, 1))
    hold.owner_id = "cust-1001"
    await inventory.Reserve(hold)
    hold.owner_id = "cust-2002"

    error = await refused(inventory.Reserve(hold))

    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "RESERVATION_ID_IN_USE")
    assert (await stock(inventory, sku)).reserved == 1


@pytest.mark.parametrize("ttl_seconds", [-1, 3601])
async def test_ttl_out_of_range_is_refused_and_nothing_is_held(
    inventory: Stub, ttl_seconds: int
) -> None:
    sku = await stocked_sku(inventory, 5)
    request = hold_request(line(sku, 1), ttl_seconds=ttl_seconds)

    error = await refused(inventory.Reserve(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "ttl_seconds" in fields_of(error)
    assert (await stock(inventory, sku)).reserved == 0


async def test_only_a_hold_may_be_made_without_an_order(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = hold_request(line(sku, 1), ttl_seconds=0)

    error = await refused(inventory.Reserve(request))

    assert (error.code, fields_of(error)) == (grpc.StatusCode.INVALID_ARGUMENT, ["order_id"])


async def test_conversion_racing_expiry_ends_one_way_only(
    inventory: Stub, clock: FakeClock
) -> None:
    sku = await stocked_sku(inventory, 5)
    hold = hold_request(line(sku, 2), ttl_seconds=60)
    await inventory.Reserve(hold)
    clock.advance(61)

    outcomes = await asyncio.gather(
        inventory.ConvertHold(convert_request(hold, new_order_id())),
        inventory.ExpireHolds(pb.ExpireHoldsRequest()),
        return_exceptions=True,
    )

    assert isinstance(outcomes[0], grpc.aio.AioRpcError)
    assert (await reservation(inventory, hold.reservation_id)).state == (
        pb.RESERVATION_STATE_EXPIRED
    )
    assert (await stock(inventory, sku)).reserved == 0
    await assert_ledger_matches_stock(inventory, sku)


async def test_sweeper_releases_an_expired_hold_with_nobody_asking(database_url: str) -> None:
    async with running_inventory(database_url, hold_sweep_seconds=0.2) as inventory:
        sku = await stocked_sku(inventory, 5)
        hold = hold_request(line(sku, 3), ttl_seconds=1)
        await inventory.Reserve(hold)
        assert (await stock(inventory, sku)).reserved == 3

        deadline = time.monotonic() + 10
        state = pb.RESERVATION_STATE_ACTIVE
        while state == pb.RESERVATION_STATE_ACTIVE and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            state = (await reservation(inventory, hold.reservation_id)).state

        assert state == pb.RESERVATION_STATE_EXPIRED
        assert (await stock(inventory, sku)).reserved == 0
        await assert_ledger_matches_stock(inventory, sku)
