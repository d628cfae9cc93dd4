"""Routing inside the order workflow: plan where the units come from, reserve the plan
all-or-nothing (re-planning when a concurrent buyer took the stock first), record the decision,
and run one ShipToStore child per shipment. Each step is a function of the order's progress."""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import await_input, run_activity, transition
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from services.common.errors import ErrorKind
    from services.common.order_states import OrderState
    from workflows.contracts.ids import transfer_id
    from workflows.contracts.orders import AllocationRow
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.transfers import TransferInput, TransferLineInput
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.route_types import (
        MAX_ROUTE_ATTEMPTS,
        ConvertHoldInput,
        PlanRouteInput,
        RecordRouteInput,
        RoutePlanResult,
        out_of_stock,
    )
    from workflows.order.activities.routing import RoutingActivities
    from workflows.order.activities.types import PlanPickupTimesInput, ReserveInput
    from workflows.ship_to_store.activities import TransferActivities
    from workflows.ship_to_store.types import ShipmentRecord
    from workflows.ship_to_store.workflow import ShipToStoreWorkflow


async def route_and_reserve(progress: OrderProgress) -> Refusal | None:
    """Plans and reserves; None when reserved, else the refusal (OUT_OF_STOCK …)."""
    order = progress.order
    if order.hold_id:
        return await _convert_hold(progress)
    basket = [TransferLineInput(line.sku, line.quantity) for line in order.lines]
    refused: Refusal | None = None
    for _ in range(MAX_ROUTE_ATTEMPTS):
        plan: RoutePlanResult = await run_activity(
            progress,
            RoutingActivities.plan_route,
            PlanRouteInput(order.pickup_store_id, basket, workflow.now()),
        )
        if not plan.routable:
            return out_of_stock(basket, plan.missing)
        reserve = ReserveInput(
            progress.reservation_id, order.order_id, "", [], allocations=plan.allocations
        )
        try:
            await run_activity(progress, OrderActivities.reserve_stock, reserve)
        except ActivityError as error:
            refused = business_refusal(error)
            if refused.reason != "OUT_OF_STOCK":
                return refused
            # a concurrent buyer got there first: plan again with fresh stock (at once: the
            # plan sees what the winner took; orders of version 0 paused a moment first)
            if progress.version < 1:
                await asyncio.sleep(workflow.random().uniform(0.05, 0.5))
            continue
        progress.plan = plan
        return None
    return refused


async def _convert_hold(progress: OrderProgress) -> Refusal | None:
    """The checkout hold becomes the order's reservation; its units decide the plan."""
    order = progress.order
    try:
        held: list[AllocationRow] = await run_activity(
            progress,
            RoutingActivities.convert_hold,
            ConvertHoldInput(order.hold_id, order.order_id, order.customer_id),
        )
    except ActivityError as error:
        return business_refusal(error)
    basket = [TransferLineInput(line.sku, line.quantity) for line in order.lines]
    if sorted((a.sku, a.quantity) for a in _merged(held)) != sorted(
        (line.sku, line.quantity) for line in basket
    ):
        await run_activity(progress, OrderActivities.release_stock, order.hold_id)
        return Refusal(
            "HOLD_MISMATCH", ErrorKind.FAILED_PRECONDITION, "the hold is for another basket"
        )
    request = PlanRouteInput(order.pickup_store_id, basket, workflow.now(), fixed=held)
    progress.plan = await run_activity(progress, RoutingActivities.plan_route, request)
    if progress.plan is None or not progress.plan.routable:
        await run_activity(progress, OrderActivities.release_stock, order.hold_id)
        return Refusal(
            "OUT_OF_STOCK",
            ErrorKind.FAILED_PRECONDITION,
            "the held stock can no longer reach the store",
        )
    return None


