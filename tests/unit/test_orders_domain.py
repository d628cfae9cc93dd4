"""Order rules: the state machine, order validation and the order total."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import product
from typing import Any

import pytest

from services.common import ids
from services.common.errors import FailedPrecondition, InvalidArgument, Violations
from services.common.fields import EMAIL_RULE, RECEIPT_NUMBER_RULE
from services.common.order_states import FINAL_STATES, OrderState
from services.orders.orders.domain import (
    MAX_LINES,
    MAX_QUANTITY,
    MAX_TEXT,
    MAX_UNIT_PRICE_MINOR,
    Channel,
    FulfillmentType,
    Money,
    NewOrder,
    OrderLine,
    Transition,
    can_transition,
    check_pickup_code,
    check_transition,
    event_type_of,
    normalized,
    order_total,
    validate_event,
    validate_new_order,
    validate_transition,
)

S = OrderState


def refusal_of_transition(current: S, target: S) -> FailedPrecondition | None:
    try:
        check_transition(current, target)
    except FailedPrecondition as refused:
        return refused
    return None


LEGAL = {
    (S.PENDING, S.AWAITING_PICK),
    (S.PENDING, S.IN_TRANSIT),
    (S.PENDING, S.REJECTED),
    (S.PENDING, S.CANCELLED),
    (S.PENDING, S.PICKED_UP),  # a till sale: paid and handed over at once
    (S.PENDING, S.AWAITING_PAYMENT),  # ordered for the customer, paid later by a link
    (S.AWAITING_PAYMENT, S.AWAITING_PICK),
    (S.AWAITING_PAYMENT, S.IN_TRANSIT),
    (S.AWAITING_PAYMENT, S.CANCELLED),  # unpaid in time, or cancelled
    (S.IN_TRANSIT, S.AWAITING_PICK),
    (S.IN_TRANSIT, S.CANCELLED),
    (S.AWAITING_PICK, S.READY_FOR_PICKUP),
    (S.AWAITING_PICK, S.IN_TRANSIT),
    (S.AWAITING_PICK, S.CANCELLED),
    (S.READY_FOR_PICKUP, S.PICKED_UP),
    (S.READY_FOR_PICKUP, S.CANCELLED),
    (S.READY_FOR_PICKUP, S.EXPIRED),
}
ILLEGAL = sorted(set(product(S, S)) - LEGAL)


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_every_documented_transition_is_allowed(current: S, target: S) -> None:
    assert can_transition(current, target)
    assert refusal_of_transition(current, target) is None


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_other_transition_is_refused_naming_both_states(current: S, target: S) -> None:
    with pytest.raises(FailedPrecondition) as refused:
        check_transition(current, target)

    assert refused.value.reason == "ILLEGAL_TRANSITION"
    assert refused.value.metadata == {"from": current.value, "to": target.value}


def test_rejected_picked_up_cancelled_and_expired_are_final() -> None:
    assert {S.REJECTED, S.PICKED_UP, S.CANCELLED, S.EXPIRED} == FINAL_STATES
    for final, target in product(FINAL_STATES, S):
        assert not can_transition(final, target)


def test_an_order_in_any_open_state_can_be_cancelled() -> None:
    assert all(can_transition(state, S.CANCELLED) for state in set(S) - FINAL_STATES)


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def an_order(**fields: Any) -> NewOrder:
    order = NewOrder(
        order_id="ORD-0123456789",
        customer_id="cust-1",
        customer_email="ada@example.com",
        channel=Channel.WEB,
        pickup_store_id="STORE-001",
        fulfillment_type=FulfillmentType.PICKUP_IN_STORE,
        lines=(
            OrderLine(0, "SKU-1", "Kettle", 2, eur(1250)),
            OrderLine(0, "SKU-2", "Mug", 3, eur(499)),
        ),
    )
    return replace(order, **fields)


def problems(check: Callable[[], object]) -> list[tuple[str, str]]:
    """(field, description) of each violation ``check`` raises; [] when it passes."""
    try:
        check()
    except InvalidArgument as refused:
        assert refused.violations, "a refusal names at least one field"
        return [(v.field, v.description) for v in refused.violations]
    return []


def violations_of(order: NewOrder) -> set[str]:
    """The fields a new order is refused for; empty when it is accepted."""
    return {field for field, _ in problems(lambda: validate_new_order(order))}


def test_total_is_quantity_times_unit_price_over_all_lines() -> None:
    assert order_total(an_order().lines) == eur(2 * 1250 + 3 * 499)


def test_free_items_count_nothing_towards_the_total() -> None:
    lines = (OrderLine(1, "SKU-1", "", 1, eur(0)), OrderLine(2, "SKU-2", "", 4, eur(100)))
    assert order_total(lines) == eur(400)


def test_valid_order_passes_and_is_numbered_and_sourced_from_the_pickup_store() -> None:
    order = an_order()
    assert violations_of(order) == set()

    lines = normalized(order).lines

    assert [line.line_number for line in lines] == [1, 2]
    assert {line.source_location_id for line in lines} == {"STORE-001"}


def test_ship_to_store_lines_keep_their_own_source() -> None:
    order = an_order(fulfillment_type=FulfillmentType.SHIP_TO_STORE)
    assert {line.source_location_id for line in normalized(order).lines} == {""}


def test_order_needs_at_least_one_line() -> None:
    assert violations_of(an_order(lines=())) == {"order.lines"}


def test_quantity_must_be_positive_and_price_not_negative() -> None:
    lines = (
        OrderLine(0, "SKU-1", "", 0, eur(100)),
        OrderLine(0, "SKU-2", "", -1, eur(-5)),
    )
    assert violations_of(an_order(lines=lines)) == {
        "order.lines[0].quantity",
        "order.lines[1].quantity",
        "order.lines[1].unit_price.amount_minor",
    }


def test_absurd_quantities_and_prices_are_refused() -> None:
    lines = (OrderLine(0, "SKU-1", "", 10**6, eur(100)), OrderLine(0, "SKU-2", "", 1, eur(10**15)))
    assert violations_of(an_order(lines=lines)) == {
        "order.lines[0].quantity",
        "order.lines[1].unit_price.amount_minor",
    }


def test_one_currency_per_order() -> None:
    lines = (OrderLine(0, "SKU-1", "", 1, eur(100)), OrderLine(0, "SKU-2", "", 1, Money(1, "USD")))
    assert violations_of(an_order(lines=lines)) == {"order.lines[1].unit_price.currency_code"}


def test_store_sale_keeps_its_receipt_number_and_final_sale_lines() -> None:
    lines = (OrderLine(0, "SKU-1", "", 1, eur(100), final_sale=True),)
    order = an_order(channel=Channel.STORE, receipt_number="R-2030.0001_7", lines=lines)

    assert violations_of(order) == set()

    assert normalized(order).receipt_number == "R-2030.0001_7"
    assert normalized(order).lines[0].final_sale


@pytest.mark.parametrize("receipt", ["R 1", "R/1", "#1", "R" * 65])
def test_receipt_number_is_short_and_plain(receipt: str) -> None:
    assert violations_of(an_order(receipt_number=receipt)) == {"order.receipt_number"}


def test_ids_must_have_their_formats() -> None:
    bad = an_order(
        order_id="ORD-1",
        customer_id="x",
        pickup_store_id="DC-01",
        channel=None,
        fulfillment_type=None,
        lines=(OrderLine(0, "sku 1", "", 1, eur(1), "WAREHOUSE"),),
    )
    assert violations_of(bad) == {
        "order.order_id",
        "order.customer_id",
        "order.pickup_store_id",
        "order.channel",
        "order.fulfillment_type",
        "order.lines[0].sku",
        "order.lines[0].source_location_id",
    }


def test_lines_are_numbered_all_or_none_without_duplicates() -> None:
    mixed = (OrderLine(1, "SKU-1", "", 1, eur(1)), OrderLine(0, "SKU-2", "", 1, eur(1)))
    twice = (OrderLine(1, "SKU-1", "", 1, eur(1)), OrderLine(1, "SKU-2", "", 1, eur(1)))

    assert violations_of(an_order(lines=mixed)) == {"order.lines"}
    assert violations_of(an_order(lines=twice)) == {"order.lines[1].line_number"}


def test_transition_needs_a_target_state_and_a_snake_case_event() -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_transition(Transition(target=None, event="Order Accepted"))
    assert {v.field for v in refused.value.violations} == {"state", "event"}


def test_transition_without_event_name_is_named_after_its_state() -> None:
    assert event_type_of(Transition(S.PICKED_UP, "")) == "order_picked_up"
    assert event_type_of(Transition(S.PICKED_UP, "handed_over")) == "handed_over"


def test_an_order_is_only_ready_for_pickup_with_a_pickup_code() -> None:
    ready = Transition(S.READY_FOR_PICKUP, "")
    with pytest.raises(InvalidArgument) as refused:
        check_pickup_code(ready, current_code="")
    assert refused.value.reason == "PICKUP_CODE_REQUIRED"
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("pickup_code", "required to make an order ready for pickup")
    ]

    with_code = replace(ready, pickup_code="123456")
    assert problems(lambda: check_pickup_code(with_code, current_code="")) == []
    assert problems(lambda: check_pickup_code(ready, current_code="123456")) == []
    picked = Transition(S.PICKED_UP, "")
    assert problems(lambda: check_pickup_code(picked, current_code="")) == []


# -- Boundaries: each limit accepts its last value and refuses the next, with the rule's words.


def lines_of(*lines: OrderLine) -> NewOrder:
    return an_order(lines=lines)


def test_an_illegal_transition_names_both_states() -> None:
    refused = refusal_of_transition(S.PICKED_UP, S.CANCELLED)

    assert refused is not None and refused.reason == "ILLEGAL_TRANSITION"
    assert refused.message == "an order in PICKED_UP cannot move to CANCELLED"
    assert refused.metadata == {"from": "PICKED_UP", "to": "CANCELLED"}


def test_a_line_takes_one_to_a_hundred_thousand_units_at_up_to_a_billion_a_unit() -> None:
    most = OrderLine(0, "SKU-1", "x" * MAX_TEXT, MAX_QUANTITY, eur(MAX_UNIT_PRICE_MINOR))
    least = OrderLine(0, "SKU-2", "", 1, eur(0))
    assert violations_of(lines_of(most, least)) == set()

    beyond = OrderLine(0, "SKU-1", "x" * (MAX_TEXT + 1), MAX_QUANTITY + 1, eur(10**11 + 1))
    assert problems(lambda: validate_new_order(lines_of(beyond))) == [
        ("order.lines[0].name", "at most 500 characters"),
        ("order.lines[0].quantity", "1..100000"),
        ("order.lines[0].unit_price.amount_minor", "0..100000000000"),
    ]


def test_two_hundred_lines_is_the_largest_order() -> None:
    most = tuple(OrderLine(0, f"SKU-{n}", "", 1, eur(1)) for n in range(MAX_LINES))
    assert violations_of(lines_of(*most)) == set()

    too_many = (*most, OrderLine(0, "SKU-X", "", 1, eur(1)))
    assert problems(lambda: validate_new_order(lines_of(*too_many))) == [
        ("order.lines", "at most 200 lines")
    ]


def test_each_refused_field_of_an_order_is_told_what_it_should_be() -> None:
    bad = an_order(
        order_id="ORD-1",
        customer_id="x",
        customer_email="not-an-email",
        channel=None,
        pickup_store_id="DC-01",
        fulfillment_type=None,
        receipt_number="R 1",
        lines=(
            OrderLine(1, "sku 1", "", 1, Money(1, "eur"), "WAREHOUSE"),
            OrderLine(-1, "SKU-2", "", 1, eur(1)),
        ),
    )
    with pytest.raises(InvalidArgument) as refused:
        validate_new_order(bad)

    assert refused.value.reason == "INVALID_ORDER"
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("order.order_id", "must look like ORD-XXXXXXXXXX"),
        ("order.customer_id", "malformed"),
        ("order.customer_email", EMAIL_RULE),
        ("order.channel", "required"),
        ("order.pickup_store_id", "must be a store id like STORE-001"),
        ("order.fulfillment_type", "required"),
        ("order.receipt_number", RECEIPT_NUMBER_RULE),
        ("order.lines[0].sku", "malformed SKU"),
        ("order.lines[0].unit_price.currency_code", "must be an ISO 4217 code like EUR"),
        ("order.lines[0].source_location_id", "must be a location id like STORE-001 or DC-01"),
        ("order.lines[1].line_number", "must not be negative"),
        ("order.lines[1].unit_price.currency_code", "one currency per order (eur)"),
    ]


def test_lines_numbered_twice_or_in_two_currencies_are_told_so() -> None:
    lines = (
        OrderLine(2, "SKU-1", "", 1, eur(1)),
        OrderLine(2, "SKU-2", "", 1, Money(1, "USD")),
        OrderLine(0, "SKU-3", "", 1, eur(1)),
    )
    assert problems(lambda: validate_new_order(lines_of(*lines))) == [
        ("order.lines", "number every line or none"),
        ("order.lines[1].line_number", "duplicate number"),
        ("order.lines[1].unit_price.currency_code", "one currency per order (EUR)"),
    ]
    assert problems(lambda: validate_new_order(an_order(lines=()))) == [
        ("order.lines", "an order needs at least one line")
    ]


def test_an_order_with_numbered_lines_and_a_source_per_line_is_accepted() -> None:
    lines = (
        OrderLine(1, "SKU-1", "", 1, eur(1), "DC-01"),
        OrderLine(2, "SKU-2", "", 1, eur(1), "STORE-002"),
    )
    assert violations_of(an_order(lines=lines, customer_email="")) == set()


def test_the_total_of_one_line_is_in_its_currency_and_an_empty_order_has_none() -> None:
    assert order_total((OrderLine(1, "SKU-1", "", 3, Money(250, "USD")),)) == Money(750, "USD")
    with pytest.raises(ValueError, match=r"^an order has at least one line$"):
        order_total(())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (Transition(S.AWAITING_PICK, "abc", pickup_code="abcd"), []),
        (Transition(S.AWAITING_PICK, "a" * 64, pickup_code="A-" + "9" * 30), []),
        (Transition(S.AWAITING_PICK, "ab"), [("event", "snake_case, like order_accepted")]),
        (Transition(S.AWAITING_PICK, "a" * 65), [("event", "snake_case, like order_accepted")]),
        (
            Transition(S.AWAITING_PICK, "", pickup_code="abc"),
            [("pickup_code", "4-32 letters/digits")],
        ),
        (
            Transition(S.AWAITING_PICK, "", pickup_code="a" * 33),
            [("pickup_code", "4-32 letters/digits")],
        ),
        (Transition(None, ""), [("state", "required")]),
        (Transition(S.PICKED_UP, "", client_request_id="handover-0001"), []),
        (Transition(S.PICKED_UP, "", client_request_id="a" * 128), []),
        (
            Transition(S.PICKED_UP, "", client_request_id="hand over"),
            [("client_request_id", ids.REQUEST_ID_RULE)],
        ),
        (
            Transition(S.PICKED_UP, "", client_request_id="a" * 7),
            [("client_request_id", ids.REQUEST_ID_RULE)],
        ),
        (
            Transition(
                S.PICKED_UP, "", detail="d" * 501, state_reason="r" * 501, collected_by="c\x00"
            ),
            [
                ("detail", "at most 500 characters"),
                ("state_reason", "at most 500 characters"),
                ("collected_by", "must not contain control characters"),
            ],
        ),
    ],
    ids=[
        "shortest",
        "longest",
        "event-too-short",
        "event-too-long",
        "code-too-short",
        "code-too-long",
        "no-state",
        "client-request-id",
        "longest-client-request-id",
        "client-request-id-with-a-space",
        "client-request-id-too-short",
        "texts",
    ],
)
def test_a_transition_is_checked_field_by_field(
    change: Transition, expected: list[tuple[str, str]]
) -> None:
    assert problems(lambda: validate_transition(change)) == expected


def test_a_timeline_event_needs_a_snake_case_name_and_a_detail_that_fits() -> None:
    assert problems(lambda: validate_event("pick_overdue_flagged", "d" * 500)) == []
    assert problems(lambda: validate_event("Pick Overdue", "d" * 501)) == [
        ("event", "snake_case, like pick_overdue_flagged"),
        ("detail", "at most 500 characters"),
    ]
    collected = Violations()
    collected.add("order_id", "unknown")
    with pytest.raises(InvalidArgument) as refused:
        validate_event("ok_event", "", collected)
    assert [v.field for v in refused.value.violations] == ["order_id"]


def test_violations_found_earlier_are_raised_with_those_of_the_order_and_the_transition() -> None:
    for check in (
        lambda v: validate_new_order(an_order(order_id="ORD-1"), v),
        lambda v: validate_transition(Transition(None, ""), v),
    ):
        earlier = Violations()
        earlier.add("request_id", "malformed")
        with pytest.raises(InvalidArgument) as refused:
            check(earlier)
        fields = [v.field for v in refused.value.violations]
        assert fields[:1] == ["request_id"] and len(fields) == 2
