"""Releasing some of a reservation's units over real gRPC, on SQLite and on PostgreSQL: units
the customer did not collect leave the reservation but stay on the shelf, once per request,
and the reservation stays active with what is left."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.inventory.v1 import inventory_pb2 as pb
from tests.support.inventory import (
    STORE,
    assert_ledger_matches_stock,
    fields_of,
    held,
    line,
    movements,
    new_id,
    refused,
    reservation,
    reserve_request,
    reserved,
    stock,
    stocked_sku,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub


def release_units(
    reservation_id: str,
    sku: str,
    quantity: int,
    reason: str = "NOT_COLLECTED",
    location_id: str = STORE,
) -> pb.ReleaseUnitsRequest:
    return pb.ReleaseUnitsRequest(
        request_id=new_id("release"),
        reservation_id=reservation_id,
        location_id=location_id,
        sku=sku,
        quantity=quantity,
        reason=reason,
    )


async def test_released_units_stay_on_the_shelf_and_a_later_commit_takes_only_the_rest(
    inventory: Stub,
) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    request = release_units(reservation_id, sku, 1)

    answer = await inventory.ReleaseUnits(request)
    committed = await inventory.Commit(pb.CommitRequest(reservation_id=reservation_id))

    assert answer.reservation.state == pb.RESERVATION_STATE_ACTIVE
    assert held(answer.reservation) == [(STORE, sku, 2)]
    level = answer.level
    assert (level.on_hand, level.reserved, level.available_to_promise) == (10, 2, 8)
    assert held(committed.reservation) == [(STORE, sku, 2)]
    after = await stock(inventory, sku)
    assert (after.on_hand, after.reserved, after.available_to_promise) == (8, 0, 8)
    ledger = [(m.kind, m.on_hand_delta, m.reserved_delta) for m in await movements(inventory, sku)]
    assert ledger[1:] == [
        (pb.MOVEMENT_KIND_RESERVE, 0, 3),
        (pb.MOVEMENT_KIND_RELEASE, 0, -1),
        (pb.MOVEMENT_KIND_COMMIT, -2, -2),
    ]
    await assert_ledger_matches_stock(inventory, sku)


async def test_released_units_are_recorded_under_the_request_with_the_reason(
    inventory: Stub,
) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    request = release_units(reservation_id, sku, 2)

    await inventory.ReleaseUnits(request)

    released = [m for m in await movements(inventory, sku) if m.kind == pb.MOVEMENT_KIND_RELEASE]
    assert [(m.reference, m.reason) for m in released] == [(request.request_id, "NOT_COLLECTED")]


async def test_repeated_release_of_units_answers_as_before_without_a_second_movement(
    inventory: Stub,
) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    request = release_units(reservation_id, sku, 1)

    first = await inventory.ReleaseUnits(request)
    again = await inventory.ReleaseUnits(request)
    concurrent = await asyncio.gather(*(inventory.ReleaseUnits(request) for _ in range(6)))

    assert again == first
    assert all(answer == first for answer in concurrent)
    kinds = [m.kind for m in await movements(inventory, sku)]
    assert kinds.count(pb.MOVEMENT_KIND_RELEASE) == 1
    assert (await stock(inventory, sku)).reserved == 2
    await assert_ledger_matches_stock(inventory, sku)


@pytest.mark.parametrize(("quantity", "location_id"), [(4, STORE), (1, "STORE-002")])
async def test_releasing_more_than_the_reservation_holds_is_refused_and_changes_nothing(
    inventory: Stub, quantity: int, location_id: str
) -> None:
    sku, reservation_id = await reserved(inventory, 3)

    error = await refused(
        inventory.ReleaseUnits(
            release_units(reservation_id, sku, quantity, location_id=location_id)
        )
    )

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RELEASE_EXCEEDS_RESERVATION",
    )
    assert error.metadata["requested"] == str(quantity)
    assert held(await reservation(inventory, reservation_id)) == [(STORE, sku, 3)]
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved) == (10, 3)
    kinds = [m.kind for m in await movements(inventory, sku)]
    assert pb.MOVEMENT_KIND_RELEASE not in kinds
    await assert_ledger_matches_stock(inventory, sku)


async def test_releasing_units_needs_an_active_reservation(inventory: Stub) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    await inventory.Commit(pb.CommitRequest(reservation_id=reservation_id))

    committed = await refused(inventory.ReleaseUnits(release_units(reservation_id, sku, 1)))
    unknown = await refused(inventory.ReleaseUnits(release_units(new_id("res"), sku, 1)))

    assert (committed.code, committed.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RESERVATION_NOT_ACTIVE",
    )
    assert (unknown.code, unknown.reason) == (grpc.StatusCode.NOT_FOUND, "RESERVATION_NOT_FOUND")
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved) == (7, 0)
    await assert_ledger_matches_stock(inventory, sku)


async def test_releasing_a_whole_line_then_the_reservation_gives_back_the_other_lines(
    inventory: Stub,
) -> None:
    kept, emptied = await stocked_sku(inventory, 10), await stocked_sku(inventory, 5)
    request = reserve_request(line(kept, 3), line(emptied, 2))
    await inventory.Reserve(request)

    answer = await inventory.ReleaseUnits(release_units(request.reservation_id, emptied, 2))
    released = await inventory.Release(pb.ReleaseRequest(reservation_id=request.reservation_id))

    assert held(answer.reservation) == [(STORE, kept, 3)]
    assert released.reservation.state == pb.RESERVATION_STATE_RELEASED
    for sku, on_hand in ((kept, 10), (emptied, 5)):
        level = await stock(inventory, sku)
        assert (level.on_hand, level.reserved, level.available_to_promise) == (on_hand, 0, on_hand)
        await assert_ledger_matches_stock(inventory, sku)


async def test_release_of_units_names_each_bad_field_and_changes_nothing(
    inventory: Stub,
) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    request = release_units(reservation_id, sku, 0, reason=" ")
    request.location_id = "SHOP"

    error = await refused(inventory.ReleaseUnits(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert fields_of(error) == ["location_id", "quantity", "reason"]
    assert (await stock(inventory, sku)).reserved == 3
