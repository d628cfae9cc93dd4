"""The validators of operations' updates (force_cancel, reroute, resend_notification, unlock),
and the field checks every update of an order runs on what a person may type into the Temporal
UI. A validator raises a Refusal (INVALID_ARGUMENT naming the field, FAILED_PRECONDITION naming
the state, NOT_FOUND, ALREADY_EXISTS for a request id reused): the update is rejected and
leaves nothing in the history. A request id seen before with the same input passes (its handler
answers what the first one did)."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.common import fields, ids
    from services.common.errors import ErrorKind, Violations, echo, summary
    from services.common.order_states import OrderState
    from workflows.contracts.operations import (
        RESENDABLE_MESSAGES,
        ForceCancelInput,
        RerouteInput,
        ResendNotificationInput,
        UnlockInput,
    )
    from workflows.contracts.orders import CancelInput, ConfirmPickupInput, MarkPickedInput
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.states import CANCEL_REQUEST_STATES
    from workflows.contracts.transfers import TransferInput
    from workflows.order.operations.rules import fingerprint, why_not_due

from workflows.order.progress import OrderProgress
from workflows.steps import check_request_id, refusal

FORCE_CANCEL, REROUTE = "force_cancel", "reroute"
RESEND, UNLOCK = "resend_notification", "unlock"
# An operator's reason is quoted on the timeline and (a cancel's) in the customer's mail.
MAX_REASON = 200
CANCELLERS = ("customer", "store", "operations")
PRECONDITION = "FAILED_PRECONDITION"


def check_force_cancel(progress: OrderProgress, request: ForceCancelInput) -> None:
    if _repeat(progress, FORCE_CANCEL, request, reason_required=True):
        return
    status = progress.status
    if progress.handover is not None:
        raise refusal(
            "ORDER_BEING_HANDED_OVER",
            "the order is being handed over at the counter",
            PRECONDITION,
            state=status.state,
        )
    cancellable = progress.decision is None or status.state in CANCEL_REQUEST_STATES
    if progress.finished or not cancellable:
        raise refusal(
            "ORDER_NOT_CANCELLABLE", f"order is {status.state}", PRECONDITION, state=status.state
        )
    if progress.cancel_request is not None:
        by = progress.cancel_request.requested_by
        raise refusal(
            "ORDER_ALREADY_CANCELLING",
            f"the order is already being cancelled (by {by})",
            PRECONDITION,
            state=status.state,
        )


def check_unlock(progress: OrderProgress, request: UnlockInput) -> None:
    if _repeat(progress, UNLOCK, request, reason_required=True):
        return
    status = progress.status
    ready = status.state == OrderState.READY_FOR_PICKUP and progress.cancel_request is None
    if not (ready and status.pickup_locked and progress.handover is None):
        raise refusal(
            "PICKUP_NOT_LOCKED",
            f"the order's pickup is not locked (order is {status.state})",
            PRECONDITION,
            state=status.state,
        )


def check_resend(progress: OrderProgress, request: ResendNotificationInput) -> None:
    if _repeat(progress, RESEND, request, reason_required=False):
        return
    if request.message not in RESENDABLE_MESSAGES:
        _invalid({"message": "one of " + ", ".join(RESENDABLE_MESSAGES)})
    status, decision = progress.status, progress.decision
    confirmed = decision is not None and decision.accepted
    why = why_not_due(request.message, status.state, confirmed, progress.pickup_code)
    if progress.cancel_request is not None and not why:
        why = "the order is being cancelled"
    if why:
        raise refusal(
            "MESSAGE_NOT_DUE", why, PRECONDITION, state=status.state, template=request.message
        )


def check_reroute(progress: OrderProgress, request: RerouteInput) -> None:
    if _repeat(progress, REROUTE, request, reason_required=True):
        return
    if request.source_id and not ids.is_location_id(request.source_id):
        _invalid({"source_id": "a location id, like DC-01 or STORE-002"})
    status = progress.status
    if progress.cancel_request is not None or status.state != OrderState.IN_TRANSIT:
        state = "being cancelled" if progress.cancel_request else status.state
        raise refusal("ORDER_NOT_IN_TRANSIT", f"order is {state}", PRECONDITION, state=state)
    if progress.ops.rerouting:
        raise refusal(
            "REROUTE_IN_PROGRESS", "another re-route of this order is under way", PRECONDITION
        )
    transfer = rerouted_transfer(progress, request.transfer_id)
    if request.source_id == transfer.source_id:
        _invalid({"source_id": f"{transfer.source_id} is already the transfer's source"})


def open_transfers(progress: OrderProgress) -> list[str]:
    """The order's transfers still under way (not received, not given up)."""
    return [child.id for child in progress.children if not child.done()]


