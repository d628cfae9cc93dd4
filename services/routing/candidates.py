"""The search: which sources can ship in, and every plan over at most `max_sources` of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.routing.geo import distance_km
from services.routing.hours import opening_time_after
from services.routing.model import REJECTED, CandidateNote, Lane, RoutingPolicy, Site


@dataclass(frozen=True)
class Source:
    site: Site
    distance: float
    departs: datetime
    arrives: datetime
    ready: datetime
    stock: Mapping[str, int]

    def rank(self) -> tuple[datetime, float, str]:
        return (self.ready, self.distance, self.site.location_id)


@dataclass
class Option:
    kind: str
    local: dict[str, int]
    used: list[tuple[Source, dict[str, int]]]
    ready: datetime
    uncovered: dict[str, int] = field(default_factory=dict)

    def rank(self) -> tuple[datetime, int, float, tuple[str, ...]]:
        return (
            self.ready,
            len(self.used),
            sum(source.distance for source, _ in self.used),
            tuple(source.site.location_id for source, _ in self.used),
        )


def usable_sources(
    need: dict[str, int],
    pickup: Site,
    sites: Sequence[Site],
    lanes: Iterable[Lane],
    atp: Mapping[tuple[str, str], int],
    now: datetime,
) -> tuple[list[Source], list[CandidateNote]]:
    """Sources that could ship something in, and a note for each one that cannot."""
    days = {(lane.source_id, lane.destination_id): lane.transit_days for lane in lanes}
    viable: list[Source] = []
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
        viable.append(Source(site, distance, departs, arrives, ready, stock))
    viable.sort(key=Source.rank)
    return viable, notes


def candidate_plans(
    need: dict[str, int],
    shelf: dict[str, int],
    viable: list[Source],
    policy: RoutingPolicy,
    pick_ready: datetime,
) -> list[Option]:
    """Every plan over at most `max_sources` sources (`viable` in rank order), except those that
    cannot win: once a plan covers the basket, no plan ready later than it is built."""
    options: list[Option] = []
    best: list[Option] = []  # the best covering plan so far (at most one)
    starts = [("SHIP_TO_STORE", {sku: 0 for sku in need})]
    if policy.allow_mixed and any(shelf.values()):
        starts.append(("MIXED", dict(shelf)))
    for kind, local in starts:
        rest = {sku: q - local.get(sku, 0) for sku, q in need.items()}
        for size in range(1, max(policy.max_sources, 0) + 1):
            for combo in _combinations(viable, size, best):
                option = allocate(kind, local, rest, combo, pick_ready)
                options.append(option)
                if not option.uncovered and (not best or option.rank() < best[0].rank()):
                    best[:] = [option]
    return options


def _combinations(
    viable: list[Source], size: int, best: list[Option], start: int = 0
) -> Iterator[tuple[Source, ...]]:
    """The combinations of `size` sources, as itertools gives them, without those whose
    latest source is ready after the best covering plan found so far (they cannot beat it:
    a plan is ready when its latest source is, and plans rank by that first)."""
    for index in range(start, len(viable)):
        source = viable[index]
        if best and source.ready > best[0].ready:
            return  # sorted by ready: every later source is as late
        if size == 1:
            yield (source,)
            continue
        for rest in _combinations(viable, size - 1, best, index + 1):
            yield (source, *rest)


def allocate(
    kind: str,
    local: dict[str, int],
    rest: dict[str, int],
    combo: tuple[Source, ...],
    pick_ready: datetime,
) -> Option:
    """Greedy within a combination: the earliest, then nearest source first."""
    left = {sku: q for sku, q in rest.items() if q > 0}
    used: list[tuple[Source, dict[str, int]]] = []
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
    return Option(kind, {k: v for k, v in local.items() if v > 0}, used, ready, left)
