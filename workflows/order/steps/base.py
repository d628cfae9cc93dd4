"""Plumbing shared by the order workflow's steps, each a function of the order's progress
(progress.py): the version this run follows, activity calls with one retry policy, waits for what
people do, state transitions recorded through the orders service (and mirrored into search
attributes), events and notifications.

What a read shows, the next command accepts: a transition moves the workflow's own state first
and only then records it where reads come from, so no reader sees a state the workflow does not
hold yet. (A local activity that records a state — the checkout — is followed by the workflow
taking it within the same workflow task, before any command can be delivered; after a worker
crash the gateway waits for the workflow to catch up.) A command is answered once the workflow
has settled (it waits for the next thing a person does, with everything up to there recorded),
so its answer shows what it changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

from workflows.contracts.ids import command_key
from workflows.order.progress import OrderProgress
from workflows.steps import act, act_local, wait_until

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts import search
    from workflows.contracts.orders import CURRENT_VERSION, Decision
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.types import TransitionInput
    from workflows.order.types import SINCE_VERSION, VERSIONS
    from workflows.shared.activities import SharedActivities
    from workflows.shared.activity_types import NotifyInput, OrderEventInput


def choose_version(progress: OrderProgress) -> None:
    """The behaviour this run follows (see types.CURRENT_VERSION): the version the input asks
    for, when this worker knows it, recorded by its marker the first time."""
    asked = progress.order.workflow_version
    known = [v for v in sorted(VERSIONS, reverse=True) if v <= asked]
    progress.version = next((v for v in known if workflow.patched(VERSIONS[v])), 0)


def since(progress: OrderProgress, patch: str) -> bool:
    """Whether this order follows the change named `patch`."""
    taken_for_granted = progress.version >= SINCE_VERSION.get(patch, CURRENT_VERSION + 1)
    return taken_for_granted or workflow.patched(patch)


async def run_activity(progress: OrderProgress, activity: Any, arg: Any) -> Any:
    """A short step: a local activity from version 1 on, a scheduled one before."""
    if progress.version >= 1:
        return await act_local(activity, arg)
    return await act(activity, arg)


async def await_input(
    progress: OrderProgress, condition: Callable[[], bool], until: datetime | None = None
) -> bool:
    """Waits for what a person does (optionally until an absolute time; False when the time
    came first). While it waits with `condition` still false, the order is settled."""
    progress.waiting = condition
    try:
        if until is None:
            await workflow.wait_condition(condition)
            return True
        return await wait_until(condition, until)
    finally:
        progress.waiting = None


async def transition(
    progress: OrderProgress,
    state: OrderState,
    event: str,
    detail: str,
    command: str = "",
    **fields: Any,
) -> None:
    """Moves the workflow's state, then records it for reads; `command` (the client's request
    id) is kept on the timeline event, so a repeat of the command is answered from it."""
    status = progress.status
    status.state = state
    status.state_reason = fields.get("state_reason", status.state_reason)
    change = TransitionInput(
        f"{workflow.info().workflow_id}:{event}" + (f":{command_key(command)}" if command else ""),
        status.order_id,
        state,
        event,
        detail,
        client_request_id=command,
        **fields,
    )
    await run_activity(progress, OrderActivities.transition_order, change)
    progress.recorded_state = state
    upsert_search_attributes(progress)


async def record(
    progress: OrderProgress, event: str, detail: str, step: str = "", **flags: Any
) -> None:
    """An event on the order's timeline (no state change)."""
    request_id = f"{workflow.info().workflow_id}:{step or event}"
    await run_activity(
        progress,
        SharedActivities.record_order_event,
        OrderEventInput(request_id, progress.status.order_id, event, detail, **flags),
    )


async def notify(
    progress: OrderProgress,
    template: str,
    to_ops: bool = False,
    moments: dict[str, datetime] | None = None,
    to: str = "",
    step: str = "",
    **params: str,
) -> None:
    """To the customer; `to_ops` to operations; `to` to that address (e.g. the store). Times
    read in the pickup store's time zone. `step` tells apart messages of one template sent more
    than once (each its own key)."""
    order = progress.order
    key = f"{workflow.info().workflow_id}:{template.lower()}" + (f":{step}" if step else "")
    key += f":{to}" if to else ""
    message = NotifyInput(
        idempotency_key=key,
        order_id=order.order_id,
        template=template,
        recipient=to or ("" if to_ops else order.customer_email),
        params={"order_id": order.order_id, "store_id": order.pickup_store_id, **params},
        moments=moments or {},
        time_zone=progress.time_zone,
        customer_id="" if to or to_ops else order.customer_id,
    )
    await act(SharedActivities.send_notification, message)  # not local: answers go first


def refused(progress: OrderProgress, refusal: Refusal) -> Decision:
    """The answer to PlaceOrder for a refusal."""
    return Decision.refused(progress.order.order_id, refusal)


def upsert_search_attributes(progress: OrderProgress) -> None:
    workflow.upsert_search_attributes(search_attributes(progress))


def search_attributes(progress: OrderProgress) -> list[SearchAttributeUpdate[Any]]:
    status = progress.status
    updates: list[SearchAttributeUpdate[Any]] = [
        search.ORDER_STATE.value_set(status.state),
        search.FULFILLMENT_TYPE.value_set(status.fulfillment_type),
    ]
    if status.pick_deadline:
        updates.append(search.PICK_DEADLINE.value_set(status.pick_deadline))
    if status.transfer_late:
        updates.append(search.TRANSFER_LATE.value_set(True))
    if status.pickup_expire_time:
        updates.append(search.PICKUP_EXPIRES_AT.value_set(status.pickup_expire_time))
    return updates
