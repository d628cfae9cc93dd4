"""Returned goods received over real gRPC, on SQLite and on PostgreSQL: resellable units go back
on the shelf, damaged ones arrive and are written off, all items in one transaction, once per
request id."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc

from clickcollect.inventory.v1 import inventory_pb2 as pb
from tests.support.inventory import (
    STORE,
    a_product,
    assert_ledger_matches_stock,
    fields_of,
    movements,
    new_id,
    new_sku,
    receive,
    refused,
    stock,
    stocked_sku,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub

RETURN_ID = "RET-0123456789"
RESTOCK, WRITE_OFF = pb.DISPOSITION_RESTOCK, pb.DISPOSITION_WRITE_OFF


def item(sku: str, quantity: int, disposition: pb.Disposition.ValueType) -> pb.ReturnedItem:
    return pb.ReturnedItem(sku=sku, quantity=quantity, disposition=disposition)


def a_return(*items: pb.ReturnedItem, location_id: str = STORE) -> pb.ReceiveReturnRequest:
    return pb.ReceiveReturnRequest(
        request_id=new_id("return"), location_id=location_id, reference=RETURN_ID, items=items
    )


def levels_of(answer: pb.ReceiveReturnResponse) -> list[tuple[str, int, int, int]]:
    return [(x.sku, x.on_hand, x.reserved, x.available_to_promise) for x in answer.levels]


async def ledger_tail(inventory: Stub, sku: str, count: int) -> list[tuple[int, int, str, str]]:
    """(kind, on_hand_delta, reference, reason) of the last ``count`` movements."""
    ledger = (await movements(inventory, sku))[-count:]
    return [(m.kind, m.on_hand_delta, m.reference, m.reason) for m in ledger]


async def test_restocked_return_goes_back_on_the_shelf_and_can_be_promised(
    inventory: Stub,
) -> None:
    sku = await stocked_sku(inventory, 5)
    request = a_return(item(sku, 2, RESTOCK))

    answer = await inventory.ReceiveReturn(request)

    assert levels_of(answer) == [(sku, 7, 0, 7)]
    assert await ledger_tail(inventory, sku, 1) == [
        (pb.MOVEMENT_KIND_RETURN, 2, request.request_id, f"return {RETURN_ID}")
    ]
    await assert_ledger_matches_stock(inventory, sku)


async def test_damaged_return_is_recorded_as_arrived_and_written_off(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = a_return(item(sku, 2, WRITE_OFF))

    answer = await inventory.ReceiveReturn(request)

    assert levels_of(answer) == [(sku, 5, 0, 5)]
    reason = f"return {RETURN_ID}"
    assert await ledger_tail(inventory, sku, 2) == [
        (pb.MOVEMENT_KIND_RETURN, 2, request.request_id, reason),
        (pb.MOVEMENT_KIND_WRITE_OFF, -2, request.request_id, reason),
    ]
    await assert_ledger_matches_stock(inventory, sku)


async def test_one_return_receives_every_item_and_answers_in_sku_order(inventory: Stub) -> None:
    mixed = (await a_product(inventory)).sku
    await receive(inventory, mixed, 1, "STORE-002")
    never_stocked_here = (await a_product(inventory, sku="AAA-" + new_sku())).sku
    request = a_return(
        item(mixed, 2, RESTOCK),
        item(never_stocked_here, 1, WRITE_OFF),
        item(mixed, 1, WRITE_OFF),
        location_id="STORE-002",
    )

    answer = await inventory.ReceiveReturn(request)

    assert levels_of(answer) == [(never_stocked_here, 0, 0, 0), (mixed, 3, 0, 3)]
    kinds = [m.kind for m in await movements(inventory, mixed, "STORE-002")]
    assert kinds == [pb.MOVEMENT_KIND_RECEIPT, pb.MOVEMENT_KIND_RETURN, pb.MOVEMENT_KIND_WRITE_OFF]
    for sku in (mixed, never_stocked_here):
        await assert_ledger_matches_stock(inventory, sku, "STORE-002")
    assert (await stock(inventory, mixed)).on_hand == 0  # the other store is untouched


async def test_repeated_return_answers_with_the_levels_now_and_writes_nothing(
    inventory: Stub,
) -> None:
    sku = await stocked_sku(inventory, 5)
    request = a_return(item(sku, 2, RESTOCK))

    first = await inventory.ReceiveReturn(request)
    concurrent = await asyncio.gather(*(inventory.ReceiveReturn(request) for _ in range(6)))
    await inventory.RecordSale(
        pb.RecordSaleRequest(
            request_id=new_id("sale"),
            location_id=STORE,
            reference="ORD-0123456789",
            items=[pb.SaleItem(sku=sku, quantity=1)],
        )
    )
    later = await inventory.ReceiveReturn(request)

    assert all(answer == first for answer in concurrent)
    assert levels_of(later) == [(sku, 6, 0, 6)]
    kinds = [m.kind for m in await movements(inventory, sku)]
    assert kinds.count(pb.MOVEMENT_KIND_RETURN) == 1
    await assert_ledger_matches_stock(inventory, sku)


async def test_return_naming_an_unknown_sku_is_refused_and_receives_nothing(
    inventory: Stub,
) -> None:
    sku, unknown = await stocked_sku(inventory, 5), new_sku()

    error = await refused(
        inventory.ReceiveReturn(a_return(item(sku, 1, RESTOCK), item(unknown, 1, RESTOCK)))
    )

    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "SKU_NOT_FOUND")
    assert error.metadata["skus"] == unknown
    assert (await stock(inventory, sku)).on_hand == 5
    assert len(await movements(inventory, sku)) == 1


async def test_bad_return_names_each_field_and_receives_nothing(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = a_return(
        item(sku, 1, RESTOCK),
        item(sku, 0, RESTOCK),
        pb.ReturnedItem(sku=sku, quantity=1),
    )
    request.reference = ""

    error = await refused(inventory.ReceiveReturn(request))
    empty = await refused(inventory.ReceiveReturn(a_return()))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert fields_of(error) == ["reference", "items[1].quantity", "items[2].disposition"]
    assert (empty.code, fields_of(empty)) == (grpc.StatusCode.INVALID_ARGUMENT, ["items"])
    assert (await stock(inventory, sku)).on_hand == 5
    assert len(await movements(inventory, sku)) == 1
