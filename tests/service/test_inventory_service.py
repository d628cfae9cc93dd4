"""InventoryService over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.inventory.v1 import inventory_pb2 as pb
from tests.support.inventory import (
    STORE,
    a_product,
    assert_ledger_matches_stock,
    fields_of,
    line,
    movements,
    new_id,
    new_order_id,
    new_sku,
    receive,
    refused,
    reserve_request,
    stock,
    stocked_sku,
)

if TYPE_CHECKING:
    from tests.support.inventory import Stub

OTHER_STORE = "STORE-002"


async def test_products_are_upserted_and_read_back_in_the_order_asked(inventory: Stub) -> None:
    mug = await a_product(inventory, "MUG-1")
    card = await a_product(inventory, "CARD-25", name="Gift card", final_sale=True)
    renamed = await a_product(inventory, "MUG-1", name="Big mug")

    got = await inventory.BatchGetProducts(pb.BatchGetProductsRequest(skus=["MUG-1", "CARD-25"]))

    assert mug.name == "Ceramic mug"
    assert list(got.products) == [renamed, card]
    assert got.products[0].price == Money(amount_minor=899, currency_code="EUR")
    assert got.products[1].final_sale


async def test_batch_get_names_every_unknown_sku(inventory: Stub) -> None:
    await a_product(inventory, "MUG-1")

    error = await refused(
        inventory.BatchGetProducts(pb.BatchGetProductsRequest(skus=["NOPE-1", "MUG-1", "NOPE-2"]))
    )

    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "SKU_NOT_FOUND")
    assert error.metadata == {"skus": "NOPE-1,NOPE-2"}


async def test_bad_product_is_refused_and_not_stored(inventory: Stub) -> None:
    bad = pb.Product(sku="mug", name="", price=Money(amount_minor=-1, currency_code="eu"))

    error = await refused(inventory.UpsertProduct(pb.UpsertProductRequest(product=bad)))

    assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST")
    assert fields_of(error) == [
        "product.sku",
        "product.name",
        "product.price.amount_minor",
        "product.price.currency_code",
    ]
    assert not (await inventory.ListProducts(pb.ListProductsRequest())).products


async def test_products_are_listed_by_sku_page_by_page(inventory: Stub) -> None:
    for sku in ["C-1", "A-1", "B-1"]:
        await a_product(inventory, sku)

    first = await inventory.ListProducts(pb.ListProductsRequest(page_size=2))
    second = await inventory.ListProducts(
        pb.ListProductsRequest(page_size=2, page_token=first.next_page_token)
    )

    assert [p.sku for p in first.products] == ["A-1", "B-1"]
    assert [p.sku for p in second.products] == ["C-1"]
    assert second.next_page_token == ""


async def test_stock_that_was_never_received_reads_as_zero(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)

    got = await inventory.GetStock(
        pb.GetStockRequest(location_ids=[STORE, OTHER_STORE], skus=[sku, "UNKNOWN-1"])
    )

    assert [(x.location_id, x.sku, x.on_hand, x.available_to_promise) for x in got.levels] == [
        (STORE, sku, 5, 5),
        (STORE, "UNKNOWN-1", 0, 0),
        (OTHER_STORE, sku, 0, 0),
        (OTHER_STORE, "UNKNOWN-1", 0, 0),
    ]


async def test_receipt_adds_to_on_hand_and_safety_stock_holds_some_back(inventory: Stub) -> None:
    sku = (await a_product(inventory)).sku

    level = await receive(inventory, sku, 10, safety_stock=2)

    assert (level.on_hand, level.safety_stock, level.available_to_promise) == (10, 2, 8)
    [movement] = await movements(inventory, sku)
    assert (movement.kind, movement.on_hand_delta, movement.reason) == (
        pb.MOVEMENT_KIND_RECEIPT,
        10,
        "delivery",
    )


async def test_repeated_adjustment_is_applied_once(inventory: Stub) -> None:
    sku = (await a_product(inventory)).sku
    request = pb.AdjustStockRequest(
        request_id=new_id(), location_id=STORE, sku=sku, on_hand_delta=7
    )

    first = await inventory.AdjustStock(request)
    again = await inventory.AdjustStock(request)

    assert first == again
    assert first.level.on_hand == 7
    assert [m.kind for m in await movements(inventory, sku)] == [pb.MOVEMENT_KIND_ADJUSTMENT]


async def test_correction_cannot_take_on_hand_below_reserved(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    await inventory.Reserve(reserve_request(line(sku, 4)))
    shrink = pb.AdjustStockRequest(
        request_id=new_id(), location_id=STORE, sku=sku, on_hand_delta=-2
    )

    error = await refused(inventory.AdjustStock(shrink))

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "INSUFFICIENT_STOCK")
    assert error.metadata["reserved"] == "4"
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved) == (5, 4)
    await assert_ledger_matches_stock(inventory, sku)


async def test_adjusting_an_unknown_sku_is_not_found(inventory: Stub) -> None:
    request = pb.AdjustStockRequest(
        request_id=new_id(), location_id=STORE, sku=new_sku(), on_hand_delta=1
    )

    error = await refused(inventory.AdjustStock(request))

    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "SKU_NOT_FOUND")


async def test_bad_adjustment_names_its_fields(inventory: Stub) -> None:
    request = pb.AdjustStockRequest(
        request_id="x", location_id="SHOP", sku="MUG-1", kind=pb.MOVEMENT_KIND_COMMIT
    )

    error = await refused(inventory.AdjustStock(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert fields_of(error) == ["request_id", "location_id", "on_hand_delta", "kind"]


async def test_reservation_holds_stock_and_writes_the_ledger(inventory: Stub) -> None:
    mug = await stocked_sku(inventory, 10)
    bowl = await stocked_sku(inventory, 3, OTHER_STORE)
    request = reserve_request(line(mug, 2), line(bowl, 3, OTHER_STORE), line(mug, 1))

    reservation = (await inventory.Reserve(request)).reservation

    assert reservation.state == pb.RESERVATION_STATE_ACTIVE
    assert [(x.location_id, x.sku, x.quantity) for x in reservation.lines] == [
        (STORE, mug, 3),
        (OTHER_STORE, bowl, 3),
    ]
    level = await stock(inventory, mug)
    assert (level.on_hand, level.reserved, level.available_to_promise) == (10, 3, 7)
    assert (await stock(inventory, bowl, OTHER_STORE)).available_to_promise == 0
    got = await inventory.GetReservation(
        pb.GetReservationRequest(reservation_id=request.reservation_id)
    )
    assert got.reservation == reservation
    await assert_ledger_matches_stock(inventory, mug)


async def test_reservation_is_all_or_nothing(inventory: Stub) -> None:
    plenty = await stocked_sku(inventory, 10)
    scarce = await stocked_sku(inventory, 1)
    request = reserve_request(line(plenty, 4), line(scarce, 2))

    error = await refused(inventory.Reserve(request))

    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "OUT_OF_STOCK")
    assert error.metadata == {
        "location_id": STORE,
        "sku": scarce,
        "requested": "2",
        "available": "1",
    }
    assert (await stock(inventory, plenty)).reserved == 0
    assert [m.kind for m in await movements(inventory, plenty)] == [pb.MOVEMENT_KIND_RECEIPT]
    missing = await refused(
        inventory.GetReservation(pb.GetReservationRequest(reservation_id=request.reservation_id))
    )
    assert missing.code == grpc.StatusCode.NOT_FOUND


async def test_safety_stock_is_never_reserved(inventory: Stub) -> None:
    sku = (await a_product(inventory)).sku
    await receive(inventory, sku, 5, safety_stock=2)

    error = await refused(inventory.Reserve(reserve_request(line(sku, 4))))

    assert error.reason == "OUT_OF_STOCK"
    assert error.metadata["available"] == "3"


async def test_reserving_stock_that_was_never_received_is_out_of_stock(inventory: Stub) -> None:
    sku = (await a_product(inventory)).sku

    error = await refused(inventory.Reserve(reserve_request(line(sku, 1))))

    assert (error.reason, error.metadata["available"]) == ("OUT_OF_STOCK", "0")


async def test_reserving_an_unknown_sku_is_not_found(inventory: Stub) -> None:
    known = await stocked_sku(inventory, 5)
    unknown = new_sku()

    error = await refused(inventory.Reserve(reserve_request(line(known, 1), line(unknown, 1))))

    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "SKU_NOT_FOUND")
    assert error.metadata == {"skus": unknown}
    assert (await stock(inventory, known)).reserved == 0


async def test_bad_reservation_is_refused_naming_each_field(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = pb.ReserveRequest(
        reservation_id="r1",
        order_id=new_order_id(),
        lines=[line(sku, 1), line(sku, 0), line("bad sku", 1, "SHOP-9")],
    )

    error = await refused(inventory.Reserve(request))

    assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST")
    assert fields_of(error) == [
        "reservation_id",
        "lines[1].quantity",
        "lines[2].location_id",
        "lines[2].sku",
    ]
    assert (await stock(inventory, sku)).reserved == 0


async def test_repeated_reserve_returns_the_first_reservation(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = reserve_request(line(sku, 2))

    first = await inventory.Reserve(request)
    again = await inventory.Reserve(request)

    assert again == first
    assert (await stock(inventory, sku)).reserved == 2
    await assert_ledger_matches_stock(inventory, sku)


async def test_reservation_id_cannot_be_reused_for_another_order(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    first = reserve_request(line(sku, 1))
    await inventory.Reserve(first)
    other = reserve_request(line(sku, 1), reservation_id=first.reservation_id)

    error = await refused(inventory.Reserve(other))

    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "RESERVATION_ID_IN_USE")
    assert (await stock(inventory, sku)).reserved == 1


async def test_release_gives_stock_back_once(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = reserve_request(line(sku, 3))
    await inventory.Reserve(request)
    release = pb.ReleaseRequest(reservation_id=request.reservation_id, reason="customer cancelled")

    first = (await inventory.Release(release)).reservation
    again = (await inventory.Release(release)).reservation

    assert first.state == pb.RESERVATION_STATE_RELEASED
    assert again == first
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved, level.available_to_promise) == (5, 0, 5)
    ledger = await movements(inventory, sku)
    assert [(m.kind, m.reserved_delta) for m in ledger[1:]] == [
        (pb.MOVEMENT_KIND_RESERVE, 3),
        (pb.MOVEMENT_KIND_RELEASE, -3),
    ]
    assert ledger[-1].reason == "customer cancelled"
    await assert_ledger_matches_stock(inventory, sku)


async def test_commit_takes_stock_out_of_the_building_once(inventory: Stub) -> None:
    sku = await stocked_sku(inventory, 5)
    request = reserve_request(line(sku, 2))
    await inventory.Reserve(request)
    commit = pb.CommitRequest(reservation_id=request.reservation_id)

    first = (await inventory.Commit(commit)).reservation
    again = (await inventory.Commit(commit)).reservation

    assert first.state == pb.RESERVATION_STATE_COMMITTED
    assert again == first
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved, level.available_to_promise) == (3, 0, 3)
    await assert_ledger_matches_stock(inventory, sku)


async def test_committed_reservation_cannot_be_released_nor_released_committed(
    inventory: Stub,
) -> None:
    sku = await stocked_sku(inventory, 5)
    committed, released = reserve_request(line(sku, 1)), reserve_request(line(sku, 1))
    await inventory.Reserve(committed)
    await inventory.Reserve(released)
    await inventory.Commit(pb.CommitRequest(reservation_id=committed.reservation_id))
    await inventory.Release(pb.ReleaseRequest(reservation_id=released.reservation_id))

    release_error = await refused(
        inventory.Release(pb.ReleaseRequest(reservation_id=committed.reservation_id))
    )
    commit_error = await refused(
        inventory.Commit(pb.CommitRequest(reservation_id=released.reservation_id))
    )

    for error in (release_error, commit_error):
        assert (error.code, error.reason) == (
            grpc.StatusCode.FAILED_PRECONDITION,
            "RESERVATION_NOT_ACTIVE",
        )
    level = await stock(inventory, sku)
    assert (level.on_hand, level.reserved) == (4, 0)
    await assert_ledger_matches_stock(inventory, sku)


async def test_unknown_or_malformed_reservation_ids(inventory: Stub) -> None:
    unknown = new_id("res")

    for call in (
        inventory.Release(pb.ReleaseRequest(reservation_id=unknown)),
        inventory.Commit(pb.CommitRequest(reservation_id=unknown)),
        inventory.GetReservation(pb.GetReservationRequest(reservation_id=unknown)),
    ):
        error = await refused(call)
        assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "RESERVATION_NOT_FOUND")
        assert error.metadata == {"reservation_id": unknown}
    malformed = await refused(inventory.Release(pb.ReleaseRequest(reservation_id="?")))
    assert (malformed.code, fields_of(malformed)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["reservation_id"],
    )


async def test_movements_are_listed_oldest_first_page_by_page(inventory: Stub) -> None:
    sku = (await a_product(inventory)).sku
    for quantity in (1, 2, 3):
        await receive(inventory, sku, quantity)

    first = await inventory.ListMovements(
        pb.ListMovementsRequest(location_id=STORE, sku=sku, page_size=2)
    )
    second = await inventory.ListMovements(
        pb.ListMovementsRequest(
            location_id=STORE, sku=sku, page_size=2, page_token=first.next_page_token
        )
    )

    assert [m.on_hand_delta for m in [*first.movements, *second.movements]] == [1, 2, 3]
    assert second.next_page_token == ""
    bad = await refused(inventory.ListMovements(pb.ListMovementsRequest(page_token="nonsense")))
    assert fields_of(bad) == ["location_id", "sku"]
