"""route(): the shelf first, else the best plan of shipments (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from services.routing import explain
from services.routing.candidates import Option, Source, candidate_plans, usable_sources
from services.routing.capacity import queue_note, shelf_busy, shelf_ready
from services.routing.hours import opening_time_after
from services.routing.model import (
    CHOSEN,
    CONSIDERED,
    REJECTED,
    Allocation,
    BasketLine,
    CandidateNote,
    Lane,
    RoutePlan,
    RoutingPolicy,
    Shipment,
    ShipmentLine,
    Site,
    Unroutable,
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
        return _bopis(need, pickup, sources, now)
    viable, notes = usable_sources(need, pickup, sources, lanes, atp, now)
    options = candidate_plans(need, shelf, viable, policy, pick_ready)
    feasible = [o for o in options if not o.uncovered]
    if not feasible:
        short = [_short_note(s, pickup, policy) for s in viable]
        explanation = (_shelf_note(pickup, need, shelf), *short, *notes)
        return Unroutable(_missing(need, shelf, options), explanation)
    best = min(feasible, key=Option.rank)
    return build_plan(best, pickup, viable, notes, pickup_note(pickup, best, need, shelf, policy))


def merged(basket: Iterable[BasketLine]) -> dict[str, int]:
    need: dict[str, int] = {}
    for line in basket:
        need[line.sku] = need.get(line.sku, 0) + line.quantity
    return need


def _bopis(need: dict[str, int], pickup: Site, sources: Sequence[Site], now: datetime) -> RoutePlan:
    """Picked from the shelf: ready when the store's queue lets it be (store capacity)."""
    ready, busy = shelf_ready(pickup, now), shelf_busy(pickup, now)
    why = "the shelf has the whole basket"
    why += queue_note(pickup.capacity, pickup.queued) if busy else ""
    notes = [CandidateNote(pickup.location_id, CHOSEN, why, ready)]
    notes += [
        CandidateNote(s.location_id, CONSIDERED, "not needed: the pickup store has it all")
        for s in sources
        if s.location_id != pickup.location_id
    ]
    allocations = tuple(Allocation(pickup.location_id, sku, q) for sku, q in need.items())
    return RoutePlan("PICKUP_IN_STORE", allocations, (), ready, tuple(notes), busy)


def _missing(need: dict[str, int], shelf: dict[str, int], options: list[Option]) -> dict[str, int]:
    if not options:
        return {sku: q - shelf.get(sku, 0) for sku, q in need.items() if q - shelf.get(sku, 0) > 0}
    closest = min(options, key=lambda o: (sum(o.uncovered.values()), o.rank()))
    return dict(closest.uncovered)


def _shelf_note(pickup: Site, need: dict[str, int], shelf: dict[str, int]) -> CandidateNote:
    short = [f"{q - shelf.get(sku, 0)} x {sku}" for sku, q in need.items() if q > shelf.get(sku, 0)]
    return CandidateNote(pickup.location_id, REJECTED, f"the shelf lacks {', '.join(short)}")


def _short_note(source: Source, pickup: Site, policy: RoutingPolicy) -> CandidateNote:
    site = source.site
    reason = explain.too_little(source.stock, source.ready, pickup.time_zone, policy.max_sources)
    return CandidateNote(site.location_id, CONSIDERED, reason, source.ready, source.distance)


def build_plan(
    best: Option,
    pickup: Site,
    viable: list[Source],
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


def pickup_note(
    pickup: Site,
    best: Option,
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
    source: Source, chosen: dict[str, dict[str, int]], best: Option, tz: str
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
