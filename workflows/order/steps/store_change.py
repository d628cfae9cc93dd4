"""A customer's store change (ChangePickupStore), carried out by the lifecycle while the order
waits to be picked: the basket still to come is routed to the new store and reserved there (its
shelf, or shipped in) before the old store's stock is released, so the order never holds
nothing; then the order, its record, its store queue, its promise and its search attributes
follow the new store. A store that cannot promise the basket refuses the change and nothing
moves. Changes are taken only while the order waits to be picked (AWAITING_PICK): never while
stock travels to the old store (the validator refuses IN_TRANSIT: cancelling transfers under way
is not worth the risk of units on the road for a store that no longer expects them), and not
once picked (READY_FOR_PICKUP: the goods are at the old store's counter)."""

from __future__ import annotations

from dataclasses import replace

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import run_activity, transition, upsert_search_attributes
from workflows.order.steps.lost_transfer import transfers_arrive
from workflows.order.steps.routing import arrived, plan_pick, start_transfers, transfers_for
from workflows.order.steps.self_service import record_fact
from workflows.order.validation import CHANGE_STORE, key
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts import search
    from workflows.contracts.orders import ChangePickupStoreInput, PickupStore
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.transfers import TransferLineInput
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.route_types import (
        MAX_ROUTE_ATTEMPTS,
        PlanRouteInput,
        RecordRouteInput,
        RoutePlanResult,
        out_of_stock,
    )
    from workflows.order.activities.routing import RoutingActivities
    from workflows.order.activities.types import ReserveInput


async def change_store(progress: OrderProgress) -> bool:
    """Carries out the store change asked for, if any. True when the lifecycle is to wait for
    the pick again (the order moved, or the change was refused); False when none was asked for
    or the store picked first (the change is refused, the pick goes on)."""
    asks = progress.self_service
    request = asks.store_change
    if request is None:
        return False
    if progress.picked is not None:
        _answer(progress, request, _overtaken(progress))
        return False
    asks.moving = True
    try:
        reserved = await _reserve_at_new_store(progress, request)
        if isinstance(reserved, Refusal):
            _answer(progress, request, reserved)
            return True
        plan, store, reservation = reserved
        if progress.picked is not None or progress.cancel_request is not None:  # came first
            await run_activity(progress, OrderActivities.release_stock, reservation)
            _answer(progress, request, _overtaken(progress))
            return progress.picked is None
        await _move(progress, request, plan, store, reservation)
    finally:
        asks.moving = False
    _answer(progress, request, None)
    if plan.shipments and await transfers_arrive(progress):
        await arrived(progress)
    return True


async def _reserve_at_new_store(
    progress: OrderProgress, request: ChangePickupStoreInput
) -> tuple[RoutePlanResult, PickupStore, str] | Refusal:
    """The new store, and the basket still to come planned for it and reserved (the old
    reservation untouched); else why not (unknown store, OUT_OF_STOCK …)."""
    try:
        store: PickupStore = request.store or await run_activity(
            progress, OrderActivities.get_pickup_store, request.pickup_store_id
        )
    except ActivityError as error:
        return business_refusal(error)
    basket = _still_to_come(progress)
    reservation = f"order-{progress.status.order_id}-moved-{progress.self_service.moves + 1}"
    refused: Refusal | None = None
    for _ in range(MAX_ROUTE_ATTEMPTS):
        asked = PlanRouteInput(store.store_id, basket, workflow.now())
        plan: RoutePlanResult = await run_activity(progress, RoutingActivities.plan_route, asked)
        if not plan.routable:
            return _cannot_promise(out_of_stock(basket, plan.missing), store)
        reserve = ReserveInput(reservation, progress.status.order_id, "", [], plan.allocations)
        try:
            await run_activity(progress, OrderActivities.reserve_stock, reserve)
        except ActivityError as error:
            refused = business_refusal(error)
            if refused.reason != "OUT_OF_STOCK":
                return refused
            continue  # a concurrent buyer took the stock first: plan again
        return plan, store, reservation
    assert refused is not None
    return _cannot_promise(refused, store)


