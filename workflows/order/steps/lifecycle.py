"""An order's life after PlaceOrder, as steps of its progress (progress.py):

open (checkout_steps: recorded, stock and money secured, pickup store read) → accepted (the answer
to PlaceOrder) → [transfers from other locations] → awaiting pick (pick deadline; escalation when
passed; a short pick shipped in or cancelled, short_pick_steps) → ready for pickup (pickup code,
notification, pickup window with a reminder) → hand-over (handover_steps) → picked up.
A cancel and an expired window compensate: release, void, notify."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import await_input, notify, record, run_activity, since, transition
from workflows.order.steps.checkout import open_order
from workflows.order.steps.handover import hand_over, keep_authorization, settle_money
from workflows.order.steps.lost_transfer import transfers_arrive
from workflows.order.steps.payment_link import LAPSED, await_payment
from workflows.order.steps.pickup_window import wait_for_handover
from workflows.order.steps.routing import (
    arrived,
    plan_pick,
    record_route,
    start_transfers,
    transfers_for,
)
from workflows.order.steps.short_pick import CANCELLED as SHORT_PICK_CANCELLED
from workflows.order.steps.short_pick import READY as SHORT_PICK_READY
from workflows.order.steps.short_pick import settle_short_pick
from workflows.order.steps.store_change import change_store

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts.orders import Decision, OrderOutcome
    from workflows.order.activities.order import OrderActivities
    from workflows.order.types import REAUTHORIZE, STORE_ESCALATION_MAIL
    from workflows.shared.message_params import basket_params, store_params

REMINDER_BEFORE_EXPIRY = timedelta(days=1)


async def lifecycle(progress: OrderProgress) -> OrderOutcome:
    refused = await open_order(progress)
    if refused is not None:
        return refused
    if progress.cancel_request is not None:  # cancelled before the customer had an answer
        return await _cancel_before_answer(progress)
    if progress.order.payment_link is not None:  # placed: the customer pays by the link
        progress.decision = Decision(True, progress.order.order_id, order_view=progress.opened_view)
        if not await await_payment(progress):
            return await compensate(progress)
    if progress.hold is not None and since(progress, REAUTHORIZE):
        progress.renewing = asyncio.create_task(keep_authorization(progress, progress.hold))
    await _accept(progress)
    if progress.plan is not None and progress.plan.shipments:
        if not await transfers_arrive(progress):
            return await compensate(progress)
        await arrived(progress)
    if await _picked_in_full_or_settled(progress):
        await _make_ready(progress)
        while await _wait_for_handover(progress):
            if await hand_over(progress):
                return progress.outcome()
    return await compensate(progress)


async def _cancel_before_answer(progress: OrderProgress) -> OrderOutcome:
    assert progress.cancel_request is not None
    progress.decision = Decision(
        False,
        progress.order.order_id,
        "ORDER_CANCELLED",
        f"the order was cancelled by {progress.cancel_request.requested_by}",
    )
    return await compensate(progress)


async def _accept(progress: OrderProgress) -> None:
    plan, status, store = progress.plan, progress.status, progress.pickup_store
    paid_by = progress.link.paid_by  # paid by a link: the payment's request id
    if progress.routed and not progress.opened_at_once:
        await record_route(progress)
    if plan is not None and plan.shipments and plan.ready_by:
        ready_by = plan.ready_by
        await start_transfers(progress, transfers_for(progress, plan, progress.reservation_id))
        sources = ", ".join(s.source_id for s in plan.shipments)
        await transition(
            progress,
            OrderState.IN_TRANSIT,
            "order_accepted",
            f"shipping to {store.name} from {sources}",
            command=paid_by,
            ready_by=ready_by,
        )
    elif progress.opened_at_once and status.ready_by is not None and not paid_by:
        ready_by = status.ready_by  # accepted when opened
    else:
        ready_by = await plan_pick(progress)
        await transition(
            progress,
            OrderState.AWAITING_PICK,
            "order_accepted",
            f"to pick at {store.name}",
            command=paid_by,
            ready_by=ready_by,
            pick_deadline=status.pick_deadline,
        )
    progress.decision = Decision(True, progress.order.order_id, order_view=progress.opened_view)
    basket = basket_params(progress.order.lines, progress.order.currency_code)
    moments = {"ready_by": ready_by}
    await notify(progress, "ORDER_CONFIRMED", moments=moments, **store_params(store), **basket)


async def _picked_in_full_or_settled(progress: OrderProgress) -> bool:
    """Waits for the pick; a short pick is settled (shipped in and picked again, or
    cancelled). False when the order is to be cancelled."""
    while await _wait_until_picked(progress):
        if await change_store(progress):  # moved (or refused): the pick is awaited again
            continue
        missing = progress.picked.missing if progress.picked else []
        if not missing:
            return True
        settled = await settle_short_pick(progress, missing)
        if settled == SHORT_PICK_CANCELLED:
            return False
        if settled == SHORT_PICK_READY:
            return True
    return False


async def _wait_until_picked(progress: OrderProgress) -> bool:
    """True once picked; False when cancelled first. Escalates once at the pick deadline."""
    deadline = progress.status.pick_deadline or workflow.now()
    asks = progress.self_service  # a store change is carried out between picks
    picked = lambda: bool(progress.picked or progress.cancel_request or asks.store_change)  # noqa: E731
    if not await await_input(progress, picked, deadline):
        progress.status.pick_overdue = True
        await record(progress, "pick_overdue", "pick deadline passed", pick_overdue=True)
        moments = {"pick_deadline": deadline}
        await notify(progress, "PICK_OVERDUE", to_ops=True, moments=moments)
        store_email = progress.pickup_store.email
        if store_email and since(progress, STORE_ESCALATION_MAIL):
            await notify(progress, "PICK_OVERDUE", to=store_email, moments=moments)
        await await_input(progress, picked)
    return progress.cancel_request is None


async def _make_ready(progress: OrderProgress) -> None:
    picked, store = progress.picked, progress.pickup_store
    progress.pickup_code = f"{workflow.random().randint(0, 999_999):06d}"
    expires = workflow.now() + store.pickup_window
    progress.status.pickup_expire_time = expires
    await transition(
        progress,
        OrderState.READY_FOR_PICKUP,
        "order_ready_for_pickup",
        f"picked by {picked.associate or 'the store'}" if picked else "picked",
        command=picked.request_id if picked else "",
        pickup_code=progress.pickup_code,
        pickup_expire_time=expires,
    )
    await notify(
        progress,
        "READY_FOR_PICKUP",
        pickup_code=progress.pickup_code,
        moments={"collect_by": expires, "sent_at": workflow.now()},
        **store_params(store),
    )


async def _wait_for_handover(progress: OrderProgress) -> bool:
    """True when handed over; False when cancelled or the window ran out (state says which)."""
    if progress.self_service.enabled:  # a window that can move (pickup_window.py)
        return await wait_for_handover(progress)
    expires = progress.status.pickup_expire_time or workflow.now()
    remind_at = expires - REMINDER_BEFORE_EXPIRY
    arrived = lambda: bool(progress.handover or progress.cancel_request)  # noqa: E731
    if remind_at > workflow.now() and not await await_input(progress, arrived, remind_at):
        await notify(
            progress,
            "PICKUP_REMINDER",
            pickup_code=progress.pickup_code,
            moments={"collect_by": expires},
            **store_params(progress.pickup_store),
        )
    if not await await_input(progress, arrived, expires):
        progress.status.state_reason = "PICKUP_WINDOW_EXPIRED"
        return False
    return progress.handover is not None and progress.cancel_request is None


async def compensate(progress: OrderProgress) -> OrderOutcome:
    """Cancel or expiry: stock back on the shelf, hold on the card let go, customer told."""
    await settle_money(progress)
    progress.money_done = True
    for reservation in progress.reservations:
        await run_activity(progress, OrderActivities.release_stock, reservation)
    await run_activity(progress, OrderActivities.void_payment, progress.payment("void"))
    cancel = progress.cancel_request
    if progress.link.ended == LAPSED:
        await transition(
            progress,
            OrderState.CANCELLED,
            "order_cancelled",
            "not paid by the payment link before it lapsed",
            state_reason="PAYMENT_LINK_EXPIRED",
        )
        await notify(progress, "ORDER_CANCELLED", reason="it was not paid in time")
    elif cancel is not None:
        reason, by = cancel.reason or "cancelled", cancel.requested_by
        await transition(
            progress,
            OrderState.CANCELLED,
            "order_cancelled",
            f"by {by}: {reason}",
            command=cancel.request_id,
            state_reason=f"CANCELLED_BY_{by.upper()}",
        )
        await notify(progress, "ORDER_CANCELLED", reason=reason)
    else:
        await transition(
            progress,
            OrderState.EXPIRED,
            "order_expired",
            "not collected in time",
            state_reason="PICKUP_WINDOW_EXPIRED",
        )
        await notify(progress, "ORDER_EXPIRED")
    return progress.outcome()
