"""Returns received and till sales: the movements they make, what a till may sell, request
validation."""

from __future__ import annotations

import pytest

from services.common.errors import DomainError, InvalidArgument
from services.inventory.shelf.domain import (
    Disposition,
    ReturnCommand,
    ReturnedItem,
    SaleCommand,
    SaleItem,
    item_movements,
    return_changes,
    sale_changes,
    sellable,
)
from services.inventory.shelf.validation import validate_return, validate_sale
from services.inventory.stock.domain import MovementKind, StockLevel

STORE = "STORE-001"
RESTOCK, WRITE_OFF = Disposition.RESTOCK, Disposition.WRITE_OFF


def violated_fields(error: DomainError) -> list[str]:
    return [violation.field for violation in error.violations]


def a_return(*items: ReturnedItem, request_id: str = "return-RET-0000000001") -> ReturnCommand:
    return ReturnCommand(request_id, STORE, "RET-0000000001", items)


def a_sale(*items: SaleItem) -> SaleCommand:
    return SaleCommand("sale-ORD-0000000001", STORE, "ORD-0000000001", items)


def test_restocked_item_goes_back_on_the_shelf() -> None:
    assert item_movements(RESTOCK, 3) == [(MovementKind.RETURN, 3)]


def test_damaged_item_is_recorded_as_arrived_and_then_written_off() -> None:
    assert item_movements(WRITE_OFF, 2) == [(MovementKind.RETURN, 2), (MovementKind.WRITE_OFF, -2)]


def test_return_writes_one_arrival_per_sku_and_one_write_off_for_its_damaged_units() -> None:
    command = a_return(
        ReturnedItem("MUG-1", 2, RESTOCK),
        ReturnedItem("BOWL-1", 1, WRITE_OFF),
        ReturnedItem("MUG-1", 1, WRITE_OFF),
    )

    changes = return_changes(command)

    assert [(c.sku, c.kind, c.on_hand_delta) for c in changes] == [
        ("BOWL-1", MovementKind.RETURN, 1),
        ("BOWL-1", MovementKind.WRITE_OFF, -1),
        ("MUG-1", MovementKind.RETURN, 3),
        ("MUG-1", MovementKind.WRITE_OFF, -1),
    ]
    assert {(c.location_id, c.reference, c.reason, c.reserved_delta) for c in changes} == {
        (STORE, "return-RET-0000000001", "return RET-0000000001", 0)
    }


def test_sale_takes_each_sku_off_the_shelf_once() -> None:
    changes = sale_changes(
        a_sale(SaleItem("MUG-1", 2), SaleItem("BOWL-1", 1), SaleItem("MUG-1", 1))
    )

    assert [(c.sku, c.kind, c.on_hand_delta, c.reason) for c in changes] == [
        ("BOWL-1", MovementKind.SALE, -1, "sale ORD-0000000001"),
        ("MUG-1", MovementKind.SALE, -3, "sale ORD-0000000001"),
    ]


@pytest.mark.parametrize(
    ("on_hand", "reserved", "safety", "expected"),
    [(10, 3, 0, 7), (10, 3, 5, 7), (4, 4, 0, 0), (0, 0, 0, 0)],
)
def test_a_till_sells_what_no_reservation_holds_safety_stock_included(
    on_hand: int, reserved: int, safety: int, expected: int
) -> None:
    assert sellable(StockLevel(STORE, "MUG-1", on_hand, reserved, safety)) == expected


def test_return_request_names_every_bad_field() -> None:
    command = ReturnCommand(
        "x",
        "SHOP",
        "",
        (ReturnedItem("MUG-1", 1, RESTOCK), ReturnedItem("mug", 0, None)),
    )

    with pytest.raises(InvalidArgument) as raised:
        validate_return(command)

    assert violated_fields(raised.value) == [
        "request_id",
        "location_id",
        "reference",
        "items[1].sku",
        "items[1].quantity",
        "items[1].disposition",
    ]


def test_return_needs_at_least_one_item() -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_return(a_return())

    assert violated_fields(raised.value) == ["items"]


def test_returned_items_are_merged_by_sku_and_disposition_and_sorted() -> None:
    command = a_return(
        ReturnedItem("MUG-1", 1, RESTOCK),
        ReturnedItem("BOWL-1", 2, WRITE_OFF),
        ReturnedItem("MUG-1", 2, RESTOCK),
        ReturnedItem("MUG-1", 1, WRITE_OFF),
    )

    assert validate_return(command).items == (
        ReturnedItem("BOWL-1", 2, WRITE_OFF),
        ReturnedItem("MUG-1", 3, RESTOCK),
        ReturnedItem("MUG-1", 1, WRITE_OFF),
    )


def test_sale_request_names_every_bad_field_and_merges_items() -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_sale(SaleCommand("sale-0001", STORE, "ORD-0000000001", (SaleItem("MUG-1", -1),)))
    valid = a_sale(SaleItem("MUG-1", 1), SaleItem("BOWL-1", 1), SaleItem("MUG-1", 2))

    assert violated_fields(raised.value) == ["items[0].quantity"]
    assert validate_sale(valid).items == (SaleItem("BOWL-1", 1), SaleItem("MUG-1", 3))
