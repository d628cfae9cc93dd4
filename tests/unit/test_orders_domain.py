"""Order rules: the state machine, order validation and the order total."""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from typing import Any

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.orders.orders.domain import (
    FINAL_STATES,
    Channel,
    FulfillmentType,
    Money,
    NewOrder,
    OrderLine,
    OrderState,
    Transition,
    can_transition,
    check_pickup_code,
    check_transition,
    event_type_of,
    normalized,
    order_total,
    validate_new_order,
    validate_transition,
)

S = OrderState
LEGAL = {
    (S.PENDING, S.AWAITING_PICK),
    (S.PENDING, S.IN_TRANSIT),
    (S.PENDING, S.REJECTED),
    (S.PENDING, S.CANCELLED),
    (S.PENDING, S.PICKED_UP),  # a till sale: paid and handed over at once
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
    check_transition(current, target)
    assert can_transition(current, target)


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


def violations_of(order: NewOrder) -> set[str]:
    with pytest.raises(InvalidArgument) as refused:
        validate_new_order(order)
    return {v.field for v in refused.value.violations}


def test_total_is_quantity_times_unit_price_over_all_lines() -> None:
    assert order_total(an_order().lines) == eur(2 * 1250 + 3 * 499)


def test_free_items_count_nothing_towards_the_total() -> None:
    lines = (OrderLine(1, "SKU-1", "", 1, eur(0)), OrderLine(2, "SKU-2", "", 4, eur(100)))
    assert order_total(lines) == eur(400)


def test_valid_order_passes_and_is_numbered_and_sourced_from_the_pickup_store() -> None:
    order = an_order()
    validate_new_order(order)

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

    validate_new_order(order)

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
    with pytest.raises(InvalidArgument):
        check_pickup_code(Transition(S.READY_FOR_PICKUP, ""), current_code="")

    check_pickup_code(Transition(S.READY_FOR_PICKUP, "", pickup_code="123456"), current_code="")
    check_pickup_code(Transition(S.READY_FOR_PICKUP, ""), current_code="123456")