def rerouted_transfer(progress: OrderProgress, transfer_id: str) -> TransferInput:
    """The open transfer a re-route names (or the only one, when it names none)."""
    under_way = open_transfers(progress)
    if not transfer_id:
        if len(under_way) != 1:
            _invalid({"transfer_id": "name one of the open transfers: " + ", ".join(under_way)})
        transfer_id = under_way[0]
    known = progress.ops.transfers.get(transfer_id)
    if known is None:
        raise refusal(
            "TRANSFER_NOT_FOUND", f"no transfer {echo(transfer_id)} on this order", "NOT_FOUND"
        )
    if transfer_id not in under_way:
        raise refusal(
            "TRANSFER_NOT_OPEN",
            f"transfer {transfer_id} already arrived or was given up",
            PRECONDITION,
            transfer_id=transfer_id,
        )
    return known


# ---- what a person may type into the order's other updates ---------------------------------


def check_cancel_fields(request: CancelInput) -> None:
    """Who cancels names the state reason (CANCELLED_BY_<WHO>); the reason is quoted on the
    timeline and in the customer's mail."""
    v = Violations()
    v.check(request.requested_by in CANCELLERS, "requested_by", "one of " + ", ".join(CANCELLERS))
    _text(request.reason, "reason", v, fields.MAX_TEXT)
    _raise_if_any(v)


def check_pick_fields(request: MarkPickedInput) -> None:
    v = Violations()
    _text(request.associate, "associate", v, fields.MAX_NAME)
    _raise_if_any(v)


def check_handover_fields(request: ConfirmPickupInput) -> None:
    v = Violations()
    if isinstance(request.collector_name, str):
        fields.check_name(request.collector_name, "collector_name", v)
    else:
        v.add("collector_name", "required")
    _raise_if_any(v)


# ---- shared -------------------------------------------------------------------------------


def _repeat(progress: OrderProgress, action: str, request: Any, reason_required: bool) -> bool:
    """True for a repeat of a request already taken (same id, same input); refuses a request
    id reused for something else, and bad fields."""
    if not isinstance(request.request_id, str):
        _invalid({"request_id": "required"})
    check_request_id(request.request_id)
    asked = progress.ops.asked.get(request.request_id)
    if asked is not None:
        if asked != fingerprint(action, request):
            raise refusal(
                "REQUEST_ID_REUSED",
                "this request_id was already used for another operation on this order",
                "ALREADY_EXISTS",
            )
        return True
    v = Violations()
    _text(request.reason, "reason", v, MAX_REASON)
    if reason_required and isinstance(request.reason or "", str):
        v.check(bool((request.reason or "").strip()), "reason", "required: say why")
    operator = request.operator
    if operator is not None and operator != "":
        ok = isinstance(operator, str) and ids.is_actor_id(operator)
        v.check(ok, "operator", "who acts: 1-64 characters of A-Z a-z 0-9 _ . @ -")
    _raise_if_any(v)
    return False


def _text(value: Any, field: str, v: Violations, max_chars: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        v.add(field, "must be text")
        return
    fields.check_text(value, field, v, max_chars)


def _raise_if_any(v: Violations) -> None:
    if v.items:
        _invalid({item.field: item.description for item in v.items}, summary(v.items))


def _invalid(violations: dict[str, str], message: str = "") -> None:
    message = message or "; ".join(f"{k}: {d}" for k, d in violations.items())
    raise Refusal("INVALID_REQUEST", ErrorKind.INVALID_ARGUMENT, message, {}, violations).error()
