"""Money around the hand-over: the card hold is renewed before it lapses while the order waits,
and at the counter exactly what the customer took is charged (units left behind go back on the
shelf, their lines are cancelled and their part of the hold released). Each step is a function
of the order's progress."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import notify, record, run_activity, since, transition
from workflows.steps import business_refusal, wait_until

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.payment import PaymentActivities
    from workflows.order.activities.short_pick import ShortPickActivities
    from workflows.order.activities.types import (
        AuthorizationResult,
        CancelLinesInput,
        PlanReleaseInput,
        ReleaseUnitsInput,
    )
    from workflows.order.types import PARTIAL_PICKUP

# Renew this long before the hold lapses (a quarter of its lifetime when that is shorter).
REAUTHORIZE_AHEAD = timedelta(hours=12)


async def keep_authorization(progress: OrderProgress, hold: AuthorizationResult) -> None:
    """Runs beside the lifecycle from acceptance until the money is captured or let go:
    re-authorizes each time the current hold nears its end. While a hand-over is under way
    it waits; a hand-over whose payment was refused sends it back to watching the hold."""
    authorized_at = workflow.now()
    while hold.lifetime_seconds > 0 and not progress.money_done:
        lifetime = timedelta(seconds=hold.lifetime_seconds)
        progress.self_service.hold_lapses_at = authorized_at + lifetime
        renew_at = authorized_at + lifetime - min(REAUTHORIZE_AHEAD, lifetime / 4)
        if await wait_until(lambda: progress.money_settling, renew_at):
            await workflow.wait_condition(
                lambda: progress.money_done or not progress.money_settling
            )
            continue
        progress.renewals += 1
        step = f"reauthorize-{progress.renewals}"
        progress.reauthorizing = True
        try:
            hold = await run_activity(
                progress, PaymentActivities.reauthorize_payment, progress.payment(step)
            )
        except ActivityError as error:
            refused = business_refusal(error)
            await record(
                progress,
                "reauthorization_failed",
                f"{refused.reason}: {refused.message}",
                f"{step}-failed",
            )
            await notify(
                progress, "REAUTHORIZATION_FAILED", to_ops=True, reason=refused.message or "refused"
            )
            return
        finally:
            progress.reauthorizing = False
        authorized_at = workflow.now()


async def settle_money(progress: OrderProgress) -> None:
    """No renewal starts after this, and one under way finishes first."""
    progress.money_settling = True
    await workflow.wait_condition(lambda: not progress.reauthorizing)


async def hand_over(progress: OrderProgress) -> bool:
    """Charges what the customer takes, then lets the goods go. False when the payment was
    refused: nothing changed hands, the order stays ready and operations are told."""
    handover = progress.handover
    assert handover is not None
    await settle_money(progress)
    left_behind = _left_behind(progress)
    partial = bool(left_behind) and since(progress, PARTIAL_PICKUP)
    progress.capture_attempts += 1
    attempt = progress.capture_attempts
    capture = progress.payment("capture" if attempt == 1 else f"capture-{attempt}")
    capture.amount_minor -= _value(progress, left_behind) if partial else 0
    try:
        await run_activity(progress, OrderActivities.capture_payment, capture)
    except ActivityError as error:
        await _refuse_handover(progress, business_refusal(error), attempt)
        return False
    if partial:
        await _put_back(progress, left_behind)
    for reservation in progress.reservations:
        await run_activity(progress, OrderActivities.commit_stock, reservation)
    taken = "" if not left_behind else " (" + _units(left_behind) + " left behind)"
    await transition(
        progress,
        OrderState.PICKED_UP,
        "order_picked_up",
        f"collected by {handover.collector_name}{taken}",
        command=handover.request_id,
        collected_by=handover.collector_name,
    )
    progress.money_done = True
    await notify(progress, "ORDER_PICKED_UP")
    return True


async def _refuse_handover(progress: OrderProgress, refused: Refusal, attempt: int) -> None:
    reason = refused.message or refused.reason or "refused"
    await record(progress, "capture_refused", reason, f"capture-refused-{attempt}")
    await notify(progress, "CAPTURE_REFUSED", to_ops=True, reason=reason)
    progress.handover_refusal = refused
    progress.handover = None
    progress.money_settling = False


def _left_behind(progress: OrderProgress) -> dict[str, int]:
    """Units at the counter the customer did not take (an empty list means all taken)."""
    order, handover = progress.order, progress.handover
    if handover is None or not handover.collected:
        return {}
    taken = {line.sku: 0 for line in order.lines}
    for line in handover.collected:
        taken[line.sku] += line.quantity
    left = {
        line.sku: line.quantity - progress.cancelled_units.get(line.sku, 0) - taken[line.sku]
        for line in order.lines
    }
    return {sku: quantity for sku, quantity in left.items() if quantity > 0}


def _value(progress: OrderProgress, units: dict[str, int]) -> int:
    prices = {line.sku: line.unit_price_minor for line in progress.order.lines}
    return sum(quantity * prices[sku] for sku, quantity in units.items())


async def _put_back(progress: OrderProgress, left_behind: dict[str, int]) -> None:
    """Units left at the counter: back on the shelf, cancelled on the order, and what the
    hold still has for them released."""
    order = progress.order
    wf = workflow.info().workflow_id
    for sku, quantity in sorted(left_behind.items()):
        plan = PlanReleaseInput(
            f"{wf}:not-collected:{sku}", progress.reservations, order.pickup_store_id, sku, quantity
        )
        releases: list[ReleaseUnitsInput] = await run_activity(
            progress, PaymentActivities.plan_release, plan
        )
        for release in releases:
            await run_activity(progress, PaymentActivities.release_units, release)
    numbers = {line.sku: n for n, line in enumerate(order.lines, start=1)}
    cancel = CancelLinesInput(
        f"{wf}:cancel-lines-not-collected",
        order.order_id,
        {numbers[sku]: quantity for sku, quantity in left_behind.items()},
        "NOT_COLLECTED",
    )
    await run_activity(progress, ShortPickActivities.cancel_lines, cancel)
    amount = _value(progress, left_behind)
    for sku, quantity in left_behind.items():
        progress.cancelled_units[sku] = progress.cancelled_units.get(sku, 0) + quantity
    progress.cancelled_minor += amount
    if amount > 0:  # free items left behind release nothing
        payment = progress.payment("reduce-not-collected")
        payment.amount_minor = amount
        await run_activity(progress, ShortPickActivities.reduce_authorization, payment)


def _units(units: dict[str, int]) -> str:
    listed = ", ".join(f"{quantity} x {sku}" for sku, quantity in sorted(units.items()))
    if len(listed) <= 200:
        return listed
    return f"{sum(units.values())} units of {len(units)} products"
