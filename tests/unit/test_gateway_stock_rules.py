"""What a stock lookup or an availability question may ask, what a shopper may know of a shelf,
and the order other locations are listed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import InvalidArgument, Violations
from services.gateway.stock.rules import (
    IN_STOCK,
    LOW_STOCK,
    OUT_OF_STOCK,
    StockLookup,
    check_availability_skus,
    check_stock_lookup,
    lookup_page_size,
    soonest_first,
    stock_status,
)


@pytest.mark.parametrize(
    ("available", "threshold", "status"),
    [
        (0, 3, OUT_OF_STOCK),
        (-2, 3, OUT_OF_STOCK),
        (1, 3, LOW_STOCK),
        (3, 3, LOW_STOCK),
        (4, 3, IN_STOCK),
        (1, 0, IN_STOCK),
    ],
)
def test_a_shelf_is_out_low_or_in_stock_by_the_threshold(
    available: int, threshold: int, status: str
) -> None:
    assert stock_status(available, threshold) == status


def test_a_lookup_names_one_sku_or_search_text_and_one_quantity() -> None:
    assert check_stock_lookup("MUG-CERAMIC", "", 0) == StockLookup("MUG-CERAMIC", "", 1)
    assert check_stock_lookup("", "  desk lamp ", 99) == StockLookup("", "desk lamp", 99)


@pytest.mark.parametrize(
    ("sku", "query", "quantity", "fields"),
    [
        ("", "", 1, ["sku"]),
        ("MUG-CERAMIC", "mug", 1, ["query"]),
        ("mug ceramic", "", 1, ["sku"]),
        ("", "x" * 65, 1, ["query"]),
        ("", "two\nlines", 1, ["query"]),
        ("", "   ", 1, ["query"]),
        ("MUG-CERAMIC", "", 100, ["quantity"]),
        ("MUG-CERAMIC", "", -1, ["quantity"]),
    ],
)
def test_a_bad_lookup_names_its_fields(
    sku: str, query: str, quantity: int, fields: list[str]
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_stock_lookup(sku, query, quantity)
    assert sorted({v.field for v in refused.value.violations}) == fields


def test_a_lookup_page_holds_ten_products_unless_asked_and_never_more_than_twenty() -> None:
    assert [lookup_page_size(n) for n in (0, 1, 20, 21, 200)] == [10, 1, 20, 20, 20]


def test_availability_asks_about_a_few_distinct_skus() -> None:
    errors = Violations()
    assert check_availability_skus(["A-1", "B-1", "A-1"], errors) == ["A-1", "B-1"]
    assert not errors.items
    check_availability_skus([], errors)
    check_availability_skus(["ok-not", *[f"S-{n}" for n in range(21)]], errors)
    assert [v.field for v in errors.items] == ["skus", "skus", "skus[0]"]


def test_locations_that_ship_here_come_first_soonest_then_the_rest_by_most_stock() -> None:
    monday = datetime(2030, 1, 7, 12, tzinfo=UTC)
    rows = [
        (None, 50, "STORE-005"),
        (monday + timedelta(days=1), 3, "STORE-002"),
        (None, 80, "STORE-004"),
        (monday, 500, "DC-01"),
    ]
    ordered = sorted(rows, key=lambda row: soonest_first(*row))
    assert [row[2] for row in ordered] == ["DC-01", "STORE-002", "STORE-004", "STORE-005"]
