"""Order use cases: each runs inside the caller's unit of work (one transaction per RPC).

They lock the order row first, so concurrent requests on one order queue up, and a repeated
request id finds the first one's effect instead of applying it twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.common.errors import AlreadyExists, NotFound
from services.common.order_states import OrderState
from services.orders import metrics
from services.orders.orders import repository as repo
from services.orders.orders.domain import (
    NewOrder,
    Transition,
    check_pickup_code,
    check_transition,
    event_type_of,
)
from services.orders.orders.facts import EventFacts, changes_of, check_allowed
from services.orders.orders.tables import OrderRow


def require_order(session: Session, order_id: str, *, lock: bool = False) -> OrderRow:
    row = repo.get_order(session, order_id, lock=lock)
    if row is None:
        raise NotFound("ORDER_NOT_FOUND", f"no order {order_id}", {"order_id": order_id})
    return row


def create_order(
    session: Session, order: NewOrder, request_id: str | None, now: datetime
) -> OrderRow:
    """Records a validated, normalized order; a repeat of the same order returns the first, and
    so does a repeat of the request that created it, whatever changed the order since (its
    route moving lines to another source, a later state)."""
    if repo.get_order(session, order.order_id, lock=True) is None:
        try:
            with session.begin_nested():
                repo.insert_order(session, order, request_id, now)
            return require_order(session, order.order_id, lock=True)  # just as it was given
        except IntegrityError:
            pass  # a concurrent create of the same id won; compared below like any repeat
    row = require_order(session, order.order_id)
    if request_id is not None and repo.has_request(session, order.order_id, request_id):
        return row
    if repo.as_new_order(row, repo.lines_of(session, [order.order_id])) != order:
        raise AlreadyExists(
            "ORDER_EXISTS",
            f"order {order.order_id} exists with different content",
            {"order_id": order.order_id},
        )
    return row


def transition_order(
    session: Session, order_id: str, change: Transition, request_id: str, now: datetime
) -> OrderRow:
    order = require_order(session, order_id, lock=True)
    if repo.has_request(session, order_id, request_id):
        return order
    assert change.target is not None
    check_transition(OrderState(order.state), change.target)
    check_pickup_code(change, order.pickup_code)
    if order.state == OrderState.AWAITING_PAYMENT.value:  # paid, or cancelled unpaid
        order.payment_due_time = None
    order.state = change.target.value
    if change.target is OrderState.PICKED_UP:
        order.handover_time = now
    for name in ("ready_by", "pick_deadline", "pickup_expire_time", "payment_due_time"):
        if getattr(change, name) is not None:
            setattr(order, name, getattr(change, name))
    for name in ("pickup_code", "collected_by", "state_reason"):
        if getattr(change, name):
            setattr(order, name, getattr(change, name))
    event = event_type_of(change)
    repo.add_event(session, order, event, change.detail, request_id, now, change.client_request_id)
    session.flush()
    metrics.order_reached(session, change.target, order.state_reason)
    return order


def record_event(
    session: Session,
    order_id: str,
    event: str,
    detail: str,
    flags: dict[str, bool],
    request_id: str,
    now: datetime,
    facts: EventFacts | None = None,
) -> OrderRow:
    """Adds a timeline entry and sets the given flags (pick_overdue, pickup_locked) and facts
    (a customer's change before hand-over)."""
    order = require_order(session, order_id, lock=True)
    if repo.has_request(session, order_id, request_id):
        return order
    facts = facts or EventFacts()
    changes = changes_of(facts)
    check_allowed(order.state, changes)
    if changes.get("pickup_store_id", order.pickup_store_id) != order.pickup_store_id:
        order.placed_store_id = order.placed_store_id or order.pickup_store_id
    if flags.get("pick_overdue") and not order.pick_overdue:
        metrics.pick_overdue(session)
    for name, value in {**flags, **changes}.items():
        setattr(order, name, value)
    repo.add_event(session, order, event, detail, request_id, now, facts.client_request_id)
    session.flush()
    return order