async def _move(
    progress: OrderProgress,
    request: ChangePickupStoreInput,
    plan: RoutePlanResult,
    store: PickupStore,
    reservation: str,
) -> None:
    """The order follows the new store (the workflow first, then its record), then the old
    store's stock is released; stock to ship in starts on its way."""
    asks, status, old_store = progress.self_service, progress.status, progress.pickup_store
    given_back = list(progress.reservations)
    asks.moves += 1
    asks.placed_store_id = asks.placed_store_id or progress.order.pickup_store_id
    asks.moved_reservation = reservation
    progress.order = replace(progress.order, pickup_store_id=store.store_id, store=store)
    progress.store, progress.plan = store, plan
    status.pickup_store_id = store.store_id
    status.allocations, status.route_explanation = plan.allocations, plan.explanation
    status.fulfillment_type = "SHIP_TO_STORE" if plan.shipments else "PICKUP_IN_STORE"
    await _record_route(progress, plan)
    if plan.shipments:
        status.state, status.ready_by, status.pick_deadline = (  # no pick before it arrives
            OrderState.IN_TRANSIT,
            plan.ready_by,
            None,
        )
    else:
        await plan_pick(progress)
    overdue, status.pick_overdue = status.pick_overdue, False
    await record_fact(
        progress,
        "pickup_store_changed",
        f"from {old_store.name} to {store.name}",
        request.request_id,
        pickup_store_id=store.store_id,
        ready_by=status.ready_by,
        pick_deadline=status.pick_deadline,
        pick_overdue=False if overdue else None,
    )
    asks.released += given_back
    for old in given_back:
        await run_activity(progress, OrderActivities.release_stock, old)
    workflow.upsert_search_attributes([search.PICKUP_STORE_ID.value_set(store.store_id)])
    upsert_search_attributes(progress)
    if plan.shipments:
        await _ship_in(progress, plan, reservation)


async def _ship_in(progress: OrderProgress, plan: RoutePlanResult, reservation: str) -> None:
    await start_transfers(progress, transfers_for(progress, plan, reservation))
    sources = ", ".join(s.source_id for s in plan.shipments)
    await transition(
        progress,
        OrderState.IN_TRANSIT,
        "order_rerouted",
        f"shipping to {progress.pickup_store.name} from {sources}",
        ready_by=plan.ready_by,
    )


async def _record_route(progress: OrderProgress, plan: RoutePlanResult) -> None:
    order = progress.order
    skus = {number: line.sku for number, line in enumerate(order.lines, start=1)}
    request_id = f"{workflow.info().workflow_id}:store-change-{progress.self_service.moves}:route"
    route = RecordRouteInput(request_id, order.order_id, plan, skus)
    await run_activity(progress, RoutingActivities.record_route, route)


def _still_to_come(progress: OrderProgress) -> list[TransferLineInput]:
    """The basket less the units cancelled since it was placed (short picks)."""
    lines = [
        TransferLineInput(line.sku, line.quantity - progress.cancelled_units.get(line.sku, 0))
        for line in progress.order.lines
    ]
    return [line for line in lines if line.quantity > 0]


def _cannot_promise(refused: Refusal, store: PickupStore) -> Refusal:
    """The router's refusal, said of the new store; nothing changed."""
    message = f"{store.name} cannot promise this order: {refused.message}"
    metadata = {**refused.metadata, "store_id": store.store_id}
    return replace(refused, message=message, metadata=metadata)


def _overtaken(progress: OrderProgress) -> Refusal:
    """The store picked the order, or it was cancelled, before the change was carried out."""
    if progress.picked is not None:
        reason, message = "ORDER_BEING_PICKED", "the store picked the order first"
    else:
        reason, message = "ORDER_NOT_CHANGEABLE", "the order is being cancelled"
    return Refusal.flat(
        reason, "FAILED_PRECONDITION", message, {"state": progress.status.state}, {}
    )


def _answer(
    progress: OrderProgress, request: ChangePickupStoreInput, refused: Refusal | None
) -> None:
    asks = progress.self_service
    asks.answers[key(CHANGE_STORE, request.request_id)] = refused
    asks.store_change = None
