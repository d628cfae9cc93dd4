"""Plans decided earlier (a checkout hold): shipments and ready-by for units already placed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from services.routing.candidates import Option, Source, usable_sources
from services.routing.capacity import shelf_busy, shelf_ready
from services.routing.hours import opening_time_after
from services.routing.model import Allocation, Lane, RoutePlan, RoutingPolicy, Site, Unroutable
from services.routing.planner import build_plan, pickup_note


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
    viable, notes = usable_sources(need, pickup, sources, lanes, held, now)
    by_id = {source.site.location_id: source for source in viable}
    local = {sku: q for (loc, sku), q in held.items() if loc == pickup.location_id}
    used: list[tuple[Source, dict[str, int]]] = []
    for location_id in sorted({loc for loc, _ in held if loc != pickup.location_id}):
        if location_id not in by_id:
            missing = {sku: q for (loc, sku), q in held.items() if loc == location_id}
            return Unroutable(missing, tuple(notes))
        taken = {sku: q for (loc, sku), q in held.items() if loc == location_id}
        used.append((by_id[location_id], taken))
    if not used:  # all on the shelf: ready when the store's queue lets it be
        pick_ready = shelf_ready(pickup, now)
    readies = [source.ready for source, _ in used] + ([pick_ready] if local else [])
    kind = "PICKUP_IN_STORE" if not used else "MIXED" if local else "SHIP_TO_STORE"
    option = Option(kind, local, used, max(readies, default=pick_ready))
    note = pickup_note(pickup, option, need, local, RoutingPolicy())
    plan = build_plan(option, pickup, [s for s, _ in used], notes, note)
    return replace(plan, busy=not used and shelf_busy(pickup, now))
