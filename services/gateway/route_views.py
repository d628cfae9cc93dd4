"""Route explanations for operations: the router's what-if answer as the public message
(``gateway.v1.RouteExplanation``), and the store queues it counts (store capacity). Used by
OpsService.ExplainRoute and by GetPickupOptions called with an ops token."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from clickcollect.gateway.v1 import order_views_pb2, routes_pb2
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from services.gateway.reads import ask
from services.routing.alternatives import PlanCandidate, RouteExplained
from services.routing.capacity import shelf_busy
from services.routing.model import CHOSEN, CandidateNote, RoutePlan, Site
from services.routing.network import Queues

_KINDS = {
    "PICKUP_IN_STORE": routes_pb2.PLAN_KIND_PICKUP_IN_STORE,
    "SHIP_TO_STORE": routes_pb2.PLAN_KIND_SHIP_TO_STORE,
    "MIXED": routes_pb2.PLAN_KIND_MIXED,
}


def store_queues(orders: orders_pb2_grpc.OrderServiceAsyncStub) -> Queues:
    """How the router reads the orders queued at stores: one count in the orders service."""

    async def count(store_ids: Sequence[str]) -> Mapping[str, int]:
        request = orders_pb2.CountStoreQueueRequest(store_ids=list(store_ids))
        answer = await ask(orders.CountStoreQueue, request)
        return {q.store_id: q.queued_orders for q in answer.queues}

    return count


def explanation_of(
    explained: RouteExplained, pickup: Site, now: datetime
) -> routes_pb2.RouteExplanation:
    """The public explanation; busy: the store's queue pushes its shelf promise later now."""
    result = explained.result
    message = routes_pb2.RouteExplanation(
        store_id=pickup.location_id,
        store_busy=shelf_busy(pickup, now),
        queued_orders=pickup.queued,
        orders_per_hour=pickup.capacity.orders_per_hour,
        daily_pickup_limit=pickup.capacity.daily_limit,
        plans=[_plan_of(c) for c in explained.candidates],
        locations=[_location_of(n) for n in result.explanation],
    )
    if isinstance(result, RoutePlan):
        message.ready_by.FromDatetime(result.ready_by)
    return message


def _plan_of(candidate: PlanCandidate) -> routes_pb2.CandidatePlan:
    plan = routes_pb2.CandidatePlan(
        kind=_KINDS.get(candidate.kind, routes_pb2.PLAN_KIND_UNSPECIFIED),
        source_ids=list(candidate.sources),
        allocations=[
            routes_pb2.PlanAllocation(location_id=a.location_id, sku=a.sku, quantity=a.quantity)
            for a in candidate.allocations
        ],
        verdict=routes_pb2.PLAN_VERDICT_CHOSEN
        if candidate.verdict == CHOSEN
        else routes_pb2.PLAN_VERDICT_REJECTED,
        reason=candidate.reason,
        missing=[
            routes_pb2.MissingUnits(sku=m.sku, quantity=m.quantity) for m in candidate.missing
        ],
    )
    if candidate.ready_by is not None:
        plan.ready_by.FromDatetime(candidate.ready_by)
    return plan


def _location_of(note: CandidateNote) -> order_views_pb2.RouteCandidate:
    location = order_views_pb2.RouteCandidate(
        location_id=note.location_id,
        verdict=note.verdict,
        reason=note.reason,
        distance_km=note.distance_km,
    )
    if note.ready_by is not None:
        location.ready_by.FromDatetime(note.ready_by)
    return location
