"""Which sources a route takes: the shelf first, then the earliest, then the nearest shipment;
split plans within the policy's number of sources; stores at their safety stock, without a
lane or that do not ship passed over; ready-by times after closing and across time zones."""

from __future__ import annotations

from datetime import UTC, datetime

from services.routing import (
    CHOSEN,
    REJECTED,
    BasketLine,
    Lane,
    RoutePlan,
    RoutingPolicy,
    Site,
    Unroutable,
    route,
)
from tests.support.routing import ALWAYS, DC, FAR, MONDAY_10, NEAR, NEW_YORK, PICKUP, SHY, site

LANES = [Lane(s.location_id, "STORE-001", 1) for s in (NEAR, FAR, DC)]
DEFAULT_POLICY = RoutingPolicy()


def plan(
    basket: dict[str, int],
    atp: dict[tuple[str, str], int],
    now: datetime = MONDAY_10,
    lanes: list[Lane] = LANES,
    policy: RoutingPolicy = DEFAULT_POLICY,
    sources: tuple[Site, ...] = (NEAR, FAR, DC),
) -> RoutePlan | Unroutable:
    lines = [BasketLine(sku, q) for sku, q in basket.items()]
    return route(lines, PICKUP, list(sources), lanes, atp, policy, now)


def placed(result: RoutePlan | Unroutable) -> set[tuple[str, str, int]]:
    assert isinstance(result, RoutePlan), result
    return {(a.location_id, a.sku, a.quantity) for a in result.allocations}


def test_the_shelf_wins_when_it_covers_the_basket() -> None:
    result = plan({"MUG": 2}, {("STORE-001", "MUG"): 2, ("DC-01", "MUG"): 50})
    assert isinstance(result, RoutePlan) and result.kind == "PICKUP_IN_STORE"
    assert placed(result) == {("STORE-001", "MUG", 2)}
    assert result.ready_by == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 2 opening hours


def test_an_order_placed_after_closing_is_ready_after_the_next_opening() -> None:
    saturday_night = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)  # 22:00 Sat, closed Sunday
    result = plan({"MUG": 1}, {("STORE-001", "MUG"): 1}, now=saturday_night)
    assert isinstance(result, RoutePlan)
    assert result.ready_by == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Mon 09:00 + 2 h


def test_an_empty_shelf_ships_from_the_earliest_source() -> None:
    result = plan({"LAMP": 1}, {("DC-01", "LAMP"): 9, ("STORE-005", "LAMP"): 3})
    assert isinstance(result, RoutePlan) and result.kind == "SHIP_TO_STORE"
    assert placed(result) == {("DC-01", "LAMP", 1)}  # the DC dispatches sooner (open all day)
    assert [s.source_id for s in result.shipments] == ["DC-01"]
    verdicts = {n.location_id: n.verdict for n in result.explanation}
    assert verdicts == {
        "STORE-001": REJECTED,
        "DC-01": CHOSEN,
        "STORE-005": "CONSIDERED",
        "STORE-003": REJECTED,
    }


def test_equal_readiness_prefers_the_nearer_source() -> None:
    result = plan(
        {"LAMP": 1}, {("STORE-003", "LAMP"): 1, ("STORE-005", "LAMP"): 1}, sources=(NEAR, FAR)
    )
    assert placed(result) == {("STORE-003", "LAMP", 1)}


def test_a_store_at_its_safety_stock_is_never_a_source() -> None:
    # ATP already excludes safety stock: on_hand 1 with safety stock 1 is ATP 0
    result = plan({"LAMP": 1}, {("STORE-003", "LAMP"): 0}, sources=(NEAR,))
    assert isinstance(result, Unroutable) and result.missing == {"LAMP": 1}
    assert any(n.location_id == "STORE-003" and "no stock" in n.reason for n in result.explanation)


def test_a_source_without_a_lane_or_that_does_not_ship_is_rejected_with_the_reason() -> None:
    result = plan(
        {"LAMP": 1},
        {("STORE-004", "LAMP"): 5, ("STORE-003", "LAMP"): 5},
        lanes=[],
        sources=(NEAR, SHY),
    )
    assert isinstance(result, Unroutable)
    reasons = {n.location_id: n.reason for n in result.explanation}
    assert reasons["STORE-003"] == "no lane to STORE-001"
    assert reasons["STORE-004"] == "does not ship to other locations"


def test_no_single_source_covers_it_so_two_split_it() -> None:
    result = plan(
        {"LAMP": 3}, {("STORE-003", "LAMP"): 2, ("STORE-005", "LAMP"): 1}, sources=(NEAR, FAR)
    )
    assert placed(result) == {("STORE-003", "LAMP", 2), ("STORE-005", "LAMP", 1)}
    assert isinstance(result, RoutePlan) and len(result.shipments) == 2


def test_never_more_sources_than_the_policy_allows() -> None:
    atp = {("STORE-003", "LAMP"): 1, ("STORE-005", "LAMP"): 1, ("DC-01", "LAMP"): 1}
    result = plan({"LAMP": 3}, atp, policy=RoutingPolicy(max_sources=2))
    assert isinstance(result, Unroutable) and result.missing == {"LAMP": 1}
    assert isinstance(plan({"LAMP": 3}, atp, policy=RoutingPolicy(max_sources=3)), RoutePlan)


def test_a_shelf_with_part_of_the_basket_gives_way_to_one_shipment_that_is_no_later() -> None:
    result = plan(
        {"MUG": 2, "LAMP": 1}, {("STORE-001", "MUG"): 2, ("DC-01", "LAMP"): 5, ("DC-01", "MUG"): 5}
    )
    assert isinstance(result, RoutePlan) and result.kind == "SHIP_TO_STORE"
    assert placed(result) == {("DC-01", "LAMP", 1), ("DC-01", "MUG", 2)}
    assert [s.source_id for s in result.shipments] == ["DC-01"]


def test_a_transfer_arriving_at_night_is_ready_after_the_next_opening_in_the_store_zone() -> None:
    night_dc = site("DC-02", 40.71, -74.0, hours=ALWAYS, tz=NEW_YORK, pick=0)
    lanes = [Lane("DC-02", "STORE-001", 0)]
    sunday_night = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # 23:30 Sunday in Amsterdam
    result = plan(
        {"LAMP": 1}, {("DC-02", "LAMP"): 1}, now=sunday_night, lanes=lanes, sources=(night_dc,)
    )
    assert isinstance(result, RoutePlan)
    assert result.ready_by == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Mon 09:00 + 60 min


def test_no_sources_allowed_means_only_the_shelf() -> None:
    none = RoutingPolicy(max_sources=0)

    shipped = plan({"LAMP": 1}, {("DC-01", "LAMP"): 5}, policy=none)
    shelf = plan({"LAMP": 1}, {("STORE-001", "LAMP"): 1, ("DC-01", "LAMP"): 5}, policy=none)

    assert isinstance(shipped, Unroutable) and shipped.missing == {"LAMP": 1}
    assert placed(shelf) == {("STORE-001", "LAMP", 1)}
