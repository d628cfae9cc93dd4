"""Short picks: the associate could not find (or found damaged) some units. The shelf is
corrected; the missing units are shipped in from another location when one has them (the customer
gets a new ready-by), otherwise they are cancelled and their money released. Each step is a
function of the order's progress."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import notify, run_activity, transition
from workflows.order.steps.lost_transfer import transfers_arrive
from workflows.order.steps.reroute import holding
from workflows.order.steps.routing import arrived, start_transfers, transfers_for

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts.orders import AllocationRow, CancelInput, MissingLineInput
    from workflows.contracts.transfers import TransferLineInput
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.route_types import (
        PlanRouteInput,
        RecordRouteInput,
        RoutePlanResult,
        rerouted_allocations,
    )
    from workflows.order.activities.routing import RoutingActivities
    from workflows.order.activities.short_pick import ShortPickActivities
    from workflows.order.activities.types import CancelLinesInput, ReserveInput, ShortPickInput
    from workflows.shared.message_params import priced, store_params

REPICK, READY, CANCELLED = "REPICK", "READY", "CANCELLED"


async def settle_short_pick(progress: OrderProgress, missing: list[MissingLineInput]) -> str:
    """REPICK when the missing units arrived from elsewhere, READY when they were cancelled
    and the rest can go to the counter, CANCELLED when nothing is left or the order was
    cancelled while waiting."""
    step = len(progress.extra_reservations) + 1
    for item in missing:
        await run_activity(
            progress,
            ShortPickActivities.record_short_pick,
            ShortPickInput(
                f"{workflow.info().workflow_id}:short-pick-{step}:{item.sku}",
                holding(progress, item.sku),
                progress.order.pickup_store_id,
                item.sku,
                item.quantity,
                item.reason,
            ),
        )
    plan = await _reroute(progress, missing, step)
    if plan is not None:
        return await _ship_in(progress, plan, missing)
    return await _cancel_missing(progress, missing, step)


async def _reroute(
    progress: OrderProgress, missing: list[MissingLineInput], step: int
) -> RoutePlanResult | None:
    """Plans and reserves the missing units elsewhere; None when no location has them."""
    order = progress.order
    lines = [TransferLineInput(m.sku, m.quantity) for m in missing]
    request = PlanRouteInput(
        order.pickup_store_id, lines, workflow.now(), exclude=[order.pickup_store_id]
    )
    plan: RoutePlanResult = await run_activity(progress, RoutingActivities.plan_route, request)
    if not plan.routable or not plan.shipments:
        return None
    reservation = f"{progress.reservation_id}-{step}"
    reserve = ReserveInput(reservation, order.order_id, "", [], plan.allocations)
    try:
        await run_activity(progress, OrderActivities.reserve_stock, reserve)
    except ActivityError:
        return None
    progress.extra_reservations.append(reservation)
    return plan


async def _ship_in(
    progress: OrderProgress, plan: RoutePlanResult, missing: list[MissingLineInput]
) -> str:
    ready_by = plan.ready_by
    if progress.version >= 1:
        await _record_reroute(progress, plan, missing)
    progress.status.ready_by = ready_by
    sources = ", ".join(s.source_id for s in plan.shipments)
    await transition(
        progress,
        OrderState.IN_TRANSIT,
        "order_rerouted",
        f"missing units ship from {sources}",
        ready_by=ready_by,
    )
    await notify(
        progress,
        "ORDER_DELAYED",
        moments={"ready_by": ready_by or workflow.now()},
        **store_params(progress.pickup_store),
    )
    await start_transfers(progress, transfers_for(progress, plan, progress.extra_reservations[-1]))
    if not await transfers_arrive(progress):
        return CANCELLED
    progress.picked = None  # before AWAITING_PICK: the next pick may come at once
    await arrived(progress)
    return REPICK


async def _record_reroute(
    progress: OrderProgress, plan: RoutePlanResult, missing: list[MissingLineInput]
) -> None:
    """The order's lines show where each unit now comes from: the missing units from the
    new sources instead of the pickup store's shelf."""
    order = progress.order
    allocations = rerouted_allocations(
        _allocations(progress), missing, plan.allocations, order.pickup_store_id
    )
    progress.status.allocations = allocations
    merged = RoutePlanResult(
        "SHIP_TO_STORE", allocations, plan.shipments, plan.ready_by, plan.explanation
    )
    skus = {number: line.sku for number, line in enumerate(order.lines, start=1)}
    step = len(progress.extra_reservations)
    request_id = f"{workflow.info().workflow_id}:order_rerouted-{step}:route"
    await run_activity(
        progress,
        RoutingActivities.record_route,
        RecordRouteInput(request_id, order.order_id, merged, skus),
    )
    progress.status.fulfillment_type = "SHIP_TO_STORE"


def _allocations(progress: OrderProgress) -> list[AllocationRow]:
    """Where the order's units come from now (the pickup store's shelf by default)."""
    if progress.status.allocations:
        return list(progress.status.allocations)
    store = progress.order.pickup_store_id
    return [AllocationRow(store, line.sku, line.quantity) for line in progress.order.lines]


async def _cancel_missing(
    progress: OrderProgress, missing: list[MissingLineInput], step: int
) -> str:
    order = progress.order
    numbers = {line.sku: n for n, line in enumerate(order.lines, start=1)}
    prices = {line.sku: line.unit_price_minor for line in order.lines}
    amount = sum(m.quantity * prices[m.sku] for m in missing)
    reason = ", ".join(sorted({m.reason for m in missing}))
    wf = workflow.info().workflow_id
    await run_activity(
        progress,
        ShortPickActivities.cancel_lines,
        CancelLinesInput(
            f"{wf}:cancel-lines-{step}",
            order.order_id,
            {numbers[m.sku]: m.quantity for m in missing},
            reason,
        ),
    )
    progress.cancelled_minor += amount
    for m in missing:
        progress.cancelled_units[m.sku] = progress.cancelled_units.get(m.sku, 0) + m.quantity
    remaining = order.total_minor - progress.cancelled_minor
    if amount > 0 and remaining > 0:
        payment = progress.payment(f"reduce-{step}")
        payment.amount_minor = amount
        await run_activity(progress, ShortPickActivities.reduce_authorization, payment)
    await _tell_lines_cancelled(progress, missing, amount, remaining)
    if remaining <= 0:
        progress.cancel_request = CancelInput(
            f"{wf}:unfulfillable", "nothing could be picked", "store"
        )
        return CANCELLED
    return READY


async def _tell_lines_cancelled(
    progress: OrderProgress, missing: list[MissingLineInput], amount: int, remaining: int
) -> None:
    cancelled: dict[str, int] = {}
    for m in missing:
        cancelled[m.sku] = cancelled.get(m.sku, 0) + m.quantity
    await notify(
        progress,
        "LINES_CANCELLED",
        lines=priced(progress.order.lines, cancelled),
        released_minor=str(amount),
        remaining_minor=str(max(remaining, 0)),
        currency_code=progress.order.currency_code,
    )
