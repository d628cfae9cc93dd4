"""The gateway's rules: baskets, requests, and who may see or touch an order."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument, NotFound, PermissionDenied, Violations
from services.common.fields import EMAIL_RULE, PAYMENT_METHOD_RULE
from services.common.ids import REQUEST_ID_RULE
from services.gateway.domain import (
    MAX_BASKET_LINES,
    MAX_LINE_QUANTITY,
    MAX_UNITS,
    QUEUE_STATES,
    BasketLine,
    CountedLine,
    PlaceOrderCommand,
    Principal,
    Role,
    canceller,
    check_basket,
    check_counted,
    check_order_id,
    check_pickup_code,
    check_place_order,
    check_reason,
    ensure_customer_may_see,
    ensure_store_may_act,
    no_order,
    no_return,
    principal_problem,
    same_units,
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
    unknown = no_order("ORD-7D5F5EPNSH")
    ensure_customer_may_see(Principal(Role.CUSTOMER, "cust-1"), "cust-1", unknown)
    ensure_customer_may_see(Principal(Role.OPS, "alice"), "cust-1", unknown)
    with pytest.raises(NotFound) as hidden:
        ensure_customer_may_see(Principal(Role.CUSTOMER, "cust-2"), "cust-1", unknown)
    assert hidden.value is unknown


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


# -- Boundaries: each limit accepts its last value and refuses the next, with the rule's words.

SHORTEST_REQUEST_ID, LONGEST_REQUEST_ID = 8, 128  # REQUEST_ID_RULE
REQUEST_ID_PUNCTUATION = "_.:-"


def problems(command: PlaceOrderCommand) -> list[tuple[str, str]]:
    """(field, description) of each violation; [] when the command passes."""
    try:
        check_place_order(command)
    except InvalidArgument as refused:
        return [(v.field, v.description) for v in refused.violations]
    return []


@pytest.mark.parametrize(
    "request_id",
    [
        "a" * SHORTEST_REQUEST_ID,
        "a" * LONGEST_REQUEST_ID,
        f"Aa0{REQUEST_ID_PUNCTUATION}xyz",
    ],
    ids=["shortest", "longest", "every-character-class"],
)
def test_a_request_id_within_the_rule_is_accepted(request_id: str) -> None:
    assert problems(a_command(request_id=request_id)) == []


@pytest.mark.parametrize(
    "request_id",
    [
        "",
        "a" * (SHORTEST_REQUEST_ID - 1),
        "a" * (LONGEST_REQUEST_ID + 1),
        "checkout 0001",
        "checkout/0001",
        "checkout-0001\n",
        "chéckout-0001",
    ],
    ids=["empty", "one-too-short", "one-too-long", "space", "slash", "newline", "accent"],
)
def test_a_request_id_outside_the_rule_is_refused_with_the_rule(request_id: str) -> None:
    assert problems(a_command(request_id=request_id)) == [("request_id", REQUEST_ID_RULE)]


def test_each_refused_field_is_told_what_it_should_be() -> None:
    bad = a_command(
        pickup_store_id="store one",
        channel="app",
        customer_email="not-an-email",
        payment_method=" ",
        hold_id="hold-1",
    )
    assert problems(bad) == [
        ("pickup_store_id", "not a store id"),
        ("channel", "WEB or APP"),
        ("customer_email", EMAIL_RULE),
        ("payment_method", PAYMENT_METHOD_RULE),
        ("hold_id", "not a hold id"),
    ]


def test_an_order_from_the_app_with_a_hold_is_accepted() -> None:
    assert problems(a_command(channel="APP", hold_id="hold-" + "0" * 32)) == []


def test_a_line_of_ninety_nine_units_is_the_largest_a_basket_takes() -> None:
    assert problems(a_command(lines=[BasketLine("MUG-CERAMIC", MAX_LINE_QUANTITY)])) == []
    assert problems(a_command(lines=[BasketLine("MUG-CERAMIC", MAX_LINE_QUANTITY + 1)])) == [
        ("lines[0].quantity", "must be 1..99")
    ]
    assert problems(a_command(lines=[BasketLine("MUG-CERAMIC", 1)])) == []


def test_fifty_lines_is_the_largest_basket() -> None:
    errors = Violations()
    check_basket([BasketLine(f"SKU-{n}", 1) for n in range(MAX_BASKET_LINES)], errors)
    assert errors.items == []
    check_basket([BasketLine(f"SKU-{n}", 1) for n in range(MAX_BASKET_LINES + 1)], errors)
    assert [(v.field, v.description) for v in errors.items] == [("lines", "at most 50 lines")]


def test_an_empty_basket_and_an_unknown_sku_are_described() -> None:
    assert problems(a_command(lines=[])) == [("lines", "the basket is empty")]
    assert problems(a_command(lines=[BasketLine("ok-sku", 1)])) == [
        ("lines[0].sku", "'ok-sku' is not a sku")
    ]


def test_a_bad_order_id_names_its_field_and_format() -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_order_id("ORD-1")
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("order_id", "format ORD-XXXXXXXXXX")
    ]
    collected = Violations()
    check_order_id("ORD-1", collected)
    assert [v.field for v in collected.items] == ["order_id"]


@pytest.mark.parametrize("code", ["000000", "123456", "999999"])
def test_a_pickup_code_is_six_digits(code: str) -> None:
    errors = Violations()
    check_pickup_code(code, errors)
    assert errors.items == []


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", " 123456", "١٢٣٤٥٦"])
def test_anything_else_is_not_a_pickup_code(code: str) -> None:
    errors = Violations()
    check_pickup_code(code, errors)
    assert [(v.field, v.description) for v in errors.items] == [("pickup_code", "six digits")]


def test_a_terminal_counts_at_most_what_an_order_can_hold() -> None:
    errors = Violations()
    most = [CountedLine(f"SKU-{n}", MAX_UNITS) for n in range(MAX_BASKET_LINES)]
    check_counted(most, "collected", errors)
    assert errors.items == []

    check_counted([*most, CountedLine("MUG-CERAMIC", MAX_UNITS + 1)], "collected", errors)
    assert [(v.field, v.description) for v in errors.items] == [
        ("collected", "at most 50 entries"),
        ("collected[50].quantity", f"must be 1..{MAX_UNITS}"),
    ]


def test_zero_units_count_only_where_zero_is_allowed() -> None:
    allowed, refused = Violations(), Violations()
    check_counted([CountedLine("MUG-CERAMIC", 0)], "received", allowed, zero_allowed=True)
    check_counted([CountedLine("MUG-CERAMIC", 0), CountedLine("x", 1)], "picked", refused)
    assert allowed.items == []
    assert [(v.field, v.description) for v in refused.items] == [
        ("picked[0].quantity", f"must be 1..{MAX_UNITS}"),
        ("picked[1].sku", "not a sku"),
    ]
    negative = Violations()
    check_counted([CountedLine("MUG-CERAMIC", -1)], "received", negative, zero_allowed=True)
    assert [v.description for v in negative.items] == [f"must be 0..{MAX_UNITS}"]


def test_a_cancel_is_named_after_who_asked_for_it() -> None:
    assert canceller(Principal(Role.OPS, "alice")) == "operations"
    assert canceller(Principal(Role.CUSTOMER, "cust-1")) == "customer"
    assert canceller(Principal(Role.STORE, "t-1", "STORE-001")) == "store"


def test_another_customers_order_or_return_is_answered_as_one_that_does_not_exist() -> None:
    """The orders service's own answers for an unknown order and return, word for word."""
    order, ret = no_order("ORD-7D5F5EPNSH"), no_return("RET-7D5F5EPNSH")
    assert (order.reason, order.message, order.metadata) == (
        "ORDER_NOT_FOUND",
        "no order ORD-7D5F5EPNSH",
        {"order_id": "ORD-7D5F5EPNSH"},
    )
    assert (ret.reason, ret.message, ret.metadata) == (
        "RETURN_NOT_FOUND",
        "no return RET-7D5F5EPNSH",
        {"return_id": "RET-7D5F5EPNSH"},
    )


