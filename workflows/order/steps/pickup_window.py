"""The pickup window of an order that follows self-service (types.SELF_SERVICE): its end can
move while the order waits at the counter (extend_pickup, from the customer or operations), and
the wait, the reminder and the card hold follow the deadline the order holds now: the running
timer gives way to one at the new deadline, a reminder is due a day before it (a second one when
the first went out for the old deadline), and a hold that would lapse first and is no longer
being renewed is renewed at once (the extension is refused, and nothing moves, when the card
issuer declines)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import (
    await_input,
    notify,
    run_activity,
    upsert_search_attributes,
)
from workflows.order.steps.handover import keep_authorization
from workflows.order.steps.self_service import record_fact
from workflows.order.validation import EXTEND, check_extend_pickup, key, window_closed
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from services.common import pickup_fields
    from services.common.errors import ErrorKind
    from services.common.order_states import OrderState
    from workflows.contracts.orders import ExtendPickupInput, OrderStatus
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.payment import PaymentActivities
    from workflows.shared.message_params import store_params

REMINDER_BEFORE_EXPIRY = timedelta(days=1)  # as the lifecycle's fixed window


async def wait_for_handover(progress: OrderProgress) -> bool:
    """True when handed over; False when cancelled or the window ran out (state says which).
    Waits until the deadline the order holds, however often it moves meanwhile."""
    arrived = lambda: bool(progress.handover or progress.cancel_request)  # noqa: E731
    while not arrived():
        expires = progress.status.pickup_expire_time or workflow.now()
        moved = lambda: arrived() or progress.status.pickup_expire_time != expires  # noqa: B023, E731
        remind_at = expires - REMINDER_BEFORE_EXPIRY
        if progress.self_service.reminded_for != expires and remind_at > workflow.now():
            if not await await_input(progress, moved, remind_at):
                await _remind(progress, expires)
            continue
        if not await await_input(progress, moved, expires):
            progress.status.state_reason = "PICKUP_WINDOW_EXPIRED"
            return False
    return progress.handover is not None and progress.cancel_request is None


async def _remind(progress: OrderProgress, expires: datetime) -> None:
    """The reminder a day before the window ends; each one its own message (the first keeps
    the key a fixed window's reminder has)."""
    asks = progress.self_service
    asks.reminded_for = expires
    asks.reminders += 1
    await notify(
        progress,
        "PICKUP_REMINDER",
        pickup_code=progress.pickup_code,
        moments={"collect_by": expires},
        step="" if asks.reminders == 1 else str(asks.reminders),
        **store_params(progress.pickup_store),
    )


async def extend_pickup(progress: OrderProgress, request: ExtendPickupInput) -> OrderStatus:
    """Moves the window's end by the days asked for (the store's by default); answers once the
    wait has taken the new deadline and the order's record shows it."""
    asks, status = progress.self_service, progress.status
    taken = key(EXTEND, request.request_id)
    if taken not in asks.answers:
        check_extend_pickup(progress, request)  # still so, after commands taken with it
        days = pickup_fields.extension_days(
            request.days, progress.pickup_store.pickup_extension_days
        )
        expires = (status.pickup_expire_time or workflow.now()) + timedelta(days=days)
        by_customer = request.requested_by == pickup_fields.CUSTOMER
        asks.answers[taken] = None
        asks.customer_extended = asks.customer_extended or by_customer
        refused = await _hold_until(progress, expires)
        if refused is None:
            refused = _still_ready(progress)
        if refused is not None:
            asks.answers[taken] = refused
            asks.customer_extended = asks.customer_extended and not by_customer
            raise refused.error()
        status.pickup_expire_time = expires  # the wait moves to it at once
        asks.extensions += 1
        upsert_search_attributes(progress)
        await record_fact(
            progress,
            "pickup_extended",
            f"by {days} days ({request.requested_by}); collect by {expires:%Y-%m-%d %H:%M} UTC",
            request.request_id,
            pickup_expire_time=expires,
            pickup_extensions=asks.extensions,
        )
    refused = asks.answers[taken]
    if refused is not None:
        raise refused.error()
    await workflow.wait_condition(progress.settled)
    return status


def _still_ready(progress: OrderProgress) -> Refusal | None:
    """After the hold's renewal the order may have moved on (expired, being handed over)."""
    state = progress.status.state
    busy = progress.handover is not None or progress.cancel_request is not None
    if state == OrderState.READY_FOR_PICKUP and not busy and not window_closed(progress):
        return None
    message = f"order is {state}"
    return Refusal.flat("ORDER_NOT_READY", "FAILED_PRECONDITION", message, {"state": state}, {})


async def _hold_until(progress: OrderProgress, expires: datetime) -> Refusal | None:
    """The card hold lasts until `expires`: the renewal loop keeps it (it renews before each
    lapse) while it runs; once it stopped (a renewal was declined) the hold is renewed now and
    watched again. The issuer's refusal when it declines."""
    lapses, renewing = progress.self_service.hold_lapses_at, progress.renewing
    if progress.hold is None or lapses is None or lapses >= expires or progress.money_done:
        return None
    if renewing is not None and not renewing.done():
        return None
    progress.renewals += 1
    progress.reauthorizing = True
    try:
        payment = progress.payment(f"reauthorize-{progress.renewals}")
        hold = await run_activity(progress, PaymentActivities.reauthorize_payment, payment)
    except ActivityError as error:
        refused = business_refusal(error)
        message = f"the card hold could not be renewed for a longer window: {refused.message}"
        return Refusal(refused.reason, ErrorKind.FAILED_PRECONDITION, message, refused.metadata)
    finally:
        progress.reauthorizing = False
    progress.hold = hold
    progress.renewing = asyncio.create_task(keep_authorization(progress, hold))
    return None
