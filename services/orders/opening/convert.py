"""OpenOrderRequest into an Opening, checked: the same rules as CreateOrder, RecordRoute and
TransitionOrder, with field paths relative to OpenOrderRequest."""

from __future__ import annotations

from collections.abc import Callable

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.errors import FieldViolation, InvalidArgument, Violations
from services.common.order_states import OrderState
from services.orders.fulfillment.convert import route_from_proto
from services.orders.fulfillment.domain import validate_route
from services.orders.opening.handlers import Opening
from services.orders.orders.convert import from_proto, transition_from_proto
from services.orders.orders.domain import (
    Transition,
    normalized,
    validate_new_order,
    validate_transition,
)


def opening_from_proto(request: pb.OpenOrderRequest, v: Violations) -> Opening:
    """Raises INVALID_ARGUMENT naming every bad field (those already in ``v`` included)."""
    order = from_proto(request.order)
    first = transition_from_proto(request.transition) if request.HasField("transition") else None
    refused = first is not None and first.target is OrderState.REJECTED
    if not refused and not _paid_later(first):
        v.check(bool(request.payment_method.strip()), "payment_method", "required")
    validate_new_order(order, v)
    route = route_from_proto(request.route) if request.HasField("route") else None
    if route is not None and not refused:
        _within("route", lambda: validate_route(route))
    if first is not None:
        _within("transition", lambda: validate_transition(first))
    return Opening(normalized(order), None if refused else route, request.payment_method, first)


def _paid_later(first: Transition | None) -> bool:
    """Opened AWAITING_PAYMENT: paid later by a link, nothing to authorize now."""
    return first is not None and first.target is OrderState.AWAITING_PAYMENT


def _within(part: str, check: Callable[[], None]) -> None:
    """Runs a part's own check; its field paths are named from OpenOrderRequest."""
    try:
        check()
    except InvalidArgument as error:
        fields = [FieldViolation(f"{part}.{v.field}", v.description) for v in error.violations]
        raise InvalidArgument(error.reason, error.message, fields, error.metadata) from None
