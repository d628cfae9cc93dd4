"""The gateway's rules: baskets, requests, and who may see or touch an order."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument, PermissionDenied, Violations
from services.gateway.domain import (
    MAX_UNITS,
    QUEUE_STATES,
    BasketLine,
    CountedLine,
    PlaceOrderCommand,
    Principal,
    Role,
    check_basket,
    check_counted,
    check_order_id,
    check_place_order,
    ensure_customer_may_see,
    ensure_store_may_act,
)


def a_command(**overrides: object) -> PlaceOrderCommand:
    fields: dict[str, object] = {
        "request_id": "checkout-0001",
        "pickup_store_id": "STORE-001",
        "lines": [BasketLine("TSHIRT-WHT-M", 2)],
        "channel": "WEB",
        "customer_email": "ada@example.com",
        "payment_method": "pm_card_visa",
    }
    fields.update(overrides)
    return PlaceOrderCommand(**fields)  # type: ignore[arg-type]


def fields_refused(command: PlaceOrderCommand) -> list[str]:
    with pytest.raises(InvalidArgument) as refused:
        check_place_order(command)
    return [v.field for v in refused.value.violations]


def test_a_valid_order_passes_and_repeated_skus_are_merged_in_order() -> None:
    basket = check_place_order(
        a_command(
            lines=[
                BasketLine("MUG-CERAMIC", 1),
                BasketLine("SOCKS-5PK", 2),
                BasketLine("MUG-CERAMIC", 3),
            ]
        )
    )
    assert basket == [BasketLine("MUG-CERAMIC", 4), BasketLine("SOCKS-5PK", 2)]


def test_every_bad_field_is_named_at_once() -> None:
    bad = a_command(
        request_id="x",
        pickup_store_id="store one",
        channel="STORE",
        customer_email="not-an-email",
        payment_method=" ",
        lines=[BasketLine("ok-sku", 1), BasketLine("MUG-CERAMIC", 0)],
    )
    assert fields_refused(bad) == [
        "request_id",
        "pickup_store_id",
        "channel",
        "customer_email",
        "payment_method",
        "lines[0].sku",
        "lines[1].quantity",
    ]


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_line_quantities_outside_one_to_ninety_nine_are_refused(quantity: int) -> None:
    assert fields_refused(a_command(lines=[BasketLine("MUG-CERAMIC", quantity)])) == [
        "lines[0].quantity"
    ]


def test_empty_and_oversized_baskets_are_refused() -> None:
    assert fields_refused(a_command(lines=[])) == ["lines"]
    errors = Violations()
    check_basket([BasketLine(f"SKU-{n}", 1) for n in range(51)], errors)
    assert [v.field for v in errors.items] == ["lines"]


def test_order_ids_must_look_like_order_ids() -> None:
    check_order_id("ORD-7D5F5EPNSH")
    for bad in ("", "ORD-1", "ord-7d5f5epnsh", "ORD-7D5F5EPNSH\n", "12; DROP TABLE"):
        with pytest.raises(InvalidArgument):
            check_order_id(bad)


def test_customers_see_only_their_own_orders_and_operations_see_all() -> None:
    ensure_customer_may_see(Principal(Role.CUSTOMER, "cust-1"), "cust-1")
    ensure_customer_may_see(Principal(Role.OPS, "alice"), "cust-1")
    with pytest.raises(PermissionDenied) as denied:
        ensure_customer_may_see(Principal(Role.CUSTOMER, "cust-2"), "cust-1")
    assert denied.value.reason == "ORDER_OF_ANOTHER_CUSTOMER"


def test_a_terminal_acts_only_on_its_own_store() -> None:
    ensure_store_may_act(Principal(Role.STORE, "t-1", "STORE-001"), "STORE-001")
    ensure_store_may_act(Principal(Role.OPS, "alice"), "STORE-002")
    with pytest.raises(PermissionDenied) as denied:
        ensure_store_may_act(Principal(Role.STORE, "t-1", "STORE-001"), "STORE-002")
    assert denied.value.metadata == {
        "terminal_store_id": "STORE-001",
        "order_store_id": "STORE-002",
    }


def test_the_overdue_queue_is_the_to_pick_queue_filtered_on_the_flag() -> None:
    assert QUEUE_STATES["OVERDUE"] == (["AWAITING_PICK"], True)
    assert QUEUE_STATES["TO_PICK"] == (["AWAITING_PICK"], False)


def test_units_counted_twice_are_merged_per_sku_and_reason() -> None:
    errors = Violations()
    counted = [
        CountedLine("MUG-CERAMIC", 2, "DAMAGED"),
        CountedLine("SOCKS-5PK", 1, "DAMAGED"),
        CountedLine("MUG-CERAMIC", 2, "DAMAGED"),
        CountedLine("MUG-CERAMIC", 1, "NOT_FOUND"),
    ]
    merged = check_counted(counted, "missing", errors)
    assert merged == [
        CountedLine("MUG-CERAMIC", 4, "DAMAGED"),
        CountedLine("SOCKS-5PK", 1, "DAMAGED"),
        CountedLine("MUG-CERAMIC", 1, "NOT_FOUND"),
    ]
    assert errors.items == []


def test_counted_units_beyond_any_order_or_too_many_entries_are_refused() -> None:
    errors = Violations()
    counted = [CountedLine("MUG-CERAMIC", MAX_UNITS + 1), CountedLine("x", 0)]
    check_counted(counted * 30, "items", errors)
    fields = {v.field for v in errors.items}
    assert {"items", "items[0].quantity", "items[1].sku", "items[1].quantity"} <= fields
