"""Transfers of reserved stock over real gRPC, on SQLite and on PostgreSQL: reserved at the
source, in transit, shipped, received into the same reservation at the destination; every
refusal leaves stock, reservation and transfer as they were, and the ledger always adds up."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.inventory.v1 import inventory_pb2 as pb
from tests.support.inventory import (
    STORE,
    assert_ledger_matches_stock,
    fields_of,
    held,
    ledger_in_transit,
    line,
    movements,
    new_id,
    new_order_id,
    refused,
    reservation,
    reserve_request,
    stock,
    stocked_sku,
    transfer_line,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub

DC = "DC-01"
OTHER_STORE = "STORE-002"


@dataclass
class Shipment:
    """3 units reserved at the DC for an order that picks up at STORE, and the transfer."""

    sku: str
    reservation_id: str
    create: pb.CreateTransferRequest

    @property
    def transfer_id(self) -> str:
        return self.create.transfer_id

    def ship(self) -> pb.ShipTransferRequest:
        return pb.ShipTransferRequest(transfer_id=self.transfer_id)

    def receive(self, *lines: pb.TransferLine, at: str = STORE) -> pb.ReceiveTransferRequest:
        return pb.ReceiveTransferRequest(transfer_id=self.transfer_id, location_id=at, lines=lines)


async def planned(inventory: Stub, quantity: int = 3, create: bool = True) -> Shipment:
    sku = await stocked_sku(inventory, 10, DC)
    request = reserve_request(line(sku, quantity, DC))
    await inventory.Reserve(request)
    shipment = Shipment(
        sku,
        request.reservation_id,
        pb.CreateTransferRequest(
            transfer_id=f"transfer-{request.order_id}-1",
            reservation_id=request.reservation_id,
            source_id=DC,
            destination_id=STORE,
            lines=[transfer_line(sku, quantity)],
        ),
    )
    if create:
        await inventory.CreateTransfer(shipment.create)
    return shipment


async def levels(inventory: Stub, sku: str) -> dict[str, tuple[int, int, int]]:
    """(on_hand, reserved, in_transit) at the DC, the store and another store."""
    found = {}
    for location_id in (DC, STORE, OTHER_STORE):
        level = await stock(inventory, sku, location_id)
        found[location_id] = (level.on_hand, level.reserved, level.in_transit)
    return found


async def assert_books_balance(inventory: Stub, database_url: str, sku: str) -> None:
    for location_id in (DC, STORE, OTHER_STORE):
        await assert_ledger_matches_stock(inventory, sku, location_id)
        level = await stock(inventory, sku, location_id)
        assert level.in_transit == ledger_in_transit(database_url, sku, location_id)


async def test_transfer_moves_reserved_stock_into_the_same_reservation_at_the_store(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory, create=False)

    created = (await inventory.CreateTransfer(shipment.create)).transfer
    after_create = await levels(inventory, shipment.sku)
    shipped = (await inventory.ShipTransfer(shipment.ship())).transfer
    after_ship = await levels(inventory, shipment.sku)
    lines_in_transit = held(await reservation(inventory, shipment.reservation_id))
    received = (await inventory.ReceiveTransfer(shipment.receive())).transfer

    assert created.state == pb.TRANSFER_STATE_CREATED
    assert after_create == {DC: (10, 3, 0), STORE: (0, 0, 3), OTHER_STORE: (0, 0, 0)}
    assert (shipped.state, shipped.ship_time.seconds > 0) == (pb.TRANSFER_STATE_SHIPPED, True)
    assert after_ship == {DC: (7, 0, 0), STORE: (0, 0, 3), OTHER_STORE: (0, 0, 0)}
    assert lines_in_transit == []
    assert received.state == pb.TRANSFER_STATE_RECEIVED
    assert list(received.received_lines) == [transfer_line(shipment.sku, 3)]
    assert await levels(inventory, shipment.sku) == {
        DC: (7, 0, 0),
        STORE: (3, 3, 0),
        OTHER_STORE: (0, 0, 0),
    }
    mine = await reservation(inventory, shipment.reservation_id)
    assert held(mine) == [(STORE, shipment.sku, 3)]
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_transfer_writes_its_movements_at_both_ends_and_the_order_collects_it(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())
    await inventory.ReceiveTransfer(shipment.receive())

    await inventory.Commit(pb.CommitRequest(reservation_id=shipment.reservation_id))

    at_store = await movements(inventory, shipment.sku, STORE)
    assert [(m.kind, m.on_hand_delta, m.reserved_delta) for m in at_store] == [
        (pb.MOVEMENT_KIND_TRANSFER_IN, 0, 0),
        (pb.MOVEMENT_KIND_TRANSFER_IN, 3, 3),
        (pb.MOVEMENT_KIND_COMMIT, -3, -3),
    ]
    assert at_store[1].reference == shipment.transfer_id
    out = (await movements(inventory, shipment.sku, DC))[-1]
    assert (out.kind, out.on_hand_delta, out.reserved_delta, out.reference) == (
        pb.MOVEMENT_KIND_TRANSFER_OUT,
        -3,
        -3,
        shipment.transfer_id,
    )
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 0)
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_repeats_of_create_ship_and_receive_answer_as_is(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory, create=False)

    created = [await inventory.CreateTransfer(shipment.create) for _ in range(2)]
    shipped = [await inventory.ShipTransfer(shipment.ship()) for _ in range(2)]
    receipt = shipment.receive(transfer_line(shipment.sku, 3))
    received = [await inventory.ReceiveTransfer(receipt) for _ in range(2)]
    everything = await inventory.ReceiveTransfer(shipment.receive())

    assert created[0] == created[1]
    assert shipped[0] == shipped[1]
    assert received[0] == received[1] == everything
    got = await inventory.GetTransfer(pb.GetTransferRequest(transfer_id=shipment.transfer_id))
    assert got.transfer == received[0].transfer
    assert await levels(inventory, shipment.sku) == {
        DC: (7, 0, 0),
        STORE: (3, 3, 0),
        OTHER_STORE: (0, 0, 0),
    }
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_transfer_id_cannot_be_reused_for_other_content(inventory: Stub) -> None:
    shipment = await planned(inventory)
    other = pb.CreateTransferRequest()
    other.CopyFrom(shipment.create)
    other.destination_id = OTHER_STORE

    error = await refused(inventory.CreateTransfer(other))

    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "TRANSFER_ID_IN_USE")
    assert (await levels(inventory, shipment.sku))[OTHER_STORE] == (0, 0, 0)


async def test_transfer_cannot_move_more_than_the_reservation_holds_at_the_source(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory, quantity=3)
    second = pb.CreateTransferRequest()
    second.CopyFrom(shipment.create)
    second.transfer_id = shipment.transfer_id.replace("-1", "-2")
    second.lines[0].quantity = 1

    error = await refused(inventory.CreateTransfer(second))

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "TRANSFER_EXCEEDS_RESERVATION",
    )
    assert (error.metadata["requested"], error.metadata["held"]) == ("1", "0")
    missing = await refused(
        inventory.GetTransfer(pb.GetTransferRequest(transfer_id=second.transfer_id))
    )
    assert (missing.code, missing.reason) == (grpc.StatusCode.NOT_FOUND, "TRANSFER_NOT_FOUND")
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 3)
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_transfer_needs_an_active_reservation(inventory: Stub) -> None:
    shipment = await planned(inventory, create=False)
    await inventory.Release(pb.ReleaseRequest(reservation_id=shipment.reservation_id))
    unknown = pb.CreateTransferRequest()
    unknown.CopyFrom(shipment.create)
    unknown.reservation_id = new_id("res")

    released = await refused(inventory.CreateTransfer(shipment.create))
    missing = await refused(inventory.CreateTransfer(unknown))

    assert (released.code, released.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RESERVATION_NOT_ACTIVE",
    )
    assert (missing.code, missing.reason) == (grpc.StatusCode.NOT_FOUND, "RESERVATION_NOT_FOUND")
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 0)


async def test_transfer_received_by_the_wrong_store_is_refused_and_changes_nothing(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())

    error = await refused(inventory.ReceiveTransfer(shipment.receive(at=OTHER_STORE)))

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "WRONG_DESTINATION")
    assert error.metadata["destination_id"] == STORE
    got = await inventory.GetTransfer(pb.GetTransferRequest(transfer_id=shipment.transfer_id))
    assert got.transfer.state == pb.TRANSFER_STATE_SHIPPED
    assert await levels(inventory, shipment.sku) == {
        DC: (7, 0, 0),
        STORE: (0, 0, 3),
        OTHER_STORE: (0, 0, 0),
    }
    await assert_books_balance(inventory, database_url, shipment.sku)


@pytest.mark.parametrize("extra", ["more", "another sku"])
async def test_receiving_more_than_shipped_is_refused_and_changes_nothing(
    inventory: Stub, database_url: str, extra: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())
    too_many = (
        [transfer_line(shipment.sku, 4)]
        if extra == "more"
        else [transfer_line(shipment.sku, 3), transfer_line("OTHER-1", 1)]
    )

    error = await refused(inventory.ReceiveTransfer(shipment.receive(*too_many)))

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RECEIVED_MORE_THAN_SHIPPED",
    )
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 3)
    assert held(await reservation(inventory, shipment.reservation_id)) == []
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_transfer_received_twice_differently_is_already_received(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())
    await inventory.ReceiveTransfer(shipment.receive())

    error = await refused(
        inventory.ReceiveTransfer(shipment.receive(transfer_line(shipment.sku, 2)))
    )

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "ALREADY_RECEIVED")
    assert (await levels(inventory, shipment.sku))[STORE] == (3, 3, 0)
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_unshipped_transfer_cannot_be_received(inventory: Stub) -> None:
    shipment = await planned(inventory)

    error = await refused(inventory.ReceiveTransfer(shipment.receive()))

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "TRANSFER_NOT_SHIPPED",
    )
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 3)


async def test_short_receipt_lands_what_arrived_and_the_ledger_shows_the_rest(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())

    received = await inventory.ReceiveTransfer(shipment.receive(transfer_line(shipment.sku, 2)))

    assert list(received.transfer.received_lines) == [transfer_line(shipment.sku, 2)]
    assert (await levels(inventory, shipment.sku))[STORE] == (2, 2, 0)
    assert held(await reservation(inventory, shipment.reservation_id)) == [(STORE, shipment.sku, 2)]
    receipt = (await movements(inventory, shipment.sku, STORE))[-1]
    assert (receipt.on_hand_delta, receipt.reason) == (2, f"2 of 3 received from {DC}")
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_cancelled_transfer_gives_in_transit_back_and_the_units_stay_reserved(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)

    cancelled = (
        await inventory.CancelTransfer(pb.CancelTransferRequest(transfer_id=shipment.transfer_id))
    ).transfer
    again = (
        await inventory.CancelTransfer(pb.CancelTransferRequest(transfer_id=shipment.transfer_id))
    ).transfer
    error = await refused(inventory.ShipTransfer(shipment.ship()))

    assert cancelled.state == pb.TRANSFER_STATE_CANCELLED
    assert again == cancelled
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "TRANSFER_NOT_SHIPPABLE",
    )
    assert await levels(inventory, shipment.sku) == {
        DC: (10, 3, 0),
        STORE: (0, 0, 0),
        OTHER_STORE: (0, 0, 0),
    }
    assert held(await reservation(inventory, shipment.reservation_id)) == [(DC, shipment.sku, 3)]
    retry = pb.CreateTransferRequest()
    retry.CopyFrom(shipment.create)
    retry.transfer_id = shipment.transfer_id.replace("-1", "-2")
    assert (await inventory.CreateTransfer(retry)).transfer.state == pb.TRANSFER_STATE_CREATED
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_shipped_transfer_cannot_be_cancelled(inventory: Stub) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())

    error = await refused(
        inventory.CancelTransfer(pb.CancelTransferRequest(transfer_id=shipment.transfer_id))
    )

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "TRANSFER_NOT_CANCELLABLE",
    )
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 3)


async def test_release_cancels_transfers_not_shipped_yet(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)

    released = await inventory.Release(
        pb.ReleaseRequest(reservation_id=shipment.reservation_id, reason="order cancelled")
    )

    assert released.reservation.state == pb.RESERVATION_STATE_RELEASED
    got = await inventory.GetTransfer(pb.GetTransferRequest(transfer_id=shipment.transfer_id))
    assert got.transfer.state == pb.TRANSFER_STATE_CANCELLED
    assert await levels(inventory, shipment.sku) == {
        DC: (10, 0, 0),
        STORE: (0, 0, 0),
        OTHER_STORE: (0, 0, 0),
    }
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_units_of_an_order_cancelled_in_transit_land_unreserved(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())
    await inventory.Release(pb.ReleaseRequest(reservation_id=shipment.reservation_id))

    received = await inventory.ReceiveTransfer(shipment.receive())

    assert received.transfer.state == pb.TRANSFER_STATE_RECEIVED
    level = await stock(inventory, shipment.sku, STORE)
    assert (level.on_hand, level.reserved, level.in_transit, level.available_to_promise) == (
        3,
        0,
        0,
        3,
    )
    assert held(await reservation(inventory, shipment.reservation_id)) == []
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_release_after_receipt_gives_back_the_units_at_the_store(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())
    await inventory.ReceiveTransfer(shipment.receive())

    await inventory.Release(pb.ReleaseRequest(reservation_id=shipment.reservation_id))

    assert await levels(inventory, shipment.sku) == {
        DC: (7, 0, 0),
        STORE: (3, 0, 0),
        OTHER_STORE: (0, 0, 0),
    }
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_concurrent_receipts_land_the_units_once(inventory: Stub, database_url: str) -> None:
    shipment = await planned(inventory)
    await inventory.ShipTransfer(shipment.ship())

    answers = await asyncio.gather(
        *(inventory.ReceiveTransfer(shipment.receive()) for _ in range(8))
    )

    assert all(answer == answers[0] for answer in answers)
    assert (await levels(inventory, shipment.sku))[STORE] == (3, 3, 0)
    assert held(await reservation(inventory, shipment.reservation_id)) == [(STORE, shipment.sku, 3)]
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_bad_transfer_requests_name_each_field(inventory: Stub) -> None:
    create = pb.CreateTransferRequest(
        transfer_id="t",
        reservation_id=new_id("res"),
        source_id=STORE,
        destination_id=STORE,
        lines=[transfer_line("MUG-1", 0)],
    )
    receive = pb.ReceiveTransferRequest(
        transfer_id=f"transfer-{new_order_id()}-1",
        location_id="SHOP-1",
        lines=[transfer_line("bad sku", 1)],
    )

    bad_create = await refused(inventory.CreateTransfer(create))
    bad_receive = await refused(inventory.ReceiveTransfer(receive))
    bad_ship = await refused(inventory.ShipTransfer(pb.ShipTransferRequest(transfer_id="?")))
    unknown = await refused(
        inventory.CancelTransfer(pb.CancelTransferRequest(transfer_id=new_id("transfer")))
    )

    assert bad_create.code == grpc.StatusCode.INVALID_ARGUMENT
    assert fields_of(bad_create) == ["transfer_id", "destination_id", "lines[0].quantity"]
    assert fields_of(bad_receive) == ["location_id", "lines[0].sku"]
    assert fields_of(bad_ship) == ["transfer_id"]
    assert (unknown.code, unknown.reason) == (grpc.StatusCode.NOT_FOUND, "TRANSFER_NOT_FOUND")


async def test_concurrent_repeats_of_a_transfer_create_it_once(
    inventory: Stub, database_url: str
) -> None:
    shipment = await planned(inventory, create=False)

    answers = await asyncio.gather(*(inventory.CreateTransfer(shipment.create) for _ in range(8)))

    assert all(answer == answers[0] for answer in answers)
    assert (await levels(inventory, shipment.sku))[STORE] == (0, 0, 3)
    await assert_books_balance(inventory, database_url, shipment.sku)


async def test_release_racing_the_shipment_ends_one_consistent_way(
    inventory: Stub, database_url: str
) -> None:
    shipments = [await planned(inventory) for _ in range(4)]

    await asyncio.gather(
        *(inventory.ShipTransfer(s.ship()) for s in shipments),
        *(inventory.Release(pb.ReleaseRequest(reservation_id=s.reservation_id)) for s in shipments),
        return_exceptions=True,
    )

    for shipment in shipments:
        got = await inventory.GetTransfer(pb.GetTransferRequest(transfer_id=shipment.transfer_id))
        shipped = got.transfer.state == pb.TRANSFER_STATE_SHIPPED
        assert got.transfer.state in (pb.TRANSFER_STATE_SHIPPED, pb.TRANSFER_STATE_CANCELLED)
        assert await levels(inventory, shipment.sku) == {
            DC: (7, 0, 0) if shipped else (10, 0, 0),
            STORE: (0, 0, 3 if shipped else 0),
            OTHER_STORE: (0, 0, 0),
        }
        await assert_books_balance(inventory, database_url, shipment.sku)
