"""Re-routing one open transfer (operations' `reroute`, or a lost transfer taken over
automatically): plan the same units from another source, reserve them, start the new
transfer(s), and only then give up the old one (cancelled in inventory and its units released
at the source when it was not shipped; its workflow told to stop). The order's route, ready-by
and timeline show it; the customer is told the new ready-by. Each step is a function of the
order's progress."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import notify, record, run_activity
from workflows.order.steps.routing import start_transfers, transfers_for
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from services.common.errors import ErrorKind
    from workflows.contracts import search
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.transfers import TransferInput
    from workflows.order.activities.operations import OperationsActivities
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.payment import PaymentActivities
    from workflows.order.activities.route_types import (
        PlanRouteInput,
        RecordRouteInput,
        RoutePlanResult,
    )
    from workflows.order.activities.routing import RoutingActivities
    from workflows.order.activities.types import ReleaseUnitsInput, ReserveInput
    from workflows.order.operations.rules import (
        keeps_promise,
        moved_allocations,
        routing_reasons,
    )
    from workflows.ship_to_store.workflow import ShipToStoreWorkflow

PRECONDITION = ErrorKind.FAILED_PRECONDITION


async def reroute(
    progress: OrderProgress, transfer_id: str, source_id: str, why: str, limit: datetime | None
) -> Refusal | None:
    """Replaces the transfer; None when done, else why not (nothing changed then). `limit`:
    the latest ready-by the new plan may promise."""
    ops, old = progress.ops, progress.ops.transfers[transfer_id]
    await workflow.wait_condition(lambda: not ops.rerouting)
    if not any(child.id == transfer_id for child in progress.children):
        return None  # replaced meanwhile
    ops.rerouting = True
    try:
        plan = await _plan_instead(progress, old, source_id)
        if isinstance(plan, Refusal):
            return plan
        if not keeps_promise(plan.ready_by, limit):
            return _no_source(old, "no other source can have it ready in reasonable time", plan)
        reservation = await _reserve(progress, plan)
        if isinstance(reservation, Refusal):
            return reservation
        await _start_instead(progress, old, plan, reservation)
        await _give_up(progress, old)
        await _tell(progress, old, plan, why)
        return None
    finally:
        ops.rerouting = False


async def _plan_instead(
    progress: OrderProgress, old: TransferInput, source_id: str
) -> RoutePlanResult | Refusal:
    """A plan for the old transfer's units, unless they arrived meanwhile; a service's refusal
    is returned (nothing was done yet)."""
    try:
        state = await run_activity(progress, OperationsActivities.transfer_state, old.transfer_id)
        if state == "RECEIVED":
            arrived = f"{old.transfer_id} was received"
            return Refusal("TRANSFER_ALREADY_ARRIVED", PRECONDITION, arrived)
        return await _plan(progress, old, source_id)
    except ActivityError as error:
        return business_refusal(error)


async def _plan(
    progress: OrderProgress, old: TransferInput, source_id: str
) -> RoutePlanResult | Refusal:
    """The old transfer's units from the best other source (or from `source_id`)."""
    order, ops = progress.order, progress.ops
    exclude = sorted({old.source_id, *ops.given_up_sources} - {source_id})
    request = PlanRouteInput(order.pickup_store_id, old.lines, workflow.now(), exclude)
    plan: RoutePlanResult = await run_activity(progress, RoutingActivities.plan_route, request)
    if source_id:
        candidates = [c.location_id for c in plan.explanation]
        if source_id not in candidates:
            return Refusal(
                "SOURCE_NOT_A_CANDIDATE",
                PRECONDITION,
                f"{source_id} does not supply {order.pickup_store_id}",
                {"source_id": source_id},
            )
        request.exclude = sorted({*candidates, old.source_id} - {source_id})
        plan = await run_activity(progress, RoutingActivities.plan_route, request)
    if not plan.routable:
        return _no_source(old, "no other source has the units", plan)
    return plan


def _no_source(old: TransferInput, what: str, plan: RoutePlanResult) -> Refusal:
    reasons = routing_reasons(plan.explanation)
    return Refusal(
        "NO_OTHER_SOURCE",
        PRECONDITION,
        f"{what} for {old.transfer_id}: {reasons}",
        {"transfer_id": old.transfer_id, "routing": reasons},
    )


