"""What the ways into a running order check and do, as functions of the order's progress: the
update validators (which refuse without a trace in the history), the wrong-code count at the
counter, the operations signals and the Temporal UI's cancel request. The workflow class
(workflow.py) declares the updates, signals and query and delegates here; every update answers
once the order has settled after it (steps/base.py), so the caller's next read shows what the
command did."""

from __future__ import annotations

from dataclasses import replace

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts.orders import (
        CancelInput,
        ConfirmPickupInput,
        MarkPickedInput,
        request_fingerprint,
    )
    from workflows.contracts.states import CANCEL_REQUEST_STATES
    from workflows.order.types import MAX_PICKUP_CODE_ATTEMPTS

from services.common.errors import ErrorKind
from workflows.contracts.refusal import Refusal
from workflows.order.operations_checks import (
    check_cancel_fields,
    check_handover_fields,
    check_pick_fields,
)
from workflows.order.progress import OrderProgress
from workflows.order.steps.base import record, upsert_search_attributes
from workflows.order.steps.operations import clear_lock_mark, tell_locked
from workflows.order.validation import check_collector_at_counter
from workflows.steps import check_request_id, refusal

OPERATIONS = "operations"


def check_accept(progress: OrderProgress, fingerprint: str) -> None:
    """A request id is one request: the same id with another basket or store is refused."""
    order = progress.as_placed()
    if fingerprint and fingerprint != request_fingerprint(order):
        raise refusal(
            "REQUEST_ID_REUSED",
            "this request_id was already used for another order request",
            "ALREADY_EXISTS",
            order_id=order.order_id,
        )


def mark_picked_done(progress: OrderProgress) -> bool:
    """The pick is carried out: ready for pickup, or (short pick) the missing units cancelled
    or on their way from elsewhere."""
    return (
        progress.recorded_state == OrderState.READY_FOR_PICKUP
        or progress.recorded_final()
        or (progress.settled() and progress.status.state != OrderState.AWAITING_PICK)
    )


def check_mark_picked(progress: OrderProgress, request: MarkPickedInput) -> None:
    check_request_id(request.request_id)
    check_pick_fields(request)
    status = progress.status
    _check_terminal(progress, request.store_id)
    if progress.picked is not None and progress.picked.request_id == request.request_id:
        return
    if progress.cancel_request is not None or status.state != OrderState.AWAITING_PICK:
        raise refusal(
            "ORDER_NOT_AWAITING_PICK",
            f"order is {status.state}",
            "FAILED_PRECONDITION",
            state=status.state,
        )
    _check_missing(progress, request)
    if progress.picked is not None:
        raise refusal(
            "ORDER_ALREADY_PICKED", "order was already marked picked", "FAILED_PRECONDITION"
        )


def _check_terminal(progress: OrderProgress, store_id: str) -> None:
    """A store terminal acts only on its own store's orders (operations on any)."""
    order_store_id = progress.status.pickup_store_id
    if store_id and store_id != order_store_id:
        raise refusal(
            "ORDER_OF_ANOTHER_STORE",
            f"this terminal belongs to {store_id}; the order is for {order_store_id}",
            "PERMISSION_DENIED",
            terminal_store_id=store_id,
            order_store_id=order_store_id,
        )


def _to_pick(progress: OrderProgress) -> dict[str, int]:
    """Units per sku still part of the order (to pick, or at the counter)."""
    return {
        line.sku: line.quantity - progress.cancelled_units.get(line.sku, 0)
        for line in progress.order.lines
    }


def _check_missing(progress: OrderProgress, request: MarkPickedInput) -> None:
    """Missing units: lines of this order, in all never more than is still to pick."""
    to_pick = _to_pick(progress)
    missing: dict[str, int] = {}
    for item in request.missing:
        missing[item.sku] = missing.get(item.sku, 0) + max(item.quantity, 0)
        if item.sku not in to_pick or item.quantity <= 0:
            raise refusal(
                "INVALID_SHORT_PICK",
                f"{item.quantity} x {item.sku} is not part of this order",
                "INVALID_ARGUMENT",
                sku=item.sku,
            )
        if item.reason not in ("NOT_FOUND", "DAMAGED"):
            raise refusal("INVALID_SHORT_PICK", "reason: NOT_FOUND or DAMAGED", "INVALID_ARGUMENT")
    for sku, quantity in missing.items():
        if quantity > to_pick[sku]:
            raise refusal(
                "INVALID_SHORT_PICK",
                f"{quantity} x {sku} missing, but only {to_pick[sku]} are to pick",
                "INVALID_ARGUMENT",
                sku=sku,
            )


def check_confirm_pickup(progress: OrderProgress, request: ConfirmPickupInput) -> None:
    check_request_id(request.request_id)
    check_handover_fields(request)
    status, handover = progress.status, progress.handover
    _check_terminal(progress, request.store_id)
    if handover is not None and handover.request_id == request.request_id:
        return
    if handover is not None or status.state == OrderState.PICKED_UP:
        raise refusal(
            "ORDER_ALREADY_PICKED_UP", "order was already handed over", "FAILED_PRECONDITION"
        )
    if progress.cancel_request is not None or status.state != OrderState.READY_FOR_PICKUP:
        raise refusal(
            "ORDER_NOT_READY",
            f"order is {status.state}",
            "FAILED_PRECONDITION",
            state=status.state,
        )
    if status.pickup_locked:
        raise refusal(
            "PICKUP_LOCKED",
            "too many wrong pickup codes; ask operations to unlock",
            "FAILED_PRECONDITION",
        )
    _check_collected(progress, request)
    check_collector_at_counter(progress, request)


