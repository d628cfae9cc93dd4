"""Order use cases: each runs inside the caller's unit of work (one transaction per RPC).

They lock the order row first, so concurrent requests on one order queue up, and a repeated
request id finds the first one's effect instead of applying it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.common.errors import AlreadyExists, NotFound
from services.orders import fulfillment_repository as store
from services.orders import repository as repo
from services.orders.domain import (
    NewOrder,
    OrderState,
    Transition,
    check_pickup_code,
    check_transition,
    event_type_of,
)
from services.orders.returns import repository as returns
from services.orders.returns.tables import ReturnLineRow, ReturnRow
from services.orders.tables import (
    LineAllocationRow,
    OrderEventRow,
    OrderLineRow,
    OrderRow,
    PaymentRow,
    RouteCandidateRow,
    ShipmentLineRow,
    ShipmentRow,
)


@dataclass
class OrderView:
    """An order with its lines, timeline, money movements, route, shipments and returns, as read
    in one transaction."""

    order: OrderRow
    lines: list[OrderLineRow] = field(default_factory=list)
    events: list[OrderEventRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)
    allocations: list[LineAllocationRow] = field(default_factory=list)
    candidates: list[RouteCandidateRow] = field(default_factory=list)
    shipments: list[ShipmentRow] = field(default_factory=list)
    shipment_lines: list[ShipmentLineRow] = field(default_factory=list)
    returns: list[ReturnRow] = field(default_factory=list)
    return_lines: list[ReturnLineRow] = field(default_factory=list)


def require_order(session: Session, order_id: str, *, lock: bool = False) -> OrderRow:
    row = repo.get_order(session, order_id, lock=lock)
    if row is None:
        raise NotFound("ORDER_NOT_FOUND", f"no order {order_id}", {"order_id": order_id})
    return row


def views_of(session: Session, rows: Sequence[OrderRow]) -> list[OrderView]:
    """Loads the parts of many orders with one query per part."""
    ids = [row.order_id for row in rows]
    views = {row.order_id: OrderView(row) for row in rows}
    for line in repo.lines_of(session, ids):
        views[line.order_id].lines.append(line)
    for event in repo.events_of(session, ids):
        views[event.order_id].events.append(event)
    for payment in repo.payments_of(session, ids):
        views[payment.order_id].payments.append(payment)
    for allocation in store.allocations_of(session, ids):
        views[allocation.order_id].allocations.append(allocation)
    for candidate in store.candidates_of(session, ids):
        views[candidate.order_id].candidates.append(candidate)
    shipped: set[str] = set()
    for shipment in store.shipments_of(session, ids):
        views[shipment.order_id].shipments.append(shipment)
        shipped.add(shipment.order_id)
    if shipped:  # lines only where there are shipments
        for shipment_line in store.shipment_lines_of(session, sorted(shipped)):
            views[shipment_line.order_id].shipment_lines.append(shipment_line)
    handed_over = [row.order_id for row in rows if row.state == OrderState.PICKED_UP.value]
    if handed_over:  # only a handed-over order has returns
        _attach_returns(session, views, handed_over)
    return [views[i] for i in ids]


def _attach_returns(session: Session, views: dict[str, OrderView], ids: list[str]) -> None:
    order_of_return: dict[str, str] = {}
    for ret in returns.returns_of(session, ids):
        views[ret.order_id].returns.append(ret)
        order_of_return[ret.return_id] = ret.order_id
    for return_line in returns.return_lines_of(session, ids):
        if return_line.return_id in order_of_return:  # not one committed since the read above
            views[order_of_return[return_line.return_id]].return_lines.append(return_line)


def get_order(session: Session, order_id: str) -> OrderView:
    return views_of(session, [require_order(session, order_id)])[0]


def answer(session: Session, order: OrderRow, full: bool) -> OrderView:
    """What a change answers with: the whole order, or (basic) its own row without parts."""
    return views_of(session, [order])[0] if full else OrderView(order)


def create_order(
    session: Session, order: NewOrder, request_id: str | None, now: datetime
) -> OrderRow:
    """Records a validated, normalized order; a repeat of the same order returns the first."""
    if repo.get_order(session, order.order_id, lock=True) is None:
        try:
            with session.begin_nested():
                repo.insert_order(session, order, request_id, now)
            return require_order(session, order.order_id, lock=True)  # just as it was given
        except IntegrityError:
            pass  # a concurrent create of the same id won; compared below like any repeat
    row = require_order(session, order.order_id)
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
    order.state = change.target.value
    if change.target is OrderState.PICKED_UP:
        order.handover_time = now
    for name in ("ready_by", "pick_deadline", "pickup_expire_time"):
        if getattr(change, name) is not None:
            setattr(order, name, getattr(change, name))
    for name in ("pickup_code", "collected_by", "state_reason"):
        if getattr(change, name):
            setattr(order, name, getattr(change, name))
    repo.add_event(session, order, event_type_of(change), change.detail, request_id, now)
    session.flush()
    return order


def record_event(
    session: Session,
    order_id: str,
    event: str,
    detail: str,
    flags: dict[str, bool],
    request_id: str,
    now: datetime,
) -> OrderRow:
    """Adds a timeline entry and sets the given flags (pick_overdue, pickup_locked)."""
    order = require_order(session, order_id, lock=True)
    if repo.has_request(session, order_id, request_id):
        return order
    for name, value in flags.items():
        setattr(order, name, value)
    repo.add_event(session, order, event, detail, request_id, now)
    session.flush()
    return order
