"""What-if routing as operations read it: every plan the router weighs (the shelf, each source,
splits, mixed plans) with its verdict and ready-by; the chosen one is exactly the router's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.routing import (
    CHOSEN,
    REJECTED,
    Allocation,
    BasketLine,
    Lane,
    RoutePlan,
    RoutingPolicy,
    Site,
    Unroutable,
)
from services.routing.alternatives import PlanCandidate, RouteExplained, explain_route
from services.routing.capacity import Capacity
from tests.support.routing import DC, FAR, MONDAY_10, NEAR, PICKUP

SOURCES = (NEAR, FAR, DC)


def explained(
    basket: Mapping[str, int],
    atp: Mapping[tuple[str, str], int],
    sources: Sequence[Site] = SOURCES,
    pickup: Site = PICKUP,
    policy: RoutingPolicy | None = None,
) -> RouteExplained:
    lanes = [Lane(s.location_id, pickup.location_id, 1) for s in sources]
    lines = [BasketLine(sku, q) for sku, q in basket.items()]
    return explain_route(lines, pickup, sources, lanes, atp, policy or RoutingPolicy(), MONDAY_10)


def chosen(answer: RouteExplained) -> list[PlanCandidate]:
    return [c for c in answer.candidates if c.verdict == CHOSEN]


def by_sources(
    answer: RouteExplained, kind: str = "SHIP_TO_STORE"
) -> dict[tuple[str, ...], PlanCandidate]:
    return {c.sources: c for c in answer.candidates if c.kind == kind}


def test_a_shelf_that_has_it_all_is_chosen_and_every_shipment_is_listed_as_not_needed() -> None:
    atp = {("STORE-001", "MUG"): 2, ("STORE-003", "MUG"): 5, ("DC-01", "MUG"): 9}
    answer = explained({"MUG": 2}, atp)
    [shelf] = chosen(answer)
    assert (shelf.kind, shelf.allocations) == (
        "PICKUP_IN_STORE",
        (Allocation("STORE-001", "MUG", 2),),
    )
    assert isinstance(answer.result, RoutePlan) and shelf.ready_by == answer.result.ready_by
    assert answer.candidates[0] is shelf  # the chosen plan comes first
    ships = by_sources(answer)
    assert set(ships) >= {("STORE-003",), ("DC-01",)}
    assert all(
        c.verdict == REJECTED and "shelf has the whole basket" in c.reason for c in ships.values()
    )
    assert all(c.ready_by is not None and c.ready_by > shelf.ready_by for c in ships.values())


def test_an_empty_shelf_lists_each_source_with_its_ready_by_and_why_it_lost() -> None:
    near_is_later = replace(NEAR, pick_minutes=600)  # dispatches the next day
    atp = {("STORE-003", "LAMP"): 1, ("DC-01", "LAMP"): 1}
    answer = explained({"LAMP": 1}, atp, (near_is_later, DC))
    [plan] = chosen(answer)
    assert plan.sources == ("DC-01",) and "earliest" in plan.reason
    shelf = next(c for c in answer.candidates if c.kind == "PICKUP_IN_STORE")
    assert (shelf.verdict, shelf.reason, shelf.ready_by) == (
        REJECTED,
        "the shelf lacks 1 x LAMP",
        None,
    )
    assert shelf.missing == (BasketLine("LAMP", 1),)
    near = by_sources(answer)[("STORE-003",)]
    assert near.verdict == REJECTED and near.reason.startswith("later than the chosen plan")
    assert near.ready_by is not None and plan.ready_by is not None and near.ready_by > plan.ready_by


def test_equally_early_sources_lose_by_distance() -> None:
    atp = {("STORE-003", "LAMP"): 1, ("STORE-005", "LAMP"): 1}
    answer = explained({"LAMP": 1}, atp, (NEAR, FAR))
    assert chosen(answer)[0].sources == ("STORE-003",)
    far = by_sources(answer)[("STORE-005",)]
    assert far.reason.startswith("as early with as many shipments, but its sources are")


def test_a_split_is_chosen_when_no_single_source_covers_and_the_singles_say_what_they_lack() -> (
    None
):
    atp = {("STORE-003", "LAMP"): 2, ("DC-01", "LAMP"): 1}
    answer = explained({"LAMP": 3}, atp)
    [split] = chosen(answer)
    assert sorted(split.sources) == ["DC-01", "STORE-003"]
    assert isinstance(answer.result, RoutePlan) and split.ready_by == answer.result.ready_by
    singles = by_sources(answer)
    assert singles[("STORE-003",)].reason == "cannot cover the basket: lacks 1 x LAMP"
    assert singles[("DC-01",)].reason == "cannot cover the basket: lacks 2 x LAMP"
    assert singles[("DC-01",)].ready_by is None


def test_a_mixed_plan_is_listed_beside_shipping_everything() -> None:
    atp = {("STORE-001", "MUG"): 1, ("DC-01", "MUG"): 5, ("DC-01", "LAMP"): 5}
    answer = explained({"MUG": 1, "LAMP": 1}, atp, (DC,))
    kinds = {(c.kind, c.sources) for c in answer.candidates}
    assert kinds == {("PICKUP_IN_STORE", ()), ("SHIP_TO_STORE", ("DC-01",)), ("MIXED", ("DC-01",))}
    assert len(chosen(answer)) == 1


def test_a_basket_nothing_can_serve_has_no_chosen_plan_and_every_plan_says_what_is_missing() -> (
    None
):
    atp = {("STORE-003", "LAMP"): 1, ("DC-01", "LAMP"): 1}
    answer = explained({"LAMP": 5}, atp, policy=RoutingPolicy(max_sources=2))
    assert isinstance(answer.result, Unroutable)
    assert chosen(answer) == []
    assert all(c.ready_by is None and c.missing for c in answer.candidates)
    assert (
        by_sources(answer)[("DC-01", "STORE-003")].reason
        == "cannot cover the basket: lacks 3 x LAMP"
    )


def test_a_busy_shelf_promises_later_and_says_why() -> None:
    busy = replace(PICKUP, capacity=Capacity(orders_per_hour=1), queued=4)
    atp = {("STORE-001", "MUG"): 1}
    idle_answer = explained({"MUG": 1}, atp)
    busy_answer = explained({"MUG": 1}, atp, pickup=busy)
    [idle], [shelf] = chosen(idle_answer), chosen(busy_answer)
    assert idle.ready_by == MONDAY_10 + timedelta(hours=2)
    assert shelf.ready_by == MONDAY_10 + timedelta(hours=5)
    assert shelf.reason == "the shelf has the whole basket; busy: 4 orders queued (1 an hour)"
    assert isinstance(busy_answer.result, RoutePlan) and busy_answer.result.busy


def test_only_splits_where_each_source_gives_something_are_listed() -> None:
    atp = {("STORE-003", "LAMP"): 1, ("DC-01", "LAMP"): 1, ("STORE-005", "MUG"): 1}
    answer = explained({"LAMP": 1}, atp)
    assert all(len(c.sources) == 1 for c in answer.candidates if c.kind != "PICKUP_IN_STORE")


stock = st.dictionaries(
    st.tuples(
        st.sampled_from(["STORE-001", "STORE-003", "STORE-005", "DC-01"]),
        st.sampled_from(["MUG", "LAMP"]),
    ),
    st.integers(0, 4),
)


@given(stock, st.integers(1, 4), st.integers(0, 3), st.integers(1, 3))
def test_the_one_chosen_candidate_is_the_routers_plan(
    atp: dict[tuple[str, str], int], mugs: int, lamps: int, max_sources: int
) -> None:
    basket = {"MUG": mugs, **({"LAMP": lamps} if lamps else {})}
    answer = explained(basket, atp, policy=RoutingPolicy(max_sources=max_sources))
    picked = chosen(answer)
    if isinstance(answer.result, Unroutable):
        assert picked == []
        return
    [plan] = picked
    rows = sorted((a.location_id, a.sku, a.quantity) for a in answer.result.allocations)
    assert sorted((a.location_id, a.sku, a.quantity) for a in plan.allocations) == rows
    assert plan.ready_by == answer.result.ready_by
    assert all(c.reason for c in answer.candidates)
