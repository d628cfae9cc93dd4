"""Routing: where the units of a pick-up order come from, and when they can be collected.

A library, not a process: the gateway (pickup options) and the worker (routing activities) both
import it, and it imports neither of them. The rules are pure (no I/O, no clock, no gRPC,
Temporal or storage): ``model`` (what the router takes and gives), ``planner`` and
``candidates`` (the search), ``held`` (plans for units already held), ``explain`` (the words of a
decision), ``capacity`` (how a store's queue pushes its shelf promise later), ``alternatives``
(every plan weighed, with its verdict: what-if routing for operations), ``hours``
(opening-hours arithmetic, also used by the stores service and the workflows' deadlines) and
``geo`` (distances). ``network`` reads the router's inputs from the
stores and inventory services through the caller's own way of calling a stub, and keeps
locations and lanes a few seconds.

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

from services.routing.held import plan_allocations
from services.routing.model import (
    CHOSEN,
    CONSIDERED,
    REJECTED,
    Allocation,
    BasketLine,
    CandidateNote,
    Lane,
    RoutePlan,
    RouteRequest,
    RoutingPolicy,
    Shipment,
    ShipmentLine,
    Site,
    Unroutable,
)
from services.routing.planner import merged, route

__all__ = [
    "CHOSEN",
    "CONSIDERED",
    "REJECTED",
    "Allocation",
    "BasketLine",
    "CandidateNote",
    "Lane",
    "RoutePlan",
    "RouteRequest",
    "RoutingPolicy",
    "Shipment",
    "ShipmentLine",
    "Site",
    "Unroutable",
    "merged",
    "plan_allocations",
    "route",
]
