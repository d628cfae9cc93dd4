"""How an order opens: recorded, its stock and money secured, and its pickup store kept in the
order's progress (the rest of its life takes the store's name, hours, time zone, pickup window
and e-mail from there, never reading them again).

New orders (workflow version 1 on, without a checkout hold) open in one local activity: the stock
secured (the shelf first) and the order opened in one call (recorded, routed, paid and, to pick at
the shelf, accepted); the answer to PlaceOrder needs nothing else. Orders of version 0 and orders
with a checkout hold open in steps: recorded, the pickup store taken (from the order, as the
checkout read it, from version 2 on; read otherwise), routed and reserved (or the hold converted),
then the card authorized. Either way a refusal is recorded (REJECTED with its reason) and
nothing stays held."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import (
    refused,
    run_activity,
    since,
    transition,
    upsert_search_attributes,
)
from workflows.order.steps.routing import route_and_reserve
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts.orders import OrderOutcome, PickupStore
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.checkout import CheckedOut, CheckoutActivities, CheckOutInput
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.types import ReserveInput
    from workflows.order.types import ROUTING


async def open_order(progress: OrderProgress) -> OrderOutcome | None:
    """Opens the order; None once it is open (the pickup store known), else the outcome of the
    refusal."""
    if progress.version >= 1 and not progress.order.hold_id:
        return await check_out(progress)
    return await open_stepwise(progress)


async def check_out(progress: OrderProgress) -> OrderOutcome | None:
    """In one call; when refused, the checkout already recorded it and holds nothing."""
    wf = workflow.info().workflow_id
    now = workflow.now()
    checkout = CheckOutInput(f"{wf}:open", progress.reservation_id, progress.order, now)
    try:
        done: CheckedOut = await run_activity(progress, CheckoutActivities.check_out, checkout)
    except ActivityError as error:
        return _rejected(progress, business_refusal(error))
    _opened(progress, done)
    return None


def _opened(progress: OrderProgress, done: CheckedOut) -> None:
    plan, to_pick, status = done.plan, not done.plan.shipments, progress.status
    link = progress.order.payment_link
    progress.store = done.store
    progress.plan = plan
    progress.hold = done.authorization if link is None else None
    progress.opened_at_once = True
    answered = to_pick or link is not None
    progress.opened_view = done.order_view if answered else ""  # the answer to PlaceOrder
    status.fulfillment_type = "PICKUP_IN_STORE" if to_pick else "SHIP_TO_STORE"
    status.allocations = plan.allocations
    status.route_explanation = plan.explanation
    status.ready_by = done.pick_deadline or plan.ready_by
    if link is not None:  # waits for the customer to pay (steps/payment_link.py)
        status.state = progress.recorded_state = OrderState.AWAITING_PAYMENT
        status.payment_due_time = link.due
        upsert_search_attributes(progress)
    elif to_pick:  # accepted by the opening: the workflow holds the state it recorded
        status.state = progress.recorded_state = OrderState.AWAITING_PICK
        status.pick_deadline = done.pick_deadline
        upsert_search_attributes(progress)


def _rejected(progress: OrderProgress, refusal: Refusal) -> OrderOutcome:
    """A refusal the checkout already recorded (the order REJECTED with its reason)."""
    progress.status.state = progress.recorded_state = OrderState.REJECTED
    progress.status.state_reason = refusal.reason
    upsert_search_attributes(progress)
    progress.decision = refused(progress, refusal)
    return progress.outcome()


async def open_stepwise(progress: OrderProgress) -> OrderOutcome | None:
    """Orders of version 0 and checkout holds: recorded, then stock and money secured in
    steps."""
    order = progress.order
    try:
        await run_activity(progress, OrderActivities.create_order, order)
    except ActivityError as error:  # the orders service refused the order itself
        progress.decision = refused(progress, business_refusal(error))
        progress.status.state, progress.status.state_reason = (
            OrderState.REJECTED,
            progress.decision.reason,
        )
        return progress.outcome()
    progress.store = await _pickup_store(progress)
    progress.routed = since(progress, ROUTING)
    refusal = await _secure_stock_and_money(progress)
    if refusal is not None:
        return await _reject(progress, refusal)
    return None


async def _pickup_store(progress: OrderProgress) -> PickupStore:
    """The pickup store as the checkout read it (version 2 on); read here when the order does
    not carry it (orders of versions 0 and 1)."""
    order = progress.order
    if progress.version >= 2 and order.store is not None:
        return order.store
    store: PickupStore = await run_activity(
        progress, OrderActivities.get_pickup_store, order.pickup_store_id
    )
    return store


async def _secure_stock_and_money(progress: OrderProgress) -> Refusal | None:
    order = progress.order
    if progress.routed:
        refusal = await route_and_reserve(progress)
        if refusal is not None:
            return refusal
    else:  # orders started before routing existed: the pickup store's shelf only
        reserve = ReserveInput(
            progress.reservation_id, order.order_id, order.pickup_store_id, order.lines
        )
        try:
            await run_activity(progress, OrderActivities.reserve_stock, reserve)
        except ActivityError as error:
            return business_refusal(error)
    try:
        progress.hold = await run_activity(
            progress, OrderActivities.authorize_payment, progress.payment("authorize")
        )
    except ActivityError as error:
        refusal = business_refusal(error)
        await run_activity(progress, OrderActivities.release_stock, progress.reservation_id)
        return refusal
    return None


async def _reject(progress: OrderProgress, refusal: Refusal) -> OrderOutcome:
    await transition(
        progress,
        OrderState.REJECTED,
        "order_rejected",
        refusal.message,
        state_reason=refusal.reason,
    )
    progress.decision = refused(progress, refusal)
    return progress.outcome()
