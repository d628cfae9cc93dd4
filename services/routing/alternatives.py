"""What-if routing (pure): every plan the router weighs for a basket and a pickup store — the
shelf (BOPIS), shipping from each source, splits over up to ``max_sources`` of them, mixed plans
— each with its verdict (CHOSEN, or REJECTED with the reason) and its ready-by. The verdicts are
the router's own (``planner.route`` decides; this module only lists and words the rest), so what
operations read is what an order would get. Nothing is reserved: it is arithmetic on stock
levels.

The list grows with C(sources, max_sources): it tries the ``MAX_SOURCES_TRIED`` earliest sources
(and whichever the chosen plan uses), and lists a split only when each of its sources gives
something (a split where one gives nothing is the smaller plan again)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from services.routing import explain
from services.routing.candidates import Option, Source, allocate, usable_sources
from services.routing.capacity import queue_note, shelf_busy, shelf_ready
from services.routing.hours import opening_time_after
from services.routing.model import (
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
from services.routing.planner import merged, route

MAX_SOURCES_TRIED = 8
SHELF = "PICKUP_IN_STORE"


@dataclass(frozen=True)
class PlanCandidate:
    kind: str  # PICKUP_IN_STORE, SHIP_TO_STORE or MIXED
    allocations: tuple[Allocation, ...]
    sources: tuple[str, ...]  # the locations shipping in, in the plan's order
    ready_by: datetime | None  # None: the plan cannot cover the basket
    verdict: str  # CHOSEN or REJECTED
    reason: str
    missing: tuple[BasketLine, ...] = ()


@dataclass(frozen=True)
class RouteExplained:
    result: RoutePlan | Unroutable
    candidates: tuple[PlanCandidate, ...]


def explain_route(
    basket: Iterable[BasketLine],
    pickup: Site,
    sources: Sequence[Site],
    lanes: Iterable[Lane],
    atp: Mapping[tuple[str, str], int],
    policy: RoutingPolicy,
    now: datetime,
) -> RouteExplained:
    lines, lane_list = list(basket), list(lanes)
    result = route(lines, pickup, sources, lane_list, atp, policy, now)
    need = merged(lines)
    shelf = {sku: min(max(atp.get((pickup.location_id, sku), 0), 0), q) for sku, q in need.items()}
    options = [_shelf_option(need, shelf, pickup, now)]
    options += _shipping_options(need, shelf, pickup, sources, lane_list, atp, policy, now, result)
    chosen = _chosen(options, result, pickup.location_id)
    ordered = sorted(options, key=lambda o: (o is not chosen, _covering_rank(o)))
    return RouteExplained(result, tuple(_candidate(o, chosen, pickup, now) for o in ordered))


def _shelf_option(
    need: dict[str, int], shelf: dict[str, int], pickup: Site, now: datetime
) -> Option:
    lacks = {sku: q - shelf.get(sku, 0) for sku, q in need.items() if q > shelf.get(sku, 0)}
    local = {sku: q for sku, q in shelf.items() if q > 0}
    return Option(SHELF, local, [], shelf_ready(pickup, now), lacks)


def _shipping_options(
    need: dict[str, int],
    shelf: dict[str, int],
    pickup: Site,
    sites: Sequence[Site],
    lanes: list[Lane],
    atp: Mapping[tuple[str, str], int],
    policy: RoutingPolicy,
    now: datetime,
    result: RoutePlan | Unroutable,
) -> list[Option]:
    """Every split over the sources tried, shipping everything or (mixed) only what the shelf
    lacks; a split is listed only when each of its sources gives something."""
    viable, _ = usable_sources(need, pickup, sites, lanes, atp, now)
    used = {s.source_id for s in result.shipments} if isinstance(result, RoutePlan) else set()
    tried = [s for i, s in enumerate(viable) if i < MAX_SOURCES_TRIED or s.site.location_id in used]
    pick_ready = opening_time_after(
        now, pickup.pick_minutes, pickup.opening_hours, pickup.time_zone
    )
    starts = [("SHIP_TO_STORE", {sku: 0 for sku in need})]
    if policy.allow_mixed and any(shelf.values()) and shelf != need:
        starts.append(("MIXED", dict(shelf)))
    options = []
    for kind, local in starts:
        rest = {sku: q - local.get(sku, 0) for sku, q in need.items()}
        for size in range(1, max(policy.max_sources, 0) + 1):
            for combo in combinations(tried, size):
                option = allocate(kind, local, rest, combo, pick_ready)
                if len(option.used) == size:
                    options.append(option)
    return options


def _rows(option: Option, pickup_id: str) -> tuple[Allocation, ...]:
    units: dict[tuple[str, str], int] = {}
    for sku, q in option.local.items():
        units[(pickup_id, sku)] = units.get((pickup_id, sku), 0) + q
    for source, taken in option.used:
        for sku, q in taken.items():
            key = (source.site.location_id, sku)
            units[key] = units.get(key, 0) + q
    return tuple(Allocation(loc, sku, q) for (loc, sku), q in sorted(units.items()) if q > 0)


def _chosen(options: list[Option], result: RoutePlan | Unroutable, pickup_id: str) -> Option | None:
    """The listed option that is the router's plan (None when nothing can serve the basket)."""
    if not isinstance(result, RoutePlan):
        return None
    wanted = _merged_rows(result.allocations)
    for option in options:
        if not option.uncovered and _rows(option, pickup_id) == wanted:
            return option
    return None


