"""Operations' actions on a running order (the updates force_cancel, reroute,
resend_notification, unlock; validators in ../operations/checks.py) and the counter's lock-out
as operations see it (a mail, the PickupLocked search attribute). Each action is answered once
with the order as it left it; a repeat of its request id gets that answer (or its refusal)
again. Each lands on the order's timeline with who and why."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import notify, record, since
from workflows.order.steps.payment_link import send_link
from workflows.order.steps.reroute import reroute

with workflow.unsafe.imports_passed_through():
    from services.common.errors import ErrorKind
    from workflows.contracts import search
    from workflows.contracts.ids import command_key
    from workflows.contracts.operations import (
        ForceCancelInput,
        RerouteInput,
        ResendNotificationInput,
        UnlockInput,
    )
    from workflows.contracts.orders import CancelInput, OrderStatus
    from workflows.contracts.refusal import Refusal
    from workflows.order.operations.rules import fingerprint
    from workflows.order.operations_checks import rerouted_transfer
    from workflows.order.types import MAX_PICKUP_CODE_ATTEMPTS, PICKUP_LOCK_ESCALATION
    from workflows.shared.message_params import basket_params, store_params

OPERATIONS = "operations"
PRECONDITION = ErrorKind.FAILED_PRECONDITION
Request = TypeVar("Request", ForceCancelInput, RerouteInput, ResendNotificationInput, UnlockInput)


async def answer(
    progress: OrderProgress,
    action: str,
    request: Request,
    act: Callable[[OrderProgress, Request], Awaitable[OrderStatus]],
) -> OrderStatus:
    """Runs the action once per request id; a repeat waits for, and gets, the first answer."""
    ops, request_id = progress.ops, request.request_id
    if request_id in ops.asked:
        await workflow.wait_condition(lambda: request_id in {**ops.answers, **ops.refusals})
        if request_id in ops.refusals:
            raise ops.refusals[request_id].error()
        return ops.answers[request_id]
    ops.asked[request_id] = fingerprint(action, request)
    try:
        status = await act(progress, request)
    except (ApplicationError, ActivityError) as failed:  # a repeat is answered the same
        cause = failed if isinstance(failed, ApplicationError) else failed.cause
        message = str(failed)
        refusal = Refusal.of(cause) if isinstance(cause, ApplicationError) else None
        ops.refusals[request_id] = refusal or Refusal("OPERATION_FAILED", PRECONDITION, message)
        raise
    ops.answers[request_id] = copy.deepcopy(status)
    return status


async def force_cancel(progress: OrderProgress, request: ForceCancelInput) -> OrderStatus:
    """The cancel path of CancelOrder by operations: stock and transfers released, the card
    hold voided, the customer told; answers once the order is recorded CANCELLED."""
    reason = request.reason.strip()
    progress.cancel_request = progress.cancel_request or CancelInput(
        request.request_id, reason, OPERATIONS
    )
    await record(progress, "force_cancel_requested", _who_why(request), step=_step(request))
    await workflow.wait_condition(progress.recorded_final)
    return progress.status


async def reroute_transfer(progress: OrderProgress, request: RerouteInput) -> OrderStatus:
    """The new transfer is reserved before the old one is given up; refused (with the
    router's reasons) when no other source can supply it."""
    transfer = rerouted_transfer(progress, request.transfer_id)
    refused = await reroute(
        progress, transfer.transfer_id, request.source_id, f"by {_who_why(request)}", None
    )
    if refused is not None:
        detail = f"{transfer.transfer_id} not re-routed: {refused.message}"
        await record(progress, "reroute_refused", detail, step=_step(request))
        raise refused.error()
    await workflow.wait_condition(progress.settled)
    return progress.status


async def resend(progress: OrderProgress, request: ResendNotificationInput) -> OrderStatus:
    """The message again, as it was sent, under a new idempotency key (from the request id)."""
    status, step, store = progress.status, _step(request), progress.pickup_store
    template, now = request.message.upper(), workflow.now()
    if request.message == "order_confirmed":  # as lifecycle._accept sends it
        basket = basket_params(progress.order.lines, progress.order.currency_code)
        moments = {"ready_by": status.ready_by or now}
        await notify(progress, template, False, moments, step=step, **store_params(store), **basket)
    elif request.message == "payment_link":  # as payment_link.await_payment sends it
        await send_link(progress, step)
    else:  # as lifecycle._make_ready and the reminder send them
        moments = {"collect_by": status.pickup_expire_time or now, "sent_at": now}
        code = progress.pickup_code
        await notify(
            progress, template, False, moments, step=step, pickup_code=code, **store_params(store)
        )
    detail = f"{request.message} sent again by {_who_why(request)}"
    await record(progress, "notification_resent", detail, step=step)
    return status


async def unlock(progress: OrderProgress, request: UnlockInput) -> OrderStatus:
    """The counter may try pickup codes again (the count starts over)."""
    status = progress.status
    status.pickup_locked = False
    status.failed_pickup_attempts = 0
    detail = f"by {_who_why(request)}"
    await record(progress, "pickup_unlocked", detail, step=_step(request), pickup_locked=False)
    progress.ops.lock_shown = True
    clear_lock_mark(progress)
    return status


async def tell_locked(progress: OrderProgress) -> None:
    """A lock-out at the counter: PickupLocked set, operations mailed (every time)."""
    if not since(progress, PICKUP_LOCK_ESCALATION):
        return
    ops = progress.ops
    ops.lockouts += 1
    ops.lock_shown = True
    workflow.upsert_search_attributes([search.PICKUP_LOCKED.value_set(True)])
    await notify(
        progress,
        "PICKUP_LOCKED",
        to_ops=True,
        step=f"lockout-{ops.lockouts}",
        attempts=str(MAX_PICKUP_CODE_ATTEMPTS),
        store_name=progress.pickup_store.name,
    )


def clear_lock_mark(progress: OrderProgress) -> None:
    """After an unlock: PickupLocked cleared (on orders that set it)."""
    if progress.ops.lock_shown and not progress.status.pickup_locked:
        workflow.upsert_search_attributes([search.PICKUP_LOCKED.value_set(False)])


def signal_text(args: tuple[Any, ...]) -> str:
    """The reason a signal sent by hand carries, when it carries one string; else ""."""
    return args[0] if len(args) == 1 and isinstance(args[0], str) else ""


def _who_why(request: Any) -> str:
    who = request.operator or OPERATIONS
    reason = (request.reason or "").strip()
    return f"{who}: {reason}" if reason else who


def _step(request: Any) -> str:
    return f"ops-{command_key(request.request_id)}"
