"""Payloads of routing inside the order workflow: the plan, where units come from, and why; and
the way between them and the router's own model (``services.routing``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.common.errors import ErrorKind
from services.routing.model import Allocation, BasketLine, RoutePlan, RouteRequest, Unroutable
from workflows.contracts.orders import AllocationRow, CandidateRow, merged_allocations
from workflows.contracts.refusal import Refusal
from workflows.contracts.transfers import TransferLineInput

PICKUP_IN_STORE_KIND = "PICKUP_IN_STORE"
MAX_ROUTE_ATTEMPTS = 8  # plan-and-reserve rounds lost to concurrent buyers before giving up


@dataclass
class ShipmentPlan:
    source_id: str
    lines: list[TransferLineInput]
    departs_at: datetime
    arrives_at: datetime
    ready_by: datetime


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


def rerouted_allocations(
    current: list[AllocationRow], missing: list[Any], added: list[AllocationRow], store_id: str
) -> list[AllocationRow]:
    """The allocations after a short pick was re-routed: the missing units (objects with `sku`
    and `quantity`) leave the rows of their sku (the pickup store's first), the new sources'
    rows come in; rows of one location and sku are merged, empty ones dropped."""
    rows = [AllocationRow(a.location_id, a.sku, a.quantity) for a in current]
    rows.sort(key=lambda row: row.location_id != store_id)
    for item in missing:
        left = item.quantity
        for row in rows:
            if row.sku == item.sku and left > 0:
                taken = min(row.quantity, left)
                row.quantity -= taken
                left -= taken
    return merged_allocations([*rows, *added])


def out_of_stock(basket: list[TransferLineInput], missing: dict[str, int]) -> Refusal:
    """What was asked and what the network can supply, for every sku that falls short."""
    asked = {line.sku: line.quantity for line in basket}
    short = [(sku, asked.get(sku, q), asked.get(sku, q) - q) for sku, q in missing.items()]
    details = "; ".join(f"{want} x {sku} asked, {have} available" for sku, want, have in short)
    sku, requested, available = short[0] if short else ("", 0, 0)
    metadata = {
        "sku": sku,
        "requested": str(requested),
        "available": str(max(available, 0)),
        "skus": ",".join(missing),
    }
    return Refusal(
        "OUT_OF_STOCK", ErrorKind.FAILED_PRECONDITION, f"not enough stock: {details}", metadata
    )


def route_request(request: PlanRouteInput) -> RouteRequest:
    """What the router is asked for a PlanRouteInput."""
    return RouteRequest(
        pickup_store_id=request.pickup_store_id,
        basket=[BasketLine(line.sku, line.quantity) for line in request.lines],
        now=request.now,
        exclude=list(request.exclude),
        fixed=[Allocation(a.location_id, a.sku, a.quantity) for a in request.fixed],
    )


def to_result(result: RoutePlan | Unroutable) -> RoutePlanResult:
    """The router's answer as the workflow carries it (distances rounded to 10 m)."""
    explanation = [
        CandidateRow(n.location_id, n.verdict, n.reason, n.ready_by, round(n.distance_km, 2))
        for n in result.explanation
    ]
    if isinstance(result, Unroutable):
        return RoutePlanResult("UNROUTABLE", [], [], None, explanation, dict(result.missing))
    return RoutePlanResult(
        kind=result.kind,
        allocations=[AllocationRow(a.location_id, a.sku, a.quantity) for a in result.allocations],
        shipments=[
            ShipmentPlan(
                s.source_id,
                [TransferLineInput(x.sku, x.quantity) for x in s.lines],
                s.departs_at,
                s.arrives_at,
                s.ready_by,
            )
            for s in result.shipments
        ],
        ready_by=result.ready_by,
        explanation=explanation,
    )