async def _reserve(progress: OrderProgress, plan: RoutePlanResult) -> str | Refusal:
    """The new units reserved (all or nothing) before anything is given up."""
    ops = progress.ops
    ops.reroutes += 1
    reservation = f"{progress.reservation_id}-reroute-{ops.reroutes}"
    reserve = ReserveInput(reservation, progress.order.order_id, "", [], plan.allocations)
    try:
        await run_activity(progress, OrderActivities.reserve_stock, reserve)
    except ActivityError as error:
        return business_refusal(error)
    progress.extra_reservations.append(reservation)
    ops.rerouted[reservation] = sorted({a.sku for a in plan.allocations})
    return reservation


def holding(progress: OrderProgress, sku: str) -> str:
    """The reservation whose units of `sku` the pickup store holds for the order: the last
    re-route that brought it, else the order's last reservation other than re-routes' (what
    holds it when nothing was re-routed)."""
    rerouted = progress.ops.rerouted
    for reservation in reversed(progress.reservations):
        if sku in rerouted.get(reservation, []):
            return reservation
    return [r for r in progress.reservations if r not in rerouted][-1]


async def _start_instead(
    progress: OrderProgress, old: TransferInput, plan: RoutePlanResult, reservation: str
) -> None:
    """Starts the new transfers; the order then waits for them instead of the old one (the
    list it waits on is changed in place, in one step)."""
    waiting_on = progress.children
    await start_transfers(progress, transfers_for(progress, plan, reservation))
    started = progress.children
    waiting_on[:] = [c for c in waiting_on if c.id != old.transfer_id] + started
    progress.children = waiting_on


async def _give_up(progress: OrderProgress, old: TransferInput) -> None:
    wf = workflow.info().workflow_id
    state = await run_activity(progress, OperationsActivities.cancel_transfer, old.transfer_id)
    if state == "CANCELLED":  # not shipped: its units are free again at the source
        for line in old.lines:
            release = ReleaseUnitsInput(
                f"{wf}:give-up:{old.transfer_id}:{line.sku}",
                old.reservation_id,
                old.source_id,
                line.sku,
                line.quantity,
            )
            await run_activity(progress, PaymentActivities.release_units, release)
    if old.source_id not in progress.ops.given_up_sources:
        progress.ops.given_up_sources.append(old.source_id)
    for child in progress.all_children:
        if child.id == old.transfer_id and not child.done():
            await child.signal(ShipToStoreWorkflow.cancel)
    clear_lost(progress, old.transfer_id)


async def _tell(
    progress: OrderProgress, old: TransferInput, plan: RoutePlanResult, why: str
) -> None:
    """The order's route and ready-by, its timeline, and the customer."""
    status, ops = progress.status, progress.ops
    moved = [(line.sku, line.quantity) for line in old.lines]
    status.allocations = moved_allocations(
        status.allocations, old.source_id, moved, plan.allocations
    )
    under_way = [ops.transfers[c.id].ready_by for c in progress.children if not c.done()]
    status.ready_by = max([*under_way, plan.ready_by or workflow.now()])
    new_sources = ", ".join(sorted({a.location_id for a in plan.allocations}))
    route = RoutePlanResult(
        "SHIP_TO_STORE", status.allocations, plan.shipments, status.ready_by, plan.explanation
    )
    await _record_route(progress, route)
    detail = f"{why}; {old.transfer_id} from {old.source_id} replaced by {new_sources}"
    await record(progress, "order_rerouted", detail, step=f"rerouted-{ops.reroutes}")
    await notify(
        progress,
        "ORDER_REROUTED",
        step=f"reroute-{ops.reroutes}",
        store_name=progress.pickup_store.name,
        moments={"ready_by": status.ready_by},
    )


async def _record_route(progress: OrderProgress, route: RoutePlanResult) -> None:
    order = progress.order
    skus = {number: line.sku for number, line in enumerate(order.lines, start=1)}
    request_id = f"{workflow.info().workflow_id}:rerouted-{progress.ops.reroutes}:route"
    try:
        await run_activity(
            progress,
            RoutingActivities.record_route,
            RecordRouteInput(request_id, order.order_id, route, skus),
        )
    except ActivityError as error:  # the record keeps the old route; the order goes on
        workflow.logger.warning("re-route not recorded: %s", business_refusal(error).message)


def clear_lost(progress: OrderProgress, transfer_id: str) -> None:
    """A lost transfer replaced or arrived: operations no longer need to decide about it."""
    ops, status = progress.ops, progress.status
    if transfer_id in ops.waiting:
        ops.waiting.remove(transfer_id)
    if status.transfer_lost and not ops.waiting:
        status.transfer_lost = False
        workflow.upsert_search_attributes([search.TRANSFER_LOST.value_set(False)])
