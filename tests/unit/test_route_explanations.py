"""Routing decisions as an operator sees them: who was chosen, who was passed over and why,
mixed plans only when they pay off, ties broken the same way every time, ready-by times across
time zones and closing times, and held plans replayed as they were reserved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.routing import (
    CHOSEN,
    CONSIDERED,
    REJECTED,
    Allocation,
    BasketLine,
    CandidateNote,
    Lane,
    RoutePlan,
    RoutingPolicy,
    Site,
    Unroutable,
    plan_allocations,
    route,
)
from tests.support.routing import (
    ALWAYS,
    DC,
    FAR,
    LANELESS,
    MONDAY_10,
    NEAR,
    NEW_YORK,
    OFFICE,
    PICKUP,
    SHY,
    site,
)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def run(
    basket: Mapping[str, int],
    atp: Mapping[tuple[str, str], int],
    sources: Sequence[Site] = (NEAR, FAR, DC),
    transit: Mapping[str, int] | None = None,
    policy: RoutingPolicy | None = None,
    now: datetime = MONDAY_10,
    pickup: Site = PICKUP,
) -> RoutePlan | Unroutable:
    days = {s.location_id: 1 for s in sources} if transit is None else transit
    lanes = [Lane(source, pickup.location_id, d) for source, d in days.items()]
    lines = [BasketLine(sku, q) for sku, q in basket.items()]
    return route(lines, pickup, sources, lanes, atp, policy or RoutingPolicy(), now)


def a_plan(result: RoutePlan | Unroutable) -> RoutePlan:
    assert isinstance(result, RoutePlan), result
    return result


def notes_by_id(result: RoutePlan | Unroutable) -> dict[str, tuple[str, str]]:
    return {n.location_id: (n.verdict, n.reason) for n in result.explanation}


@pytest.mark.parametrize(
    ("basket", "atp", "policy"),
    [
        pytest.param({"MUG": 1}, {("STORE-001", "MUG"): 1}, None, id="shelf"),
        pytest.param({"LAMP": 1}, {("DC-01", "LAMP"): 1}, None, id="ship"),
        pytest.param(
            {"LAMP": 3}, {("STORE-003", "LAMP"): 2, ("DC-01", "LAMP"): 1}, None, id="split"
        ),
        pytest.param(
            {"MUG": 1, "LAMP": 1},
            {("STORE-001", "MUG"): 1, ("STORE-003", "LAMP"): 1},
            None,
            id="mixed",
        ),
        pytest.param(
            {"LAMP": 3},
            {("STORE-003", "LAMP"): 1, ("STORE-005", "LAMP"): 1, ("DC-01", "LAMP"): 1},
            RoutingPolicy(max_sources=2),
            id="unroutable",
        ),
    ],
)
def test_the_explanation_names_every_candidate_once_with_a_verdict(
    basket: dict[str, int], atp: dict[tuple[str, str], int], policy: RoutingPolicy | None
) -> None:
    sources = (PICKUP, NEAR, FAR, DC, SHY, LANELESS)  # the pickup store may be listed too
    transit = {"STORE-003": 1, "STORE-005": 1, "DC-01": 1, "STORE-004": 1}
    result = run(basket, atp, sources, transit, policy)
    ids = [n.location_id for n in result.explanation]
    assert sorted(ids) == sorted(s.location_id for s in sources)
    assert all(n.verdict in (CHOSEN, CONSIDERED, REJECTED) and n.reason for n in result.explanation)
    if isinstance(result, RoutePlan):
        chosen = {n.location_id for n in result.explanation if n.verdict == CHOSEN}
        assert chosen == {a.location_id for a in result.allocations}
        assert "STORE-001" not in {s.source_id for s in result.shipments}


def test_an_unroutable_basket_still_says_what_each_source_could_give() -> None:
    atp = {("STORE-003", "LAMP"): 1, ("STORE-005", "LAMP"): 1, ("DC-01", "LAMP"): 1}
    result = run({"LAMP": 3}, atp, policy=RoutingPolicy(max_sources=2))
    assert isinstance(result, Unroutable) and result.missing == {"LAMP": 1}
    notes = notes_by_id(result)
    assert notes["STORE-001"] == (REJECTED, "the shelf lacks 3 x LAMP")
    assert notes["DC-01"] == (
        CONSIDERED,
        "has 1 x LAMP (ready Tue 12:00), but no plan of at most 2 sources covers the basket",
    )


@pytest.mark.parametrize(
    ("source", "transit", "basket", "atp", "reason"),
    [
        (NEAR, {}, {"LAMP": 1}, {("STORE-003", "LAMP"): 5}, "no lane to STORE-001"),
        (SHY, {"STORE-004": 1}, {"LAMP": 1}, {("STORE-004", "LAMP"): 5}, "does not ship"),
        (NEAR, None, {"LAMP": 1, "MUG": 1}, {}, "no stock of LAMP, MUG"),
        # on hand 4 with a safety stock of 4: available-to-promise is 0
        (NEAR, None, {"LAMP": 1}, {("STORE-003", "LAMP"): 0}, "no stock of LAMP"),
    ],
)
def test_a_source_that_cannot_serve_is_rejected_with_the_cause(
    source: Site,
    transit: dict[str, int] | None,
    basket: dict[str, int],
    atp: dict[tuple[str, str], int],
    reason: str,
) -> None:
    result = run(basket, atp, (source,), transit)
    assert isinstance(result, Unroutable)
    verdict, text = notes_by_id(result)[source.location_id]
    assert verdict == REJECTED and text.startswith(reason)


@pytest.mark.parametrize(
    ("sources", "winner"),
    [
        ((FAR, NEAR), "STORE-003"),  # same ready-by: the nearer one
        ((site("STORE-009", 52.36, 4.93), site("STORE-008", 52.36, 4.93)), "STORE-008"),
        ((site("STORE-008", 52.36, 4.93), site("STORE-009", 52.36, 4.93)), "STORE-008"),
    ],
)
def test_equally_early_sources_are_chosen_by_distance_then_id(
    sources: tuple[Site, Site], winner: str
) -> None:
    atp = {(s.location_id, "LAMP"): 1 for s in sources}
    plan = a_plan(run({"LAMP": 1}, atp, sources))
    assert [s.source_id for s in plan.shipments] == [winner]
    loser = next(s.location_id for s in sources if s.location_id != winner)
    assert notes_by_id(plan)[loser][0] == CONSIDERED


@pytest.mark.parametrize(
    ("atp", "transit", "allow_mixed", "kind", "shipped_from", "ready_by"),
    [
        # the DC has it all and is as early: shipping everything, the shelf keeps its mugs
        ({"DC-01": {"MUG": 5, "LAMP": 5}}, None, True, "SHIP_TO_STORE", {"DC-01"}, utc(24, 11)),
        # shipping everything needs two shipments, the mixed plan one
        ({"DC-01": {"MUG": 5}, "STORE-003": {"LAMP": 5}}, None, True, "MIXED", {"STORE-003"},
         utc(24, 12)),
        # mugs only far away (3 days): picking them here is sooner
        ({"DC-01": {"LAMP": 5}, "STORE-005": {"MUG": 5}}, {"DC-01": 1, "STORE-005": 3}, True,
         "MIXED", {"DC-01"}, utc(24, 11)),
        ({"DC-01": {"LAMP": 5}, "STORE-005": {"MUG": 5}}, {"DC-01": 1, "STORE-005": 3}, False,
         "SHIP_TO_STORE", {"DC-01", "STORE-005"}, utc(26, 12)),  # Thu 13:00 local
    ],
)  # fmt: skip
def test_a_mixed_plan_is_chosen_only_when_sooner_or_with_fewer_shipments(
    atp: dict[str, dict[str, int]],
    transit: dict[str, int] | None,
    allow_mixed: bool,
    kind: str,
    shipped_from: set[str],
    ready_by: datetime,
) -> None:
    stock = {(loc, sku): q for loc, row in atp.items() for sku, q in row.items()}
    stock[("STORE-001", "MUG")] = 2
    policy = RoutingPolicy(allow_mixed=allow_mixed)
    plan = a_plan(run({"MUG": 2, "LAMP": 1}, stock, transit=transit, policy=policy))
    assert (plan.kind, {s.source_id for s in plan.shipments}) == (kind, shipped_from)
    assert plan.ready_by == ready_by
    verdict, reason = notes_by_id(plan)["STORE-001"]
    assert verdict == (CHOSEN if kind == "MIXED" else REJECTED)
    assert "2 x MUG" in reason


def test_a_mixed_plan_is_ready_when_its_last_part_is() -> None:
    slow_shelf = site("STORE-001", 52.379, 4.900, pick=300)
    atp = {("STORE-001", "MUG"): 1, ("DC-01", "LAMP"): 1}
    result = run({"MUG": 1, "LAMP": 1}, atp, (DC,), {"DC-01": 0}, pickup=slow_shelf)
    plan = a_plan(result)
    assert plan.kind == "MIXED"
    assert plan.shipments[0].ready_by == utc(23, 11)  # same-day transfer, 12:00 in Amsterdam
    assert plan.ready_by == utc(23, 14)  # the shelf pick: 10:00 + 5 opening hours


def test_the_shelf_wins_whenever_it_covers_the_basket_even_if_a_transfer_were_sooner() -> None:
    slow_shelf = site("STORE-001", 52.379, 4.900, pick=24 * 60)  # two full opening days
    atp = {("STORE-001", "LAMP"): 1, ("DC-01", "LAMP"): 9}
    plan = a_plan(run({"LAMP": 1}, atp, (DC,), {"DC-01": 0}, pickup=slow_shelf))
    assert plan.kind == "PICKUP_IN_STORE" and not plan.shipments
    assert plan.ready_by == utc(25, 9)  # Wednesday 10:00 in Amsterdam
    assert notes_by_id(plan)["DC-01"][0] == CONSIDERED


@pytest.mark.parametrize(
    ("pickup", "source", "departs", "arrives", "ready_by", "words"),
    [
        # a New York DC opens at 09:00 New York time, hours after the Amsterdam order
        (PICKUP, site("DC-02", 40.71, -74.0, OFFICE, NEW_YORK, pick=60),
         utc(23, 15), utc(24, 15), utc(24, 16), "ready Tue 17:00"),
        # an Amsterdam DC's transfer lands at 05:00 in New York: ready after opening + receiving
        (site("STORE-101", 40.75, -73.99, tz=NEW_YORK), site("DC-01", 52.3, 4.76, OFFICE, pick=60),
         utc(23, 10), utc(24, 10), utc(24, 15), "ready Tue 10:00"),
    ],
)  # fmt: skip
def test_each_site_works_in_its_own_time_zone(
    pickup: Site, source: Site, departs: datetime, arrives: datetime, ready_by: datetime, words: str
) -> None:
    atp = {(source.location_id, "LAMP"): 1}
    plan = a_plan(run({"LAMP": 1}, atp, (source,), pickup=pickup))
    shipment = plan.shipments[0]
    assert (shipment.departs_at, shipment.arrives_at, shipment.ready_by) == (
        departs,
        arrives,
        ready_by,
    )
    assert words in notes_by_id(plan)[source.location_id][1]  # in the pickup store's time


@pytest.mark.parametrize(
    ("now", "transit_days", "ready_by"),
    [
        (MONDAY_10, 1, utc(24, 10)),  # arrives Tue 10:00, received by 11:00
        (utc(28, 21), 0, utc(30, 9)),  # arrives Sat 22:00, closed Sunday: Mon 09:00 + 60 min
        (utc(27, 19, 30), 1, utc(30, 8, 30)),  # Sat 20:30: 30 min before closing, 30 on Monday
    ],
)
def test_a_transfer_is_received_only_while_the_pickup_store_is_open(
    now: datetime, transit_days: int, ready_by: datetime
) -> None:
    instant_dc = site("DC-01", 52.295, 4.760, hours=ALWAYS, pick=0)
    result = run(
        {"LAMP": 1}, {("DC-01", "LAMP"): 1}, (instant_dc,), {"DC-01": transit_days}, now=now
    )
    assert a_plan(result).ready_by == ready_by


def test_a_held_plan_keeps_its_sources_and_gets_their_times() -> None:
    held = [Allocation("STORE-001", "MUG", 1), Allocation("DC-01", "LAMP", 2)]
    lanes = [Lane("DC-01", "STORE-001", 1)]
    plan = a_plan(plan_allocations(held, PICKUP, [NEAR, DC], lanes, MONDAY_10))
    assert plan.kind == "MIXED"
    assert [(s.source_id, [(x.sku, x.quantity) for x in s.lines]) for s in plan.shipments] == [
        ("DC-01", [("LAMP", 2)])
    ]
    assert plan.ready_by == utc(24, 11)


def test_a_held_source_that_lost_its_lane_makes_the_plan_unroutable() -> None:
    held = [Allocation("STORE-003", "LAMP", 2)]
    result = plan_allocations(held, PICKUP, [NEAR], [], MONDAY_10)
    assert isinstance(result, Unroutable) and result.missing == {"LAMP": 2}
    assert notes_by_id(result)["STORE-003"] == (REJECTED, "no lane to STORE-001")


SKUS = ("MUG", "LAMP")
SOURCES = (NEAR, FAR, DC)


def _coverable(
    need: Mapping[str, int], atp: Mapping[tuple[str, str], int], policy: RoutingPolicy
) -> bool:
    """Brute force: could any set of at most max_sources sources (plus the shelf) cover it?"""
    shelf = {sku: atp[("STORE-001", sku)] for sku in need}
    if all(shelf[sku] >= q for sku, q in need.items()):
        return True
    for size in range(1, policy.max_sources + 1):
        for group in combinations(SOURCES, size):
            for local in ([shelf] if policy.allow_mixed else []) + [dict.fromkeys(need, 0)]:
                have = {s: local[s] + sum(atp[(g.location_id, s)] for g in group) for s in need}
                if all(have[sku] >= q for sku, q in need.items()):
                    return True
    return False


@given(
    need=st.tuples(st.integers(0, 6), st.integers(1, 6)),
    stock=st.lists(st.integers(0, 4), min_size=8, max_size=8),
    max_sources=st.integers(1, 3),
    allow_mixed=st.booleans(),
)
def test_allocations_stay_within_stock_sum_to_the_basket_and_miss_no_feasible_plan(
    need: tuple[int, int], stock: list[int], max_sources: int, allow_mixed: bool
) -> None:
    basket = {sku: q for sku, q in zip(SKUS, need, strict=True) if q > 0}
    places = [PICKUP, *SOURCES]
    keys = [(p.location_id, sku) for p in places for sku in SKUS]
    atp = dict(zip(keys, stock, strict=True))
    policy = RoutingPolicy(max_sources=max_sources, allow_mixed=allow_mixed)
    result = run(basket, atp, policy=policy)
    assert isinstance(result, RoutePlan) == _coverable(basket, atp, policy)
    if isinstance(result, Unroutable):
        return
    placed: dict[str, int] = {}
    for a in result.allocations:
        assert 0 < a.quantity <= atp[(a.location_id, a.sku)]
        placed[a.sku] = placed.get(a.sku, 0) + a.quantity
    assert placed == basket
    sources = [s.source_id for s in result.shipments]
    assert len(sources) == len(set(sources)) <= max_sources


@given(
    stock=st.lists(st.integers(0, 3), min_size=8, max_size=8),
    ready_order=st.permutations(range(3)),
    max_sources=st.integers(1, 3),
    allow_mixed=st.booleans(),
)
def test_the_search_skipping_plans_that_cannot_win_finds_the_best_plan_all_plans_give(
    stock: list[int], ready_order: list[int], max_sources: int, allow_mixed: bool
) -> None:
    from services.routing.candidates import Option, allocate, candidate_plans, usable_sources

    need = {"MUG": 3, "LAMP": 2}
    places = [PICKUP, *SOURCES]
    keys = [(p.location_id, sku) for p in places for sku in SKUS]
    atp = dict(zip(keys, stock, strict=True))
    transit = {s.location_id: 1 + ready_order[i % 3] for i, s in enumerate(SOURCES)}
    lanes = [Lane(source, PICKUP.location_id, d) for source, d in transit.items()]
    viable, _ = usable_sources(need, PICKUP, SOURCES, lanes, atp, MONDAY_10)
    shelf = {sku: min(atp.get((PICKUP.location_id, sku), 0), q) for sku, q in need.items()}
    policy = RoutingPolicy(max_sources=max_sources, allow_mixed=allow_mixed)
    found = [o for o in candidate_plans(need, shelf, viable, policy, MONDAY_10) if not o.uncovered]
    every: list[Option] = []
    for kind, local in [("SHIP_TO_STORE", dict.fromkeys(need, 0)), ("MIXED", shelf)]:
        if kind == "MIXED" and not (allow_mixed and any(shelf.values())):
            continue
        rest = {sku: q - local.get(sku, 0) for sku, q in need.items()}
        for size in range(1, max_sources + 1):
            every += [allocate(kind, local, rest, c, MONDAY_10) for c in combinations(viable, size)]
    covering = [o for o in every if not o.uncovered]
    assert bool(found) == bool(covering)
    if covering:  # (hypothesis finds both kinds of case: stock 0..3 against a basket of 3 + 2)
        assert min(found, key=Option.rank).rank() == min(covering, key=Option.rank).rank()


# -- The whole explanation an operator reads, word for word, with each source's ready-by time
# and distance from the pickup store.


def test_a_full_shelf_explains_that_no_source_is_needed() -> None:
    result = run({"MUG": 2}, {("STORE-001", "MUG"): 2, ("STORE-003", "MUG"): 5})

    assert result.explanation == (
        CandidateNote("STORE-001", CHOSEN, "the shelf has the whole basket", utc(23, 11)),
        CandidateNote("STORE-003", CONSIDERED, "not needed: the pickup store has it all"),
        CandidateNote("STORE-005", CONSIDERED, "not needed: the pickup store has it all"),
        CandidateNote("DC-01", CONSIDERED, "not needed: the pickup store has it all"),
    )


def test_a_mixed_plan_explains_the_shelf_the_shipment_and_the_later_sources() -> None:
    atp = {
        ("STORE-001", "MUG"): 2,
        ("STORE-001", "LAMP"): 1,
        ("STORE-003", "LAMP"): 2,
        ("STORE-005", "LAMP"): 3,
        ("DC-01", "LAMP"): 9,
        ("DC-01", "MUG"): 9,
    }
    transit = {"STORE-003": 1, "STORE-005": 3, "DC-01": 2}

    result = run({"MUG": 2, "LAMP": 3}, atp, sources=(NEAR, FAR, DC, SHY), transit=transit)

    assert a_plan(result).kind == "MIXED"
    assert result.explanation == (
        CandidateNote("STORE-001", CHOSEN, "picks 2 x MUG, 1 x LAMP from its shelf"),
        CandidateNote(
            "STORE-003",
            CHOSEN,
            "ships 2 x LAMP, 1 day in transit, ready Tue 13:00",
            utc(24, 12),
            2.8,
        ),
        CandidateNote(
            "DC-01",
            CONSIDERED,
            "later than STORE-003 (ready Wed 12:00, the plan is ready Tue 13:00)",
            utc(25, 11),
            13.33,
        ),
        CandidateNote(
            "STORE-005",
            CONSIDERED,
            "later than STORE-003 (ready Thu 13:00, the plan is ready Tue 13:00)",
            utc(26, 12),
            8.9,
        ),
        CandidateNote("STORE-004", REJECTED, "does not ship to other locations", None, 4.17),
    )


def test_with_mixed_plans_off_the_explanation_says_why_the_shelf_was_passed_over() -> None:
    atp = {("STORE-001", "MUG"): 2} | {
        (s, sku): 5 for s in ("STORE-003", "STORE-005") for sku in ("MUG", "LAMP")
    }

    result = run(
        {"MUG": 2, "LAMP": 1}, atp, sources=(NEAR, FAR), policy=RoutingPolicy(allow_mixed=False)
    )

    assert a_plan(result).kind == "SHIP_TO_STORE"
    assert result.explanation == (
        CandidateNote("STORE-001", REJECTED, "has 2 x MUG but lacks 1 x LAMP; mixed plans are off"),
        CandidateNote(
            "STORE-003",
            CHOSEN,
            "ships 2 x MUG, 1 x LAMP, 1 day in transit, ready Tue 13:00",
            utc(24, 12),
            2.8,
        ),
        CandidateNote(
            "STORE-005",
            CONSIDERED,
            "has 2 x MUG, 1 x LAMP; not needed: no plan with it is sooner or has fewer, nearer "
            "shipments",
            utc(24, 12),
            8.9,
        ),
    )


def test_an_unroutable_basket_explains_what_the_shelf_lacks_and_what_each_source_has() -> None:
    result = run(
        {"MUG": 2, "LAMP": 3}, {("STORE-001", "MUG"): 1, ("STORE-003", "LAMP"): 1}, (NEAR, FAR)
    )

    assert isinstance(result, Unroutable) and result.missing == {"MUG": 1, "LAMP": 2}
    assert result.explanation == (
        CandidateNote("STORE-001", REJECTED, "the shelf lacks 1 x MUG, 3 x LAMP"),
        CandidateNote(
            "STORE-003",
            CONSIDERED,
            "has 1 x LAMP (ready Tue 13:00), but no plan of at most 2 sources covers the basket",
            utc(24, 12),
            2.8,
        ),
        CandidateNote("STORE-005", REJECTED, "no stock of LAMP, MUG", None, 8.9),
    )


def test_with_no_source_able_to_ship_the_basket_misses_what_the_shelf_lacks() -> None:
    atp = {("STORE-001", "MUG"): 2, ("STORE-001", "LAMP"): 1}

    result = run({"MUG": 2, "LAMP": 3, "CUP": 1}, atp, sources=(SHY,))

    assert isinstance(result, Unroutable) and result.missing == {"LAMP": 2, "CUP": 1}
    assert result.explanation == (
        CandidateNote("STORE-001", REJECTED, "the shelf lacks 2 x LAMP, 1 x CUP"),
        CandidateNote("STORE-004", REJECTED, "does not ship to other locations", None, 4.17),
    )


def test_an_empty_shelf_says_what_it_cannot_cover() -> None:
    result = run({"LAMP": 1, "MUG": 1}, {("DC-01", "LAMP"): 3, ("DC-01", "MUG"): 3})

    assert result.explanation[0] == CandidateNote(
        "STORE-001", REJECTED, "the shelf cannot cover LAMP, MUG"
    )


def test_a_shelf_passed_over_for_one_shipment_says_it_would_be_no_sooner() -> None:
    atp = {("STORE-001", "MUG"): 2, ("DC-01", "LAMP"): 5, ("DC-01", "MUG"): 5}

    result = run({"MUG": 2, "LAMP": 1}, atp, sources=(DC,))

    assert a_plan(result).kind == "SHIP_TO_STORE"
    assert result.explanation[0] == CandidateNote(
        "STORE-001",
        REJECTED,
        "has 2 x MUG but lacks 1 x LAMP; shipping the whole basket is as early",
    )


def test_a_sku_on_several_basket_lines_is_routed_as_their_sum() -> None:
    lines = [BasketLine("MUG", 1), BasketLine("LAMP", 1), BasketLine("MUG", 2)]
    atp = {("STORE-001", "MUG"): 2, ("DC-01", "MUG"): 9, ("DC-01", "LAMP"): 9}

    result = route(
        lines, PICKUP, [DC], [Lane("DC-01", "STORE-001", 1)], atp, RoutingPolicy(), MONDAY_10
    )

    assert a_plan(result).allocations == (
        Allocation("DC-01", "MUG", 3),
        Allocation("DC-01", "LAMP", 1),
    )