def _merged_rows(allocations: Iterable[Allocation]) -> tuple[Allocation, ...]:
    units: dict[tuple[str, str], int] = {}
    for a in allocations:
        units[(a.location_id, a.sku)] = units.get((a.location_id, a.sku), 0) + a.quantity
    return tuple(Allocation(loc, sku, q) for (loc, sku), q in sorted(units.items()) if q > 0)


def _covering_rank(option: Option) -> tuple[int, tuple[datetime, int, float, tuple[str, ...]]]:
    return (sum(option.uncovered.values()), option.rank())


def _candidate(option: Option, chosen: Option | None, pickup: Site, now: datetime) -> PlanCandidate:
    covers = not option.uncovered
    return PlanCandidate(
        kind=option.kind,
        allocations=_rows(option, pickup.location_id),
        sources=tuple(source.site.location_id for source, _ in option.used),
        ready_by=option.ready if covers else None,
        verdict=CHOSEN if option is chosen else REJECTED,
        reason=_reason(option, chosen, pickup, now),
        missing=tuple(BasketLine(sku, q) for sku, q in option.uncovered.items()),
    )


def _reason(option: Option, chosen: Option | None, pickup: Site, now: datetime) -> str:
    tz = pickup.time_zone
    if option.uncovered:
        lacks = option.uncovered
        return explain.shelf_lacks(lacks) if option.kind == SHELF else explain.cannot_cover(lacks)
    if chosen is None:  # cannot happen: a plan that covers the basket is always chosen
        return explain.tied()
    if option is chosen:
        if option.kind == SHELF:
            busy = shelf_busy(pickup, now)
            return "the shelf has the whole basket" + (
                queue_note(pickup.capacity, pickup.queued) if busy else ""
            )
        return explain.earliest(option.ready, tz, len(option.used))
    if chosen.kind == SHELF:
        return explain.shelf_first()
    return _ranked_after(option, chosen, tz)


def _ranked_after(option: Option, chosen: Option, tz: str) -> str:
    if option.ready > chosen.ready:
        return explain.later_plan(option.ready, chosen.ready, tz)
    if len(option.used) > len(chosen.used):
        return explain.more_shipments(len(option.used), len(chosen.used))
    km, chosen_km = _distance(option.used), _distance(chosen.used)
    if km > chosen_km:
        return explain.farther(km, chosen_km)
    return explain.tied()


def _distance(used: list[tuple[Source, dict[str, int]]]) -> float:
    return sum(source.distance for source, _ in used)
