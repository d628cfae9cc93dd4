"""What the router takes and gives: baskets, sites, lanes, plans and the notes explaining them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.routing.capacity import Capacity
from services.routing.hours import DayHours

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
    # Pickup store: how many orders it can pick (store capacity) and how many are queued there.
    capacity: Capacity = field(default_factory=Capacity)
    queued: int = 0


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
    # Picked at a store whose queue makes it promise later than it would idle.
    busy: bool = False


@dataclass(frozen=True)
class Unroutable:
    missing: Mapping[str, int]
    explanation: tuple[CandidateNote, ...]


@dataclass(frozen=True)
class RouteRequest:
    """One basket to route to one pickup store. ``exclude``: locations whose stock must not be
    used (the shelf that just came up short); ``fixed``: units already reserved (a converted
    hold), whose shipments are planned instead of choosing sources."""

    pickup_store_id: str
    basket: Sequence[BasketLine]
    now: datetime
    exclude: Sequence[str] = ()
    fixed: Sequence[Allocation] = field(default_factory=tuple)
