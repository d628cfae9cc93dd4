"""Routing: where the units of a pick-up order come from. Pure rules, no I/O.

BOPIS when the pickup store's available-to-promise covers the whole basket. Otherwise the basket
(or, in a mixed plan, what the store's shelf lacks) is shipped in from other locations that ship
and have a lane to the pickup store, split over at most `policy.max_sources` of them. Among the
feasible plans the earliest ready-by wins, then the fewest shipments, then the shortest total
distance of the sources, then location ids (deterministic).

Available-to-promise already excludes reservations and safety stock, so a store never ships away
stock below its safety stock. Times: a source dispatches after its dispatch minutes counted in its
opening hours; the transfer arrives `transit_days` calendar days later; it is ready after the
pickup store's receiving minutes counted in the pickup store's opening hours.

Plans compared: shipping the whole basket, and (when `policy.allow_mixed`) a mixed plan that
picks everything the shelf has and ships only the rest; either uses up to `max_sources`
shipments (the shelf is not counted as a source). The sources tried are every combination of at
most `max_sources` locations that ship, have a lane and hold some of the basket; within one, units
are taken greedily from the earliest, then nearest source. A mixed plan is ready when its last
part is (the shelf pick or a shipment); it wins over shipping everything only when it is sooner
or needs fewer or nearer shipments. Every candidate gets a note, also when nothing can serve the
basket. The search grows with C(sources, max_sources): keep `max_sources` small (2 or 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from services.stores.domain import distance_km
from services.stores.hours import DayHours, opening_time_after
from workflows import routing_explain as explain

CHOSEN, REJECTED, CONSIDERED = "CHOSEN", "REJECTED", "CONSIDERED"


@dataclass(frozen=True)
class BasketLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Site:
    location_id: str
    kind: str  # STORE or DC
    latitude: float
    longitude: float
    time_zone: str
    opening_hours: Sequence[DayHours]
    # Pickup store: minutes to pick. Source: minutes to pick and dispatch a transfer.
    pick_minutes: int
    receiving_minutes: int = 60
    ships: bool = True


@dataclass(frozen=True)
class Lane:
    source_id: str
    destination_id: str
    transit_days: int


@dataclass(frozen=True)
class RoutingPolicy:
    max_sources: int = 2
    allow_mixed: bool = True


@dataclass(frozen=True)
class Allocation:
    location_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class ShipmentLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Shipment:
    source_id: str
    lines: tuple[ShipmentLine, ...]
    departs_at: datetime
    arrives_at: datetime
    ready_by: datetime


@dataclass(frozen=True)
class CandidateNote:
    location_id: str
    verdict: str
    reason: str
    ready_by: datetime | None = None
    distance_km: float = 0.0


@dataclass(frozen=True)
class RoutePlan:
    kind: str  # PICKUP_IN_STORE, SHIP_TO_STORE or MIXED
    allocations: tuple[Allocation, ...]
    shipments: tuple[Shipment, ...]
    ready_by: datetime
    explanation: tuple[CandidateNote, ...]


@dataclass(frozen=True)
class Unroutable:
    missing: Mapping[str, int]
    explanation: tuple[CandidateNote, ...]


@dataclass(frozen=True)
class _Source:
    site: Site
    distance: float
    departs: datetime
    arrives: datetime
    ready: datetime
    stock: Mapping[str, int]

    def rank(self) -> tuple[datetime, float, str]:
        return (self.ready, self.distance, self.site.location_id)


@dataclass
class _Option:
    kind: str
    local: dict[str, int]
    used: list[tuple[_Source, dict[str, int]]]
    ready: datetime
    uncovered: dict[str, int] = field(default_factory=dict)

    def rank(self) -> tuple[datetime, int, float, tuple[str, ...]]:
        return (
            self.ready,
            len(self.used),
            sum(source.distance for source, _ in self.used),
            tuple(source.site.location_id for source, _ in self.used),
        )


def route(
    basket: Iterable[BasketLine],
    pickup: Site,
    sources: Sequence[Site],
    lanes: Iterable[Lane],
    atp: Mapping[tuple[str, str], int],
    policy: RoutingPolicy,
    now: datetime,
) -> RoutePlan | Unroutable:
    need = merged(basket)
    pick_ready = opening_time_after(
        now, pickup.pick_minutes, pickup.opening_hours, pickup.time_zone
    )
    shelf = {sku: min(max(atp.get((pickup.location_id, sku), 0), 0), q) for sku, q in need.items()}
    if shelf == need:
        return _bopis(need, pickup, sources, pick_ready)
    viable, notes = _sources(need, pickup, sources, lanes, atp, now)
    options = _options(need, shelf, viable, policy, pick_ready)
    feasible = [o for o in options if not o.uncovered]
    if not feasible:
        short = [_short_note(s, pickup, policy) for s in viable]
        explanation = (_shelf_note(pickup, need, shelf), *short, *notes)
        return Unroutable(_missing(need, shelf, options), explanation)
    best = min(feasible, key=_Option.rank)
    return _plan(best, pickup, viable, notes, _pickup_note(pickup, best, need, shelf, policy))


def merged(basket: Iterable[BasketLine]) -> dict[str, int]:
    need: dict[str, int] = {}
    for line in basket:
        need[line.sku] = need.get(line.sku, 0) + line.quantity
    return need


def _bopis(
    need: dict[str, int], pickup: Site, sources: Sequence[Site], ready: datetime
) -> RoutePlan:
    notes = [CandidateNote(pickup.location_id, CHOSEN, "the shelf has the whole basket", ready)]
    notes += [
        CandidateNote(s.location_id, CONSIDERED, "not needed: the pickup store has it all")
        for s in sources
        if s.location_id != pickup.location_id
    ]
    allocations = tuple(Allocation(pickup.location_id, sku, q) for sku, q in need.items())
    return RoutePlan("PICKUP_IN_STORE", allocations, (), ready, tuple(notes))


def _sources(
    need: dict[str, int],
    pickup: Site,
    sites: Sequence[Site],
    lanes: Iterable[Lane],
    atp: Mapping[tuple[str, str], int],
    now: datetime,
) -> tuple[list[_Source], list[CandidateNote]]:
    """Sources that could ship something in, and a note for each one that cannot."""
    days = {(lane.source_id, lane.destination_id): lane.transit_days for lane in lanes}
    viable: list[_Source] = []
    notes: list[CandidateNote] = []
    for site in sites:
        if site.location_id == pickup.location_id:
            continue
        distance = round(
            distance_km(site.latitude, site.longitude, pickup.latitude, pickup.longitude), 2
        )
        stock = {sku: min(atp.get((site.location_id, sku), 0), q) for sku, q in need.items()}
        stock = {sku: q for sku, q in stock.items() if q > 0}
        transit = days.get((site.location_id, pickup.location_id))
        reason = (
            "does not ship to other locations"
            if not site.ships
            else f"no lane to {pickup.location_id}"
            if transit is None
            else f"no stock of {', '.join(sorted(need))}"
            if not stock
            else ""
        )
        if reason or transit is None:
            notes.append(CandidateNote(site.location_id, REJECTED, reason, None, distance))
            continue
        departs = opening_time_after(now, site.pick_minutes, site.opening_hours, site.time_zone)
        arrives = departs + timedelta(days=transit)
        ready = opening_time_after(
            arrives, pickup.receiving_minutes, pickup.opening_hours, pickup.time_zone
        )
        viable.append(_Source(site, distance, departs, arrives, ready, stock))
    viable.sort(key=_Source.rank)
    return viable, notes


def _options(
    need: dict[str, int],
    shelf: dict[str, int],
    viable: list[_Source],
    policy: RoutingPolicy,
    pick_ready: datetime,
) -> list[_Option]:
    options: list[_Option] = []
    starts = [("SHIP_TO_STORE", {sku: 0 for sku in need})]
    if policy.allow_mixed and any(shelf.values()):
        starts.append(("MIXED", dict(shelf)))
    for kind, local in starts:
        rest = {sku: q - local.get(sku, 0) for sku, q in need.items()}
        for size in range(1, max(policy.max_sources, 0) + 1):
            for combo in combinations(viable, size):
                options.append(_allocate(kind, local, rest, combo, pick_ready))
    return options


def _allocate(
    kind: str,
    local: dict[str, int],
    rest: dict[str, int],
    combo: tuple[_Source, ...],
    pick_ready: datetime,
) -> _Option:
    """Greedy within a combination: the earliest, then nearest source first."""
    left = {sku: q for sku, q in rest.items() if q > 0}
    used: list[tuple[_Source, dict[str, int]]] = []
    for source in combo:
        taken = {sku: min(q, source.stock.get(sku, 0)) for sku, q in left.items()}
        taken = {sku: q for sku, q in taken.items() if q > 0}
        if taken:
            used.append((source, taken))
            left = {
                sku: q - taken.get(sku, 0) for sku, q in left.items() if q - taken.get(sku, 0) > 0
            }
    readies = [source.ready for source, _ in used]
    if kind == "MIXED":
        readies.append(pick_ready)
    ready = max(readies) if readies else pick_ready
    return _Option(kind, {k: v for k, v in local.items() if v > 0}, used, ready, left)


def _missing(need: dict[str, int], shelf: dict[str, int], options: list[_Option]) -> dict[str, int]:
    if not options:
        return {sku: q - shelf.get(sku, 0) for sku, q in need.items() if q - shelf.get(sku, 0) > 0}
    closest = min(options, key=lambda o: (sum(o.uncovered.values()), o.rank()))
    return dict(closest.uncovered)


def _shelf_note(pickup: Site, need: dict[str, int], shelf: dict[str, int]) -> CandidateNote:
    short = [f"{q - shelf.get(sku, 0)} x {sku}" for sku, q in need.items() if q > shelf.get(sku, 0)]
    return CandidateNote(pickup.location_id, REJECTED, f"the shelf lacks {', '.join(short)}")


def _short_note(source: _Source, pickup: Site, policy: RoutingPolicy) -> CandidateNote:
    site = source.site
    reason = explain.too_little(source.stock, source.ready, pickup.time_zone, policy.max_sources)
    return CandidateNote(site.location_id, CONSIDERED, reason, source.ready, source.distance)


def _plan(
    best: _Option,
    pickup: Site,
    viable: list[_Source],
    notes: list[CandidateNote],
    pickup_note: CandidateNote,
) -> RoutePlan:
    allocations = [Allocation(pickup.location_id, sku, q) for sku, q in best.local.items()]
    shipments = []
    for source, taken in best.used:
        allocations += [Allocation(source.site.location_id, sku, q) for sku, q in taken.items()]
        lines = tuple(ShipmentLine(sku, q) for sku, q in taken.items())
        shipments.append(
            Shipment(source.site.location_id, lines, source.departs, source.arrives, source.ready)
        )
    chosen = {source.site.location_id: taken for source, taken in best.used}
    explanation = [
        pickup_note,
        *(_source_note(s, chosen, best, pickup.time_zone) for s in viable),
        *notes,
    ]
    kind = "MIXED" if best.local and shipments else best.kind
    return RoutePlan(kind, tuple(allocations), tuple(shipments), best.ready, tuple(explanation))


def _pickup_note(
    pickup: Site,
    best: _Option,
    need: Mapping[str, int],
    shelf: Mapping[str, int],
    policy: RoutingPolicy,
) -> CandidateNote:
    if best.local:
        reason = f"picks {explain.items(best.local)} from its shelf"
        return CandidateNote(pickup.location_id, CHOSEN, reason)
    if any(shelf.values()):
        lacks = {sku: q - shelf.get(sku, 0) for sku, q in need.items()}
        reason = explain.shelf_unused(shelf, lacks, policy.allow_mixed)
        return CandidateNote(pickup.location_id, REJECTED, reason)
    short = ", ".join(sorted(need))
    return CandidateNote(pickup.location_id, REJECTED, f"the shelf cannot cover {short}")


def _source_note(
    source: _Source, chosen: dict[str, dict[str, int]], best: _Option, tz: str
) -> CandidateNote:
    site = source.site
    taken = chosen.get(site.location_id)
    days = (source.arrives - source.departs).days
    if taken:
        reason = explain.ships(taken, days, source.ready, tz)
        return CandidateNote(site.location_id, CHOSEN, reason, source.ready, source.distance)
    if source.ready > best.ready:
        chosen_ids = list(chosen) or ["the shelf"]
        reason = explain.later(chosen_ids, source.ready, best.ready, tz)
    else:
        reason = explain.not_needed(source.stock)
    return CandidateNote(site.location_id, CONSIDERED, reason, source.ready, source.distance)


def plan_allocations(
    allocations: Sequence[Allocation],
    pickup: Site,
    sources: Sequence[Site],
    lanes: Iterable[Lane],
    now: datetime,
) -> RoutePlan | Unroutable:
    """The shipments and ready-by of a plan decided earlier (a checkout hold): the units stay
    where they were reserved. Unroutable when a held source can no longer ship to the store."""
    held: dict[tuple[str, str], int] = {}
    for a in allocations:
        held[(a.location_id, a.sku)] = held.get((a.location_id, a.sku), 0) + a.quantity
    need: dict[str, int] = {}
    for (_, sku), quantity in held.items():
        need[sku] = need.get(sku, 0) + quantity
    pick_ready = opening_time_after(
        now, pickup.pick_minutes, pickup.opening_hours, pickup.time_zone
    )
    viable, notes = _sources(need, pickup, sources, lanes, held, now)
    by_id = {source.site.location_id: source for source in viable}
    local = {sku: q for (loc, sku), q in held.items() if loc == pickup.location_id}
    used: list[tuple[_Source, dict[str, int]]] = []
    for location_id in sorted({loc for loc, _ in held if loc != pickup.location_id}):
        if location_id not in by_id:
            missing = {sku: q for (loc, sku), q in held.items() if loc == location_id}
            return Unroutable(missing, tuple(notes))
        taken = {sku: q for (loc, sku), q in held.items() if loc == location_id}
        used.append((by_id[location_id], taken))
    readies = [source.ready for source, _ in used] + ([pick_ready] if local else [])
    kind = "PICKUP_IN_STORE" if not used else "MIXED" if local else "SHIP_TO_STORE"
    option = _Option(kind, local, used, max(readies, default=pick_ready))
    pickup_note = _pickup_note(pickup, option, need, local, RoutingPolicy())
    return _plan(option, pickup, [s for s, _ in used], notes, pickup_note)
