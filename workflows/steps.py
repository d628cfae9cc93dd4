"""Deterministic building blocks shared by every workflow: one activity policy, waits until an
absolute time (exact timers), a body that a cancel request cannot cut short, and the refusals
(workflows/contracts/refusal.py) the gateway maps to gRPC codes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from services.common.errors import ErrorKind
from services.common.ids import REQUEST_ID_RULE, is_request_id
from workflows.contracts.refusal import Refusal, code_of

ACTIVITY_OPTIONS: dict[str, Any] = {
    "start_to_close_timeout": timedelta(seconds=15),
    "retry_policy": RetryPolicy(maximum_interval=timedelta(seconds=10)),
}


T = TypeVar("T")


async def act(activity: Any, arg: Any) -> Any:
    """Runs an activity method with the shared timeout and (unlimited, capped) retries."""
    return await workflow.execute_activity_method(activity, arg, **ACTIVITY_OPTIONS)


async def act_local(activity: Any, arg: Any) -> Any:
    """The same as a local activity: run by the worker inside the workflow task, recorded as one
    marker. For short idempotent calls to our services (every call carries a request id), so a
    chain of them costs Temporal one workflow task instead of two tasks per call. A refusal is
    raised as an ActivityError with the service's ApplicationError as its cause, as `act` does."""
    try:
        return await workflow.execute_local_activity_method(activity, arg, **ACTIVITY_OPTIONS)
    except ApplicationError as refused:
        raise ActivityError(
            refused.message,
            scheduled_event_id=0,
            started_event_id=0,
            identity="",
            activity_type=getattr(activity, "__name__", ""),
            activity_id="",
            retry_state=None,
        ) from refused


async def run_to_completion(
    body: Coroutine[Any, Any, T], on_cancel_request: Callable[[], None]
) -> T:
    """Runs a workflow's body to its end. A cancel request (the Temporal UI's "Request
    Cancellation") never cuts it short: it calls `on_cancel_request`, which turns it into the
    workflow's own way of stopping (compensation included) or records why it is ignored."""
    task = asyncio.ensure_future(body)
    while True:
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                return task.result()
            on_cancel_request()


async def wait_until(condition: Callable[[], bool], until: datetime) -> bool:
    """Waits for `condition` until an absolute time; False when the time came first."""
    if condition():
        return True
    remaining = (until - workflow.now()).total_seconds()
    if remaining <= 0:
        return False
    try:
        await workflow.wait_condition(condition, timeout=remaining)
    except TimeoutError:
        return condition()
    return True


def refusal(reason: str, message: str, code: str, **metadata: str) -> ApplicationError:
    """An update refusal the gateway turns into the named gRPC code with ErrorInfo(reason)."""
    return Refusal(reason, code_of(code), message, metadata).error()


def check_request_id(request_id: str) -> None:
    """An update's request id follows the one rule (services/common/ids.py) before anything is
    done with it: the id is kept on the order's record, so one sent by hand from the Temporal UI
    is refused here, not after the workflow has moved."""
    if not is_request_id(request_id):
        message = f"request_id: {REQUEST_ID_RULE}"
        raise Refusal(
            "INVALID_REQUEST",
            ErrorKind.INVALID_ARGUMENT,
            message,
            {},
            {"request_id": REQUEST_ID_RULE},
        ).error()


def business_refusal(error: ActivityError) -> Refusal:
    """The service's refusal behind an activity failure; anything else is re-raised."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.non_retryable:
        return Refusal.of(cause)
    raise error
