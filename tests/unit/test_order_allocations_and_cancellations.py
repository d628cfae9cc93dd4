"""What an order accepts as its route (allocations that cover the units still to come) and as
cancellations of its lines, in which states, and how both read on its timeline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.order_states import OrderState
from services.orders.fulfillment.domain import (
    LINE_CANCEL_STATES,
    ROUTABLE_STATES,
    Allocation,
    Cancellation,
    Candidate,
    LineAllocation,
    LineQuantity,
    Route,
    cancellation_summary,
    cancelled_after,
    check_allocations,
    check_open,
    first_sources,
    remaining_total,
    route_summary,
    validate_cancellations,
    validate_route,
)
from services.orders.orders.domain import FulfillmentType, Money

S = OrderState
ORDER_ID = "ORD-0123456789"
# Line 1: 2 units at 12.50, 1 already cancelled; line 2: 3 units at 5.00.
LINES = {1: LineQuantity(1, 2, 1, 1250), 2: LineQuantity(2, 3, 0, 500)}


def line(number: int, *sources: tuple[str, int]) -> LineAllocation:
    return LineAllocation(number, tuple(Allocation(loc, q) for loc, q in sources))


def route(*lines: LineAllocation) -> Route:
    return Route(FulfillmentType.SHIP_TO_STORE, lines)


def refused_fields(check: Callable[..., object], *args: object) -> list[str]:
    """The fields ``check`` refuses ``args`` for, in order; [] when it accepts them."""
    try:
        check(*args)
    except InvalidArgument as refused:
        assert refused.violations, "a refusal names at least one field"
        return [v.field for v in refused.violations]
    return []


def test_allocations_must_cover_exactly_the_units_still_to_come() -> None:
    exact = [line(1, ("DC-01", 1)), line(2, ("DC-01", 2), ("STORE-002", 1))]
    assert refused_fields(check_allocations, LINES, exact) == []

    with pytest.raises(InvalidArgument) as refused:
        check_allocations(LINES, [line(1, ("DC-01", 2)), line(2, ("DC-01", 2))])

    assert refused.value.reason == "ALLOCATION_MISMATCH"
    assert [v.field for v in refused.value.violations] == [
        "lines[0].allocations",
        "lines[1].allocations",
    ]


def test_a_fully_cancelled_line_is_routed_with_no_allocations() -> None:
    cancelled = {1: LineQuantity(1, 2, 2, 1250)}

    assert refused_fields(check_allocations, cancelled, [line(1)]) == []
    assert refused_fields(check_allocations, cancelled, [line(1, ("DC-01", 1))]) == [
        "lines[0].allocations"
    ]


def test_routing_a_line_the_order_lacks_names_it() -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_allocations(LINES, [line(1, ("DC-01", 1)), line(9, ("DC-01", 1))])

    assert refused.value.reason == "UNKNOWN_LINE"
    assert [v.field for v in refused.value.violations] == ["lines[1].line_number"]


def test_a_split_line_comes_from_its_first_allocation() -> None:
    routed = [line(1, ("DC-01", 1), ("STORE-002", 1)), line(2)]

    assert first_sources(routed) == {1: "DC-01"}


def test_route_summary_names_the_kind_and_each_source_once() -> None:
    split = route(line(1, ("DC-01", 1), ("STORE-002", 1)), line(2, ("DC-01", 3)))
    shelf = Route(FulfillmentType.PICKUP_IN_STORE, (line(1, ("STORE-001", 1)),))

    assert route_summary(split) == "ship-to-store from DC-01, STORE-002"
    assert route_summary(shelf) == "pick-up-in-store from STORE-001"


def test_malformed_route_names_every_bad_field() -> None:
    bad = Route(
        None,
        (line(1, ("DC-01", 1), ("DC-01", 1)), line(1, ("nowhere", 0))),
        (Candidate("DC-01", "PERHAPS", distance_km=float("nan")),),
    )

    with pytest.raises(InvalidArgument) as refused:
        validate_route(bad)

    assert {v.field for v in refused.value.violations} == {
        "fulfillment_type",
        "lines[0].allocations[1].location_id",
        "lines[1].line_number",
        "lines[1].allocations[0].location_id",
        "lines[1].allocations[0].quantity",
        "explanation[0].verdict",
        "explanation[0].distance_km",
    }


def test_a_route_names_at_least_one_line() -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_route(route())
    assert [v.field for v in refused.value.violations] == ["lines"]


ROUTABLE = {S.PENDING, S.AWAITING_PICK, S.IN_TRANSIT}
CANCELLABLE = {S.PENDING, S.AWAITING_PICK, S.IN_TRANSIT, S.READY_FOR_PICKUP}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize(
    ("allowed", "expected"),
    [(ROUTABLE_STATES, ROUTABLE), (LINE_CANCEL_STATES, CANCELLABLE)],
    ids=["route", "cancel_lines"],
)
def test_routes_and_cancellations_only_touch_orders_still_open_for_them(
    state: OrderState, allowed: frozenset[OrderState], expected: set[OrderState]
) -> None:
    try:
        check_open(state, allowed, "change")
    except FailedPrecondition as refused:
        assert state not in expected
        assert refused.reason == "ORDER_CLOSED"
        assert refused.metadata == {"state": state.value}
    else:
        assert state in expected


def test_cancellations_add_up_but_never_beyond_what_was_ordered() -> None:
    assert cancelled_after(LINES, [Cancellation(1, 1), Cancellation(2, 3)]) == {1: 2, 2: 3}

    with pytest.raises(InvalidArgument) as refused:
        cancelled_after(LINES, [Cancellation(2, 1), Cancellation(1, 2)])

    assert refused.value.reason == "CANCELLATION_EXCEEDS_QUANTITY"
    assert [v.field for v in refused.value.violations] == ["lines[1].quantity"]


def test_cancelling_a_line_the_order_lacks_names_it() -> None:
    with pytest.raises(InvalidArgument) as refused:
        cancelled_after(LINES, [Cancellation(5, 1)])
    assert refused.value.reason == "UNKNOWN_LINE"


def test_cancellation_needs_positive_units_distinct_lines_and_a_reason() -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_cancellations([Cancellation(1, 0), Cancellation(1, 1), Cancellation(0, 1)], " ")

    assert {v.field for v in refused.value.violations} == {
        "lines[0].quantity",
        "lines[1].line_number",
        "lines[2].line_number",
        "reason",
    }


def test_total_counts_only_the_units_still_coming() -> None:
    assert remaining_total(LINES.values(), "EUR") == Money(1 * 1250 + 3 * 500, "EUR")
    assert remaining_total([LineQuantity(1, 2, 2, 1250)], "EUR") == Money(0, "EUR")


def test_cancellation_summary_lists_lines_and_reason() -> None:
    summary = cancellation_summary([Cancellation(1, 1), Cancellation(3, 2)], "SHORT_PICK")
    assert summary == "line 1: 1 unit, line 3: 2 units (SHORT_PICK)"
