"""Return policy: hand-over, window per channel, final sale, returnable quantities, overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.order_states import OrderState
from services.orders.orders.domain import Channel, Money
from services.orders.returns.policy import (
    Override,
    PlannedLine,
    ReturnWindows,
    SoldLine,
    SoldOrder,
    plan_return,
)

HANDED_OVER = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
WINDOWS = ReturnWindows(web_days=30, app_days=14, store_days=60)


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def line(
    number: int,
    sku: str,
    quantity: int,
    price: int = 1000,
    cancelled: int = 0,
    final_sale: bool = False,
) -> SoldLine:
    return SoldLine(number, sku, quantity, cancelled, final_sale, eur(price))


def an_order(**fields: Any) -> SoldOrder:
    """Handed over on 1 March 2030: 2 x SKU-1 at 12.50, 3 x SKU-2 at 4.99, bought on the web."""
    order = SoldOrder(
        state=OrderState.PICKED_UP,
        channel=Channel.WEB,
        handover_time=HANDED_OVER,
        lines=(line(1, "SKU-1", 2, 1250), line(2, "SKU-2", 3, 499)),
    )
    return replace(order, **fields)


def plan(
    order: SoldOrder,
    items: list[tuple[str, int]],
    *,
    returned: dict[int, int] | None = None,
    days_after: float = 1,
    override: Override | None = None,
) -> tuple[PlannedLine, ...]:
    at = HANDED_OVER + timedelta(days=days_after)
    return plan_return(order, returned or {}, items, at, WINDOWS, override)


def refusal(order: SoldOrder, items: list[tuple[str, int]], **kwargs: Any) -> FailedPrecondition:
    with pytest.raises(FailedPrecondition) as refused:
        plan(order, items, **kwargs)
    return refused.value


def invalid_fields(order: SoldOrder, items: list[tuple[str, int]]) -> list[str]:
    with pytest.raises(InvalidArgument) as refused:
        plan(order, items)
    return [v.field for v in refused.value.violations]


def test_returned_units_refund_what_was_paid_for_them() -> None:
    lines = plan(an_order(), [("SKU-1", 1), ("SKU-2", 3)])

    assert lines == (PlannedLine(1, "SKU-1", 1, eur(1250)), PlannedLine(2, "SKU-2", 3, eur(1497)))


def test_a_sku_named_twice_is_merged() -> None:
    assert plan(an_order(), [("SKU-2", 1), ("SKU-2", 2)]) == (
        PlannedLine(2, "SKU-2", 3, eur(1497)),
    )


@pytest.mark.parametrize("state", [s for s in OrderState if s is not OrderState.PICKED_UP], ids=str)
def test_only_a_handed_over_order_can_be_returned(state: OrderState) -> None:
    error = refusal(an_order(state=state), [("SKU-1", 1)])

    assert error.reason == "ORDER_NOT_HANDED_OVER"


@pytest.mark.parametrize(
    ("channel", "days"), [(Channel.WEB, 30), (Channel.APP, 14), (Channel.STORE, 60)]
)
def test_window_counts_from_the_hand_over_per_channel(channel: Channel, days: int) -> None:
    order = an_order(channel=channel)

    assert plan(order, [("SKU-1", 1)], days_after=days)
    error = refusal(order, [("SKU-1", 1)], days_after=days + 0.001)

    assert error.reason == "RETURN_WINDOW_CLOSED"
    assert error.metadata == {
        "window_days": str(days),
        "handed_over": HANDED_OVER.isoformat(),
        "deadline": (HANDED_OVER + timedelta(days=days)).isoformat(),
    }


def test_late_return_is_accepted_with_an_override_that_gives_a_reason() -> None:
    override = Override("receipt shows a delivery delay", "assoc-7")

    assert plan(an_order(), [("SKU-1", 1)], days_after=90, override=override)


def test_override_without_a_reason_excuses_nothing() -> None:
    error = refusal(an_order(), [("SKU-1", 1)], days_after=90, override=Override("  ", "a-7"))

    assert error.reason == "RETURN_WINDOW_CLOSED"


def test_order_without_a_known_hand_over_time_needs_an_override() -> None:
    order = an_order(handover_time=None)

    assert refusal(order, [("SKU-1", 1)]).reason == "RETURN_WINDOW_CLOSED"
    assert plan(order, [("SKU-1", 1)], override=Override("till was offline", "a-7"))


def test_final_sale_items_are_refused_unless_overridden() -> None:
    order = an_order(lines=(line(1, "SKU-1", 2), line(2, "SKU-9", 1, final_sale=True)))

    error = refusal(order, [("SKU-1", 1), ("SKU-9", 1)])
    accepted = plan(order, [("SKU-9", 1)], override=Override("faulty on arrival", "a-7"))

    assert (error.reason, error.metadata) == ("FINAL_SALE", {"sku": "SKU-9"})
    assert [p.sku for p in accepted] == ["SKU-9"]


def test_more_than_handed_over_is_refused_naming_what_is_returnable() -> None:
    error = refusal(an_order(), [("SKU-2", 4)])

    assert error.reason == "QUANTITY_NOT_RETURNABLE"
    assert error.metadata == {"sku": "SKU-2", "requested": "4", "returnable": "3"}


def test_cancelled_units_were_never_handed_over() -> None:
    order = an_order(lines=(line(1, "SKU-1", 5, cancelled=2),))

    assert plan(order, [("SKU-1", 3)])
    assert refusal(order, [("SKU-1", 4)]).metadata["returnable"] == "3"


def test_units_already_returned_or_pending_are_not_returnable_again() -> None:
    error = refusal(an_order(), [("SKU-2", 2)], returned={2: 2})

    assert error.metadata == {"sku": "SKU-2", "requested": "2", "returnable": "1"}


def test_no_override_returns_more_than_was_handed_over() -> None:
    override = Override("customer is always right", "a-7")

    error = refusal(an_order(), [("SKU-1", 3)], days_after=400, override=override)

    assert error.reason == "QUANTITY_NOT_RETURNABLE"


def test_a_sku_on_several_lines_fills_from_the_first_line_with_units_left() -> None:
    order = an_order(lines=(line(1, "SKU-1", 2, 1000), line(2, "SKU-1", 3, 800)))

    assert plan(order, [("SKU-1", 3)], returned={1: 1}) == (
        PlannedLine(1, "SKU-1", 1, eur(1000)),
        PlannedLine(2, "SKU-1", 2, eur(1600)),
    )


def test_bad_items_are_invalid_naming_each() -> None:
    assert invalid_fields(an_order(), []) == ["items"]
    assert invalid_fields(an_order(), [("SKU-1", 1), ("SKU-7", 1), ("SKU-2", 0)]) == [
        "items[1].sku",
        "items[2].quantity",
    ]


# -- Whatever the sequence of returns and expiries, no line gives back more than it handed over.

SKUS = ["SKU-A", "SKU-B", "SKU-C"]
sold_lines = st.lists(
    st.tuples(st.sampled_from(SKUS), st.integers(1, 5), st.integers(0, 5)), min_size=1, max_size=5
).map(
    lambda rows: tuple(
        line(i + 1, sku, quantity, 100 * (i + 1), cancelled=min(cancelled, quantity))
        for i, (sku, quantity, cancelled) in enumerate(rows)
    )
)
steps = st.lists(
    st.one_of(
        st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 6)), min_size=1, max_size=3),
        st.integers(0, 20),  # expire the n-th accepted return, if it is still open
    ),
    max_size=12,
)


@given(sold_lines, steps)
def test_never_more_returned_than_handed_over_across_any_sequence(
    lines: tuple[SoldLine, ...], sequence: list[list[tuple[str, int]] | int]
) -> None:
    order = an_order(lines=lines)
    accepted: list[tuple[PlannedLine, ...]] = []
    expired: set[int] = set()
    for step in sequence:
        returned = _units_per_line(accepted, expired)
        if isinstance(step, int):
            if step < len(accepted):
                expired.add(step)
            continue
        fits = _fits(lines, returned, step)
        try:
            accepted.append(plan(order, step, returned=returned))
        except FailedPrecondition as refused:
            assert refused.reason == "QUANTITY_NOT_RETURNABLE"
            assert not fits
        except InvalidArgument:  # a sku this order does not have
            assert not {sku for sku, _ in step} <= {x.sku for x in lines}
        else:
            assert fits
    returned = _units_per_line(accepted, expired)
    assert all(returned.get(x.line_number, 0) <= x.handed_over for x in lines)


@given(sold_lines, st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 6)), min_size=1))
def test_each_return_line_refunds_its_units_at_their_price(
    lines: tuple[SoldLine, ...], items: list[tuple[str, int]]
) -> None:
    prices = {x.line_number: x.unit_price.amount_minor for x in lines}
    try:
        planned = plan(an_order(lines=lines), items)
    except (FailedPrecondition, InvalidArgument):
        return
    assert all(p.refund == eur(p.quantity * prices[p.line_number]) for p in planned)
    assert sum(p.quantity for p in planned) == sum(n for _, n in items)


def _units_per_line(accepted: list[tuple[PlannedLine, ...]], expired: set[int]) -> dict[int, int]:
    units: dict[int, int] = {}
    for n, planned in enumerate(accepted):
        for p in planned if n not in expired else ():
            units[p.line_number] = units.get(p.line_number, 0) + p.quantity
    return units


def _fits(
    lines: tuple[SoldLine, ...], returned: dict[int, int], items: list[tuple[str, int]]
) -> bool:
    for sku in {sku for sku, _ in items}:
        left = sum(x.handed_over - returned.get(x.line_number, 0) for x in lines if x.sku == sku)
        if sum(n for s, n in items if s == sku) > left:
            return False
    return True


def test_a_free_line_comes_back_and_refunds_nothing() -> None:
    order = an_order(lines=(line(1, "SKU-1", 2, 1250), line(2, "GIFT-BAG", 1, price=0)))

    assert plan(order, [("GIFT-BAG", 1)]) == (PlannedLine(2, "GIFT-BAG", 1, eur(0)),)


def test_the_last_returnable_unit_may_come_back_once() -> None:
    assert plan(an_order(), [("SKU-2", 1)], returned={2: 2}) == (
        PlannedLine(2, "SKU-2", 1, eur(499)),
    )
    error = refusal(an_order(), [("SKU-2", 1)], returned={2: 3})
    assert error.message == "1 x SKU-2 requested; 0 can still be returned"


def test_a_line_returned_beyond_its_units_lends_none_to_another_line_of_its_sku() -> None:
    order = an_order(lines=(line(1, "SKU-1", 1), line(2, "SKU-1", 2)))

    error = refusal(order, [("SKU-1", 3)], returned={1: 3})

    assert error.metadata == {"sku": "SKU-1", "requested": "3", "returnable": "2"}
    assert plan(order, [("SKU-1", 2)], returned={1: 3}) == (PlannedLine(2, "SKU-1", 2, eur(2000)),)


def test_refusals_tell_the_associate_why() -> None:
    final = an_order(lines=(line(1, "SKU-9", 1, final_sale=True),))
    not_handed = refusal(an_order(state=OrderState.READY_FOR_PICKUP), [("SKU-1", 1)])
    late = refusal(an_order(), [("SKU-1", 1)], days_after=31)
    unknown = refusal(an_order(handover_time=None), [("SKU-1", 1)])

    assert not_handed.metadata == {"state": "READY_FOR_PICKUP"}
    assert not_handed.message.startswith("only a handed-over order can be returned")
    assert late.message == "returns are accepted for 30 days after the hand-over"
    assert unknown.metadata == {"window_days": "30", "handed_over": "", "deadline": ""}
    assert refusal(final, [("SKU-9", 1)]).message == "SKU-9 was sold as final sale"


def test_bad_items_are_described_to_the_caller() -> None:
    with pytest.raises(InvalidArgument) as refused:
        plan(an_order(), [("SKU-7", 1), ("SKU-1", -1)])

    assert refused.value.reason == "INVALID_RETURN"
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("items[0].sku", "not on the order"),
        ("items[1].quantity", "must be greater than 0"),
    ]
    with pytest.raises(InvalidArgument) as empty:
        plan(an_order(), [])
    assert empty.value.violations[0].description == "a return needs at least one item"


def test_default_windows_are_thirty_days_on_every_channel() -> None:
    assert [ReturnWindows().days(c) for c in (Channel.WEB, Channel.APP, Channel.STORE)] == [30] * 3
