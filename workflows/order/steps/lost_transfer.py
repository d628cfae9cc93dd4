"""A transfer that never arrives. Its workflow escalates once at its ready-by plus grace
(`transfer_late`); the order then sets a second deadline (LostTransferPolicy, worker settings).
Past it — or at once when a transfer ends without arriving — the transfer is re-routed
automatically when another source can have the units ready within the policy's days;
otherwise the order is marked (TransferLost, `transfer_lost` on the timeline), operations are
mailed and the customer is told the order is delayed and being looked at, and the order waits
for operations' `reroute` or `force_cancel` (or the transfer arriving after all). An order is
never left IN_TRANSIT without someone told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio import workflow

from workflows.order.progress import OrderProgress
from workflows.order.steps import routing
from workflows.order.steps.base import await_input, notify, record, run_activity, since
from workflows.order.steps.reroute import clear_lost, reroute

with workflow.unsafe.imports_passed_through():
    from services.common.errors import echo
    from workflows.contracts import search
    from workflows.order.activities.operations import OperationsActivities
    from workflows.order.operations.log import LostTransferPolicy
    from workflows.order.operations.rules import lost_at, promise_limit
    from workflows.order.types import LOST_TRANSFER
    from workflows.ship_to_store.workflow import ShipToStoreWorkflow


def late_transfer(progress: OrderProgress, args: tuple[Any, ...]) -> str | None:
    """The transfer a `transfer_late` signal (sent by a ShipToStore child) flags, noted with
    the time; None for anything but the id of a transfer of this order under way (sent by
    hand, any payload), which is logged and ignored."""
    transfer_id = args[0] if len(args) == 1 and isinstance(args[0], str) else None
    open_ids = [child.id for child in progress.children if not child.done()]
    if transfer_id is None or transfer_id not in open_ids:
        shown = echo(repr(args))
        workflow.logger.warning("transfer_late ignored: %s is no transfer under way", shown)
        return None
    progress.ops.late_since.setdefault(transfer_id, workflow.now())
    return transfer_id


async def transfers_arrive(progress: OrderProgress) -> bool:
    """Waits for every transfer under way to be received (True), re-routing lost ones; False
    when the order was cancelled meanwhile (the transfers are told to stop). Orders that do not
    follow LOST_TRANSFER wait as routing.transfers_arrive does."""
    if not since(progress, LOST_TRANSFER):
        return await routing.transfers_arrive(progress)
    ops = progress.ops
    while True:
        for transfer_id in [t for t in ops.waiting if _received(_child(progress, t))]:
            clear_lost(progress, transfer_id)  # arrived after all
        if ops.late_since:
            await _read_policy(progress)
        await await_input(progress, _woken(progress), _next_deadline(progress))
        if progress.cancel_request is not None:
            await _stop(progress)
            return False
        if _arrived(progress):
            for transfer_id in list(ops.waiting):
                clear_lost(progress, transfer_id)
            return True
        for transfer_id in _abandoned(progress):
            await _lost(progress, transfer_id, "ended without arriving")
        for transfer_id in _due(progress):
            await _lost(progress, transfer_id, "is lost: not received after its escalation")


def _woken(progress: OrderProgress) -> Callable[[], bool]:
    """What ends a wait: a cancel, every transfer received, one ending without arriving, or
    a transfer newly flagged late (a new deadline)."""
    ops, seen = progress.ops, len(progress.ops.late_since)
    return lambda: bool(
        progress.cancel_request is not None
        or _arrived(progress)
        or _abandoned(progress)
        or len(ops.late_since) != seen
    )


def _child(progress: OrderProgress, transfer_id: str) -> Any:
    return next((c for c in progress.all_children if c.id == transfer_id), None)


def _received(child: Any) -> bool:
    if child is None or not child.done() or child.cancelled() or child.exception() is not None:
        return False
    return getattr(child.result(), "state", "") == "RECEIVED"


def _arrived(progress: OrderProgress) -> bool:
    return all(_received(child) for child in progress.children)


def _abandoned(progress: OrderProgress) -> list[str]:
    """Transfers whose workflow ended without the units arriving (not handled yet)."""
    lost = progress.ops.lost
    return [c.id for c in progress.children if c.done() and not _received(c) and c.id not in lost]


def _late_open(progress: OrderProgress) -> list[str]:
    ops = progress.ops
    return [
        c.id
        for c in progress.children
        if not c.done() and c.id in ops.late_since and c.id not in ops.lost
    ]


def _next_deadline(progress: OrderProgress) -> datetime | None:
    policy = progress.ops.policy
    if policy is None:
        return None
    late_since = progress.ops.late_since
    times = [lost_at(late_since[t], policy.lost_after_seconds) for t in _late_open(progress)]
    return min(times, default=None)


def _due(progress: OrderProgress) -> list[str]:
    policy, now = progress.ops.policy, workflow.now()
    if policy is None:
        return []
    return [
        t
        for t in _late_open(progress)
        if lost_at(progress.ops.late_since[t], policy.lost_after_seconds) <= now
    ]


async def _lost(progress: OrderProgress, transfer_id: str, what: str) -> None:
    """Re-routed when another source keeps a reasonable promise; otherwise operations decide."""
    ops = progress.ops
    ops.lost.append(transfer_id)
    policy = await _read_policy(progress)
    limit = promise_limit(workflow.now(), policy.promise_days)
    why = f"automatically: {transfer_id} {what}"
    refused = await reroute(progress, transfer_id, "", why, limit)
    if refused is None:
        return
    old = ops.transfers[transfer_id]
    ops.waiting.append(transfer_id)
    progress.status.transfer_lost = True
    workflow.upsert_search_attributes([search.TRANSFER_LOST.value_set(True)])
    detail = (
        f"{transfer_id} from {old.source_id} {what}; {refused.message}; "
        "waiting for operations: reroute or force_cancel"
    )
    await record(progress, "transfer_lost", detail, step=f"lost-{transfer_id}")
    await notify(
        progress,
        "TRANSFER_LOST",
        to_ops=True,
        step=transfer_id,
        transfer_id=transfer_id,
        source_id=old.source_id,
        reason=refused.message,
    )
    store_name = progress.pickup_store.name
    await notify(progress, "ORDER_UNDER_REVIEW", step=transfer_id, store_name=store_name)


async def _read_policy(progress: OrderProgress) -> LostTransferPolicy:
    """The worker's lost-transfer policy, read once per order (recorded in its history)."""
    if progress.ops.policy is None:
        progress.ops.policy = await run_activity(
            progress, OperationsActivities.lost_transfer_policy, progress.order.order_id
        )
    return progress.ops.policy


async def _stop(progress: OrderProgress) -> None:
    """The order is cancelled: its transfers under way are told to stop."""
    for child in progress.children:
        if not child.done():
            await child.signal(ShipToStoreWorkflow.cancel)
