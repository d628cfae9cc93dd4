"""A transfer later than its ready-by plus grace (the ShipToStore child escalated and
signalled `transfer_late`): the customer is told, with a new ready-by, besides the store and
operations (who the child mails).

The new ready-by counts one more day on the road (LATE_TRANSFER_MORE_TIME) and then the
store's time to pick, in its opening hours, as at acceptance. Orders that passed this point
before the change do not send it (patch TELL_CUSTOMER_TRANSFER_LATE)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import notify, record, run_activity, since

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.types import PlanPickupTimesInput
    from workflows.order.types import TELL_CUSTOMER_TRANSFER_LATE
    from workflows.shared.message_params import store_params

LATE_TRANSFER_MORE_TIME = timedelta(days=1)


def _still_coming(progress: OrderProgress, transfer_id: str) -> bool:
    """The transfer is one of this order's, still under way, and the order waits for it."""
    under_way = any(c.id == transfer_id and not c.done() for c in progress.children)
    waiting = progress.status.state == OrderState.IN_TRANSIT and progress.cancel_request is None
    return under_way and waiting


async def tell_customer_transfer_late(progress: OrderProgress, transfer_id: str) -> None:
    """ORDER_DELAYED to the customer (once per transfer), with the new ready-by; the order's
    timeline shows it."""
    if not _still_coming(progress, transfer_id) or not since(progress, TELL_CUSTOMER_TRANSFER_LATE):
        return
    store = progress.pickup_store
    expected = workflow.now() + LATE_TRANSFER_MORE_TIME
    times = await run_activity(
        progress, OrderActivities.plan_pickup_times, PlanPickupTimesInput(store, expected)
    )
    await record(
        progress,
        "customer_told_transfer_late",
        f"{transfer_id} late; new ready-by {times.ready_by.isoformat()}",
        step=f"late-told:{transfer_id}",
    )
    await notify(
        progress,
        "ORDER_DELAYED",
        step=transfer_id,
        moments={"ready_by": times.ready_by},
        **store_params(store),
    )
