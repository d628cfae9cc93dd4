"""Return use cases: each runs inside the caller's unit of work (one transaction per RPC).

Each locks the return's order first: two returns racing for the same units queue on that lock,
and the second sees the first one's units as taken. Every change adds an event with the request
id to the order's timeline; a repeated request finds its effect and answers it unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.common.errors import AlreadyExists, NotFound
from services.orders import metrics
from services.orders.orders import repository as repo
from services.orders.orders.domain import Money
from services.orders.orders.handlers import require_order
from services.orders.orders.tables import OrderRow
from services.orders.payments import repository as payments
from services.orders.payments.domain import PaymentStatus
from services.orders.payments.handlers import PaymentDesk
from services.orders.payments.provider import PaymentProvider
from services.orders.payments.tables import PaymentRow
from services.orders.returns import repository as returns
from services.orders.returns.domain import (
    NewReturn,
    ReturnItem,
    ReturnMethod,
    ReturnState,
    check_expirable,
    check_receipt,
    check_receivable,
    check_refundable,
    comparable,
    request_id_reused,
    summary,
    units_by_sku,
)
from services.orders.returns.policy import Override, ReturnWindows, plan_return
from services.orders.returns.tables import ReturnLineRow, ReturnRow


@dataclass
class ReturnView:
    ret: ReturnRow
    lines: list[ReturnLineRow]

    def units(self) -> list[tuple[str, int]]:
        return [(line.sku, line.quantity) for line in self.lines]


def get_return(session: Session, return_id: str) -> ReturnView:
    row = returns.get_return(session, return_id)
    if row is None:
        raise _not_found(return_id)
    return ReturnView(row, returns.lines_of_return(session, return_id))


def _not_found(return_id: str) -> NotFound:
    return NotFound("RETURN_NOT_FOUND", f"no return {return_id}", {"return_id": return_id})


def create_return(
    session: Session,
    new: NewReturn,
    request_id: str,
    at: datetime,
    windows: ReturnWindows,
    now: datetime,
) -> tuple[ReturnView, OrderRow]:
    """Opens a validated return if the policy allows it (in store: received at once; by mail:
    authorized with an RMA). The same return id again answers the stored return."""
    order = require_order(session, new.order_id, lock=True)
    if returns.get_return(session, new.return_id) is None:
        _check_fresh(session, order, request_id)
        _insert_new(session, order, new, request_id, at, windows, now)
    stored = get_return(session, new.return_id)
    if comparable(returns.as_new_return(stored.ret, stored.lines)) != comparable(new):
        raise AlreadyExists(
            "RETURN_EXISTS",
            f"return {new.return_id} exists with different content",
            {"return_id": new.return_id},
        )
    return stored, order


def _insert_new(
    session: Session,
    order: OrderRow,
    new: NewReturn,
    request_id: str,
    at: datetime,
    windows: ReturnWindows,
    now: datetime,
) -> None:
    """Applies the policy, stores the return and notes it on the order's timeline."""
    sold = returns.sold_order(session, order)
    returned = returns.returned_of_order(session, order.order_id)
    items = [(item.sku, item.quantity) for item in new.items]
    override = Override(new.override_reason, new.overridden_by)
    plan = plan_return(sold, returned, items, at, windows, override)
    try:
        with session.begin_nested():
            returns.insert_return(session, order, new, plan, request_id, now)
    except IntegrityError:  # the id was taken meanwhile, by a return of another order
        raise AlreadyExists(
            "RETURN_EXISTS", f"return {new.return_id} exists", {"return_id": new.return_id}
        ) from None
    metrics.return_started(session, new.method.value if new.method else "")
    in_store = new.method is ReturnMethod.IN_STORE
    event = "return_received" if in_store else "return_authorized"
    note = f"override by {new.overridden_by}: {new.override_reason}" if new.override_reason else ""
    units = [(line.sku, line.quantity) for line in plan]
    repo.add_event(session, order, event, summary(new.return_id, units, note), request_id, now)
    session.flush()


