"""Short picks over real gRPC, on SQLite and on PostgreSQL: units a picker could not find leave
the reservation and the shelf once, with the reason in the ledger."""

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
    movements,
    new_id,
    refused,
    reservation,
    reserved,
    stock,
    transfer_line,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub


def short_pick(
    reservation_id: str, sku: str, quantity: int, reason: str = "DAMAGED", location_id: str = STORE
) -> pb.RecordShortPickRequest:
    return pb.RecordShortPickRequest(
        request_id=new_id("short"),
        reservation_id=reservation_id,
        location_id=location_id,
        sku=sku,
        quantity=quantity,
        reason=reason,
    )


async def test_short_pick_takes_units_out_of_the_reservation_and_the_shelf_once(
    inventory: Stub,
) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    request = short_pick(reservation_id, sku, 1)

    first = await inventory.RecordShortPick(request)
    again = await inventory.RecordShortPick(request)

    assert again == first
    assert held(first.reservation) == [(STORE, sku, 2)]
    level = first.level
    assert (level.on_hand, level.reserved, level.available_to_promise) == (9, 2, 7)
    short = [m for m in await movements(inventory, sku) if m.kind == pb.MOVEMENT_KIND_SHORT_PICK]
    assert [(m.on_hand_delta, m.reserved_delta, m.reason) for m in short] == [(-1, -1, "DAMAGED")]
    await assert_ledger_matches_stock(inventory, sku)


async def test_short_pick_of_a_whole_line_empties_it(inventory: Stub) -> None:
    sku, reservation_id = await reserved(inventory, 2)

    answer = await inventory.RecordShortPick(short_pick(reservation_id, sku, 2, "NOT_FOUND"))

    assert held(answer.reservation) == []
    assert answer.reservation.state == pb.RESERVATION_STATE_ACTIVE
    assert (answer.level.on_hand, answer.level.reserved) == (8, 0)
    await inventory.Commit(pb.CommitRequest(reservation_id=reservation_id))
    assert (await stock(inventory, sku)).on_hand == 8
    await assert_ledger_matches_stock(inventory, sku)


@pytest.mark.parametrize(("quantity", "location_id"), [(4, STORE), (1, "STORE-002")])
async def test_short_pick_beyond_the_reservation_is_refused_and_changes_nothing(
    inventory: Stub, quantity: int, location_id: str
) -> None:
    sku, reservation_id = await reserved(inventory, 3)

    error = await refused(
        inventory.RecordShortPick(
            short_pick(reservation_id, sku, quantity, location_id=location_id)
        )
    )

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "SHORT_PICK_EXCEEDS_RESERVATION",
    )
    assert held(await reservation(inventory, reservation_id)) == [(STORE, sku, 3)]
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved) == (10, 3)
    await assert_ledger_matches_stock(inventory, sku)


async def test_units_on_their_way_to_another_store_cannot_be_short_picked(
    inventory: Stub,
) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    await inventory.CreateTransfer(
        pb.CreateTransferRequest(
            transfer_id=new_id("transfer"),
            reservation_id=reservation_id,
            source_id=STORE,
            destination_id="STORE-002",
            lines=[transfer_line(sku, 2)],
        )
    )

    error = await refused(inventory.RecordShortPick(short_pick(reservation_id, sku, 2)))
    allowed = await inventory.RecordShortPick(short_pick(reservation_id, sku, 1))

    assert (error.reason, error.metadata["held"]) == ("SHORT_PICK_EXCEEDS_RESERVATION", "1")
    assert held(allowed.reservation) == [(STORE, sku, 2)]
    await assert_ledger_matches_stock(inventory, sku)


async def test_short_pick_needs_an_active_reservation(inventory: Stub) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    await inventory.Release(pb.ReleaseRequest(reservation_id=reservation_id))

    released = await refused(inventory.RecordShortPick(short_pick(reservation_id, sku, 1)))
    unknown = await refused(inventory.RecordShortPick(short_pick(new_id("res"), sku, 1)))

    assert (released.code, released.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RESERVATION_NOT_ACTIVE",
    )
    assert (unknown.code, unknown.reason) == (grpc.StatusCode.NOT_FOUND, "RESERVATION_NOT_FOUND")
    assert (await stock(inventory, sku)).on_hand == 10


async def test_short_pick_needs_a_reason_and_names_each_bad_field(inventory: Stub) -> None:
    sku, reservation_id = await reserved(inventory, 3)
    request = short_pick(reservation_id, sku, 0, reason="  ")
    request.request_id = "x"

    error = await refused(inventory.RecordShortPick(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert fields_of(error) == ["request_id", "quantity", "reason"]
    assert (await stock(inventory, sku)).reserved == 3


async def test_concurrent_repeats_of_a_short_pick_take_the_units_once(inventory: Stub) -> None:
    sku, reservation_id = await reserved(inventory, 2)
    request = short_pick(reservation_id, sku, 2)

    answers = await asyncio.gather(*(inventory.RecordShortPick(request) for _ in range(8)))

    assert all(answer == answers[0] for answer in answers)
    assert (answers[0].level.on_hand, answers[0].level.reserved) == (8, 0)
    kinds = [m.kind for m in await movements(inventory, sku)]
    assert kinds.count(pb.MOVEMENT_KIND_SHORT_PICK) == 1
    await assert_ledger_matches_stock(inventory, sku)