def _check_collected(progress: OrderProgress, request: ConfirmPickupInput) -> None:
    """Collected units: lines of this order, never more than is at the counter, not none."""
    at_counter = _to_pick(progress)
    for item in request.collected:
        if item.sku not in at_counter or not 0 <= item.quantity <= at_counter[item.sku]:
            raise refusal(
                "INVALID_COLLECTED_ITEMS",
                f"{item.quantity} x {item.sku} is not at the counter for this order",
                "INVALID_ARGUMENT",
                sku=item.sku,
            )
    if request.collected and not any(item.quantity for item in request.collected):
        raise refusal(
            "NOTHING_COLLECTED",
            "the customer took nothing; cancel the order instead",
            "INVALID_ARGUMENT",
        )


def handover_refused(progress: OrderProgress) -> ApplicationError | None:
    """Why the hand-over the counter waits for did not happen (its payment was refused)."""
    refused = progress.handover_refusal
    if progress.recorded_final() or refused is None:
        return None
    return _goods_stay(refused).error()


async def count_wrong_code(progress: OrderProgress) -> None:
    """Records a wrong pickup code and refuses it; the fifth in a row locks the order."""
    status = progress.status
    status.failed_pickup_attempts += 1
    attempts = status.failed_pickup_attempts
    left = max(0, MAX_PICKUP_CODE_ATTEMPTS - attempts)
    locked = left == 0
    status.pickup_locked = locked
    await record(
        progress,
        "pickup_locked" if locked else "pickup_code_rejected",
        f"wrong pickup code ({attempts} of {MAX_PICKUP_CODE_ATTEMPTS})",
        step=f"wrong-code-{attempts}",
        pickup_locked=True if locked else None,
    )
    if locked:
        await tell_locked(progress)
        raise refusal(
            "PICKUP_LOCKED",
            f"wrong pickup code; after {attempts} wrong codes the order is locked: "
            "ask operations to unlock it",
            "FAILED_PRECONDITION",
            attempts_left="0",
        )
    message = f"pickup code does not match; {left} attempts left"
    raise Refusal(
        "INVALID_PICKUP_CODE",
        ErrorKind.INVALID_ARGUMENT,
        message,
        {"attempts_left": str(left)},
        {"pickup_code": message},
    ).error()


def check_cancel(progress: OrderProgress, request: CancelInput) -> None:
    check_request_id(request.request_id)
    check_cancel_fields(request)
    status, asked = progress.status, progress.cancel_request
    if asked is not None and asked.request_id == request.request_id:
        return
    if progress.handover is not None or status.state not in CANCEL_REQUEST_STATES or asked:
        raise refusal(
            "ORDER_NOT_CANCELLABLE",
            f"order is {status.state}",
            "FAILED_PRECONDITION",
            state=status.state,
        )


def on_cancel_request(progress: OrderProgress) -> None:
    """The Temporal UI's cancel: compensates like CancelOrder by operations while the order
    can be cancelled; otherwise recorded on the timeline as ignored."""
    if progress.cancel_request is not None:
        return
    cancellable = progress.decision is None or progress.status.state in CANCEL_REQUEST_STATES
    if progress.handover is None and not progress.finished and cancellable:
        wf = workflow.info().workflow_id
        reason = "cancel requested in the Temporal UI"
        progress.cancel_request = CancelInput(f"{wf}:cancel-request", reason, OPERATIONS)
        return
    why = "being handed over" if progress.handover is not None else progress.status.state
    detail = f"cancel request from the Temporal UI ignored: the order is {why}"
    progress.ignored.note(progress.status.order_id, "cancel_ignored", detail)


async def unlock_pickup(progress: OrderProgress, reason: str) -> None:
    """Operations: lets the counter try pickup codes again after a lock-out."""
    status = progress.status
    if status.pickup_locked:
        status.pickup_locked = False
        status.failed_pickup_attempts = 0
        await record(
            progress,
            "pickup_unlocked",
            reason or "unlocked by operations",
            step=f"unlock-{workflow.uuid4()}",
            pickup_locked=False,
        )
        clear_lock_mark(progress)


def flag_transfer_late(progress: OrderProgress, transfer_id: str) -> None:
    """A ShipToStore child missed its ready-by plus grace. Harmless from anywhere else: only
    a transfer of this order still under way can flag it."""
    if not any(c.id == transfer_id and not c.done() for c in progress.children):
        return
    progress.status.transfer_late = True
    upsert_search_attributes(progress)


def check_transfer_received(progress: OrderProgress, transfer_id: str) -> None:
    if not any(child.id == transfer_id for child in progress.all_children):
        raise refusal("TRANSFER_NOT_FOUND", f"no transfer {transfer_id} under way", "NOT_FOUND")


def transfer_taken_in(progress: OrderProgress, transfer_id: str) -> bool:
    """The transfer is received and the order has settled after it."""
    done = any(child.id == transfer_id and child.done() for child in progress.all_children)
    return done and progress.settled()


def _goods_stay(refused: Refusal) -> Refusal:
    """The payment service's refusal of a hand-over's capture, as the counter hears it: the
    goods stay, so the order's precondition failed; the service's metadata and fields kept."""
    return replace(
        refused,
        reason=refused.reason or "PAYMENT_DECLINED",
        code=ErrorKind.FAILED_PRECONDITION,
        message=f"the payment was refused; the goods stay here: {refused.message}",
    )