def receive_return(
    session: Session,
    return_id: str,
    location_id: str,
    items: Sequence[ReturnItem],
    request_id: str,
    now: datetime,
    client_request_id: str = "",
) -> ReturnView:
    """The parcel of an authorized return arrived and was inspected: exactly its units. The
    order's timeline keeps the scan's client request id."""
    order, view = _open(session, return_id)
    ret = view.ret
    if ret.receive_request_id == request_id:
        return view
    check_receivable(return_id, ReturnState(ret.state))
    _check_fresh(session, order, request_id)
    check_receipt(units_by_sku(view.units()), items)
    conditions = {item.sku: item.condition for item in items}
    for line in view.lines:
        condition = conditions[line.sku]
        assert condition is not None  # required by the request's validation
        line.condition = condition.value
        session.add(line)
    ret.receiving_location_id = location_id
    ret.receive_time, ret.receive_request_id = now, request_id
    at = f"at {location_id}"
    _move(session, order, view, ReturnState.RECEIVED, request_id, now, at, client_request_id)
    return view


def refund_return(
    session: Session, provider: PaymentProvider, return_id: str, request_id: str, now: datetime
) -> tuple[ReturnView, PaymentRow | None]:
    """Pays a received return back to the original tender and closes it.

    Every returned unit is refunded, damaged ones included: the customer gave them back, and
    the condition only decides whether they are restocked or written off. A declined refund is
    recorded and the return stays RECEIVED; an already refunded return answers as it is.
    """
    order, view = _open(session, return_id)
    state = ReturnState(view.ret.state)
    if state is ReturnState.REFUNDED:
        return view, _refund_of(session, view.ret)
    check_refundable(return_id, state)
    _check_fresh(session, order, request_id)
    amount = Money(sum(line.refund_minor for line in view.lines), order.currency)
    payment = None
    if amount.amount_minor > 0:
        desk = PaymentDesk(session, provider, now)
        payment = desk.refund(order.order_id, request_id, amount, return_id=return_id)
        if payment.status != PaymentStatus.SUCCEEDED.value:
            return view, payment
        view.ret.refund_payment_id = payment.payment_id
    view.ret.refund_time = now
    money = f"{amount.amount_minor} {amount.currency} refunded"
    _move(session, order, view, ReturnState.REFUNDED, request_id, now, money)
    return view, payment


def expire_return(session: Session, return_id: str, request_id: str, now: datetime) -> ReturnView:
    """An RMA whose parcel never came lapses; its units are returnable again."""
    order, view = _open(session, return_id)
    state = ReturnState(view.ret.state)
    if state is ReturnState.EXPIRED:
        return view
    check_expirable(return_id, state)
    _check_fresh(session, order, request_id)
    _move(session, order, view, ReturnState.EXPIRED, request_id, now)
    return view


def _open(session: Session, return_id: str) -> tuple[OrderRow, ReturnView]:
    """Locks the return's order, then reads the return (as the lock holder sees it)."""
    order_id = returns.order_id_of(session, return_id)
    if order_id is None:
        raise _not_found(return_id)
    order = require_order(session, order_id, lock=True)
    return order, get_return(session, return_id)


def _check_fresh(session: Session, order: OrderRow, request_id: str) -> None:
    if repo.has_request(session, order.order_id, request_id):
        raise request_id_reused()


def _move(
    session: Session,
    order: OrderRow,
    view: ReturnView,
    state: ReturnState,
    request_id: str,
    now: datetime,
    note: str = "",
    client_request_id: str = "",
) -> None:
    """Puts the return in ``state`` and notes it on the order's timeline."""
    view.ret.state, view.ret.update_time = state.value, now
    session.add(view.ret)
    detail = summary(view.ret.return_id, view.units(), note)
    event = f"return_{state.value.lower()}"
    repo.add_event(session, order, event, detail, request_id, now, client_request_id)
    session.flush()


def _refund_of(session: Session, ret: ReturnRow) -> PaymentRow | None:
    movements = payments.payments_of(session, [ret.order_id])
    return next((p for p in movements if p.payment_id == ret.refund_payment_id), None)
