"""What the self-service updates accept (change_pickup_store, extend_pickup, announce_arrival,
set_collector) and the collector check at the counter, as validators: each raises the refusal
the gateway answers (INVALID_ARGUMENT naming the field, FAILED_PRECONDITION naming the state)
before anything enters the history. A repeat of a request id already taken passes: its update
answers as the first time."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.common import ids, pickup_fields
    from services.common.errors import ErrorKind, Violations
    from services.common.order_states import OrderState
    from workflows.contracts.orders import (
        AnnounceArrivalInput,
        ChangePickupStoreInput,
        ConfirmPickupInput,
        ExtendPickupInput,
        SetCollectorInput,
    )
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.states import CANCEL_REQUEST_STATES

from workflows.order.progress import OrderProgress
from workflows.steps import check_request_id, refusal

CHANGE_STORE, EXTEND, ANNOUNCE, COLLECTOR = (
    "change_pickup_store",
    "extend_pickup",
    "announce_arrival",
    "set_collector",
)


def key(command: str, request_id: str) -> str:
    """How a self-service command is remembered (SelfService.answers)."""
    return f"{command}:{request_id}"


def check_change_pickup_store(progress: OrderProgress, request: ChangePickupStoreInput) -> None:
    if _repeat(progress, CHANGE_STORE, request.request_id):
        return
    errors = Violations()
    store, field = request.pickup_store_id, "pickup_store_id"
    errors.check(ids.is_location_id(store) and store.startswith("STORE-"), field, "not a store id")
    errors.check(store != progress.status.pickup_store_id, field, "already the pickup store")
    _raise_invalid(errors)
    state = progress.status.state
    if state == OrderState.IN_TRANSIT and progress.cancel_request is None:
        raise refusal(
            "TRANSFER_UNDER_WAY",
            "stock is on its way to the pickup store: the store can be changed once it has "
            "arrived, or cancel the order",
            "FAILED_PRECONDITION",
            state=state,
        )
    if progress.picked is not None and state == OrderState.AWAITING_PICK:
        raise refusal("ORDER_BEING_PICKED", "the store is picking the order", "FAILED_PRECONDITION")
    _check_open(progress, frozenset({OrderState.AWAITING_PICK}), "ORDER_NOT_CHANGEABLE")
    _check_enabled(progress)
    if progress.self_service.store_change is not None:
        raise refusal(
            "STORE_CHANGE_UNDER_WAY", "another store change is under way", "FAILED_PRECONDITION"
        )


def check_extend_pickup(progress: OrderProgress, request: ExtendPickupInput) -> None:
    if _repeat(progress, EXTEND, request.request_id):
        return
    errors = Violations()
    pickup_fields.check_extension_days(request.days, request.requested_by, errors)
    _raise_invalid(errors)
    _check_open(progress, frozenset({OrderState.READY_FOR_PICKUP}), "ORDER_NOT_READY")
    _check_enabled(progress)
    if window_closed(progress):
        raise refusal(
            "ORDER_NOT_READY",
            "the pickup window has closed",
            "FAILED_PRECONDITION",
            state="EXPIRED",
        )
    customer = request.requested_by == pickup_fields.CUSTOMER
    if customer and progress.self_service.customer_extended:
        raise refusal(
            "PICKUP_ALREADY_EXTENDED",
            "the pickup window was already extended once",
            "FAILED_PRECONDITION",
            state=progress.status.state,
        )


def check_announce_arrival(progress: OrderProgress, request: AnnounceArrivalInput) -> None:
    if _repeat(progress, ANNOUNCE, request.request_id):
        return
    errors = Violations()
    pickup_fields.check_arrival_state(request.state, errors)
    pickup_fields.check_curbside(request.vehicle_description, request.bay, errors)
    _raise_invalid(errors)
    _check_open(progress, frozenset({OrderState.READY_FOR_PICKUP}), "ORDER_NOT_READY")


def check_set_collector(progress: OrderProgress, request: SetCollectorInput) -> None:
    if _repeat(progress, COLLECTOR, request.request_id):
        return
    errors = Violations()
    pickup_fields.check_collector_name(request.collector_name, errors)
    _raise_invalid(errors)
    _check_open(progress, CANCEL_REQUEST_STATES, "ORDER_NOT_CHANGEABLE")


def check_collector_at_counter(progress: OrderProgress, request: ConfirmPickupInput) -> None:
    """With a collector named, the counter hands over to that person or to the customer (by
    the e-mail address or customer id on the order), in any case and spacing."""
    collector = progress.self_service.collector
    order = progress.order
    customer = (order.customer_email, order.customer_id)
    if pickup_fields.may_collect(request.collector_name, collector, customer):
        return
    message = "hand over only to the collector the customer named, or to the customer"
    raise Refusal(
        "COLLECTOR_NOT_ALLOWED",
        ErrorKind.INVALID_ARGUMENT,
        message,
        {"collector_name": collector},
        {"collector_name": message},
    ).error()


def window_closed(progress: OrderProgress) -> bool:
    """The pickup window ran out; the order is being let go (not yet recorded EXPIRED)."""
    return progress.status.state_reason == "PICKUP_WINDOW_EXPIRED"


def _repeat(progress: OrderProgress, command: str, request_id: str) -> bool:
    check_request_id(request_id)
    return key(command, request_id) in progress.self_service.answers


def _check_open(progress: OrderProgress, states: frozenset[OrderState], reason: str) -> None:
    """The order is in one of `states`, not being handed over or cancelled."""
    state = progress.status.state
    busy = progress.handover is not None or progress.cancel_request is not None
    if busy or state not in states or progress.decision is None:
        why = "being handed over" if progress.handover is not None else state
        why = "being cancelled" if progress.cancel_request is not None else why
        raise refusal(reason, f"order is {why}", "FAILED_PRECONDITION", state=state)


def _check_enabled(progress: OrderProgress) -> None:
    if not progress.self_service.enabled:
        raise refusal(
            "NOT_AVAILABLE_FOR_ORDER",
            "this order was placed before the change is offered",
            "FAILED_PRECONDITION",
            state=progress.status.state,
        )


def _raise_invalid(errors: Violations) -> None:
    if errors.items:
        violations: dict[str, str] = {}
        for item in errors.items:
            shown = violations.get(item.field)
            violations[item.field] = f"{shown}; {item.description}" if shown else item.description
        message = "; ".join(f"{f}: {d}" for f, d in violations.items())
        raise Refusal(
            "INVALID_REQUEST", ErrorKind.INVALID_ARGUMENT, message, {}, violations
        ).error()
