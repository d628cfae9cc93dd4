"""Payloads of routing inside the order workflow: the plan, where units come from, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflows.ship_to_store.types import TransferLineInput

PICKUP_IN_STORE_KIND = "PICKUP_IN_STORE"
MAX_ROUTE_ATTEMPTS = 8


@dataclass
class AllocationRow:
    location_id: str
    sku: str
    quantity: int


@dataclass
class ShipmentPlan:
    source_id: str
    lines: list[TransferLineInput]
    departs_at: datetime
    arrives_at: datetime
    ready_by: datetime


@dataclass
class CandidateRow:
    location_id: str
    verdict: str
    reason: str
    ready_by: datetime | None = None
    distance_km: float = 0.0


@dataclass
class RoutePlanResult:
    """The router's answer: PICKUP_IN_STORE, SHIP_TO_STORE, MIXED, or UNROUTABLE (+ missing)."""

    kind: str
    allocations: list[AllocationRow]
    shipments: list[ShipmentPlan]
    ready_by: datetime | None
    explanation: list[CandidateRow]
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def routable(self) -> bool:
        return self.kind != "UNROUTABLE"


@dataclass
class PlanRouteInput:
    pickup_store_id: str
    lines: list[TransferLineInput]
    now: datetime
    # Locations whose stock must not be used (e.g. the shelf that just came up short).
    exclude: list[str] = field(default_factory=list)
    # Units already reserved (a converted hold): plan their shipments, do not choose sources.
    fixed: list[AllocationRow] = field(default_factory=list)


@dataclass
class RecordRouteInput:
    request_id: str
    order_id: str
    plan: RoutePlanResult
    # line number -> sku, to attach allocations to order lines
    line_skus: dict[int, str]


@dataclass
class ConvertHoldInput:
    hold_id: str
    order_id: str
    # The customer converting it; empty: the customer the order was recorded for.
    customer_id: str = ""