def test_a_refusal_to_act_for_another_store_says_whose_order_it_is() -> None:
    with pytest.raises(PermissionDenied) as other_store:
        ensure_store_may_act(Principal(Role.STORE, "t-1", "STORE-001"), "STORE-002")

    assert other_store.value.reason == "ORDER_OF_ANOTHER_STORE"
    assert other_store.value.message == (
        "this terminal belongs to STORE-001; the order is for STORE-002"
    )


@pytest.mark.parametrize(
    ("principal", "problem"),
    [
        (Principal(Role.CUSTOMER, "cust-1"), ""),
        (Principal(Role.OPS, "alice@example.com"), ""),
        (Principal(Role.STORE, "t-1", "DC-01"), ""),
        (
            Principal(Role.CUSTOMER, "c"),
            "the subject is not a customer id (3-64 characters of A-Z a-z 0-9 _ . -)",
        ),
        (
            Principal(Role.OPS, "ops alice"),
            "the subject is not a terminal or operator id (1-64 of A-Z a-z 0-9 _ . @ -)",
        ),
        (
            Principal(Role.STORE, "t-1", "store-1"),
            "a store token must name its store (store_id like STORE-001 or DC-01)",
        ),
    ],
)
def test_a_principal_that_cannot_act_is_told_why(principal: Principal, problem: str) -> None:
    assert principal_problem(principal) == problem


def test_a_hold_matches_a_basket_with_the_same_units_of_each_sku() -> None:
    held = [("MUG-CERAMIC", 2), ("SOCKS-5PK", 1)]
    assert same_units(held, [("SOCKS-5PK", 1), ("MUG-CERAMIC", 1), ("MUG-CERAMIC", 1)])
    assert not same_units(held, [("MUG-CERAMIC", 2)])
    assert not same_units(held, [("MUG-CERAMIC", 3), ("SOCKS-5PK", 1)])
    assert not same_units([("MUG-CERAMIC", 1), ("MUG-CERAMIC", 1)], [("MUG-CERAMIC", 1)])


def test_a_reason_is_kept_trimmed_and_refused_when_too_long_or_with_control_characters() -> None:
    errors = Violations()
    assert check_reason("  too small \n", "reason", errors, max_chars=13) == "too small"
    assert errors.items == []

    check_reason("x" * 14, "reason", errors, max_chars=13)
    check_reason("bell\a", "note", errors)
    assert [(v.field, v.description) for v in errors.items] == [
        ("reason", "at most 13 characters"),
        ("note", "must not contain control characters"),
    ]