async def record_route(progress: OrderProgress) -> None:
    order, plan, status = progress.order, progress.plan, progress.status
    assert plan is not None
    skus = {number: line.sku for number, line in enumerate(order.lines, start=1)}
    record = RecordRouteInput(
        f"{workflow.info().workflow_id}:order_routed", order.order_id, plan, skus
    )
    await run_activity(progress, RoutingActivities.record_route, record)
    status.fulfillment_type = "SHIP_TO_STORE" if plan.shipments else "PICKUP_IN_STORE"
    status.ready_by = plan.ready_by
    status.allocations = plan.allocations
    status.route_explanation = plan.explanation


def transfers_for(
    progress: OrderProgress, plan: RoutePlanResult, reservation_id: str
) -> list[TransferInput]:
    """One transfer per shipment, numbered in order across the life of the order."""
    order = progress.order
    transfers = []
    for shipment in plan.shipments:
        progress.transfers_started += 1
        transfers.append(
            TransferInput(
                order_id=order.order_id,
                transfer_id=transfer_id(order.order_id, progress.transfers_started),
                reservation_id=reservation_id,
                source_id=shipment.source_id,
                destination_id=order.pickup_store_id,
                lines=shipment.lines,
                expected_arrival=shipment.arrives_at,
                ready_by=shipment.ready_by,
                store_email=progress.pickup_store.email,
            )
        )
    return transfers


async def _record_planned(progress: OrderProgress, transfers: list[TransferInput]) -> None:
    """The order shows its shipments (with expected dates) before the transfers start."""
    for t in transfers:
        await run_activity(
            progress,
            TransferActivities.record_shipment,
            ShipmentRecord(
                f"{t.transfer_id}:planned",
                t.order_id,
                t.transfer_id,
                t.source_id,
                "PLANNED",
                t.lines,
                t.expected_arrival,
                t.ready_by,
            ),
        )


async def start_transfers(progress: OrderProgress, transfers: list[TransferInput]) -> None:
    """Records the shipments on the order and starts a ShipToStore child for each, so the
    transfers exist (and can be shipped) by the time anyone sees the order."""
    await _record_planned(progress, transfers)
    progress.ops.transfers.update({t.transfer_id: t for t in transfers})
    progress.children = [
        await workflow.start_child_workflow(ShipToStoreWorkflow.run, t, id=t.transfer_id)
        for t in transfers
    ]
    progress.all_children += progress.children


async def transfers_arrive(progress: OrderProgress) -> bool:
    """Waits for every started transfer to be received. False when the order was cancelled
    meanwhile (the transfers are told to stop)."""
    children = progress.children
    await await_input(
        progress,
        lambda: all(child.done() for child in children) or progress.cancel_request is not None,
    )
    if progress.cancel_request is None:
        return True
    for child in children:
        if not child.done():
            await child.signal(ShipToStoreWorkflow.cancel)
    return False


async def plan_pick(progress: OrderProgress) -> datetime:
    """Sets the pick deadline (counted in the pickup store's opening hours from now); returns
    the ready-by."""
    times = await run_activity(
        progress,
        OrderActivities.plan_pickup_times,
        PlanPickupTimesInput(progress.pickup_store, workflow.now()),
    )
    progress.status.ready_by, progress.status.pick_deadline = times.ready_by, times.pick_deadline
    return times.ready_by


async def arrived(progress: OrderProgress) -> None:
    """Everything is at the pickup store: the store picks it against a fresh deadline."""
    await plan_pick(progress)
    await transition(
        progress,
        OrderState.AWAITING_PICK,
        "transfers_received",
        f"all stock at {progress.pickup_store.name}; to pick",
        pick_deadline=progress.status.pick_deadline,
    )


def _merged(rows: list[AllocationRow]) -> list[AllocationRow]:
    by_sku: dict[str, int] = {}
    for row in rows:
        by_sku[row.sku] = by_sku.get(row.sku, 0) + row.quantity
    return [AllocationRow("", sku, quantity) for sku, quantity in by_sku.items()]
