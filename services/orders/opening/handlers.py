"""Opening an order at checkout, in one unit of work: the order recorded, its route, its payment
authorized, its first state. Every part is idempotent by its own request id (derived from the
caller's), so a repeated call changes nothing and answers the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from services.common.order_states import OrderState
from services.orders.fulfillment import handlers as fulfillment_handlers
from services.orders.fulfillment.domain import Route
from services.orders.orders import handlers
from services.orders.orders.domain import NewOrder, Transition, order_total
from services.orders.orders.tables import OrderRow
from services.orders.payments.domain import PaymentStatus
from services.orders.payments.handlers import PaymentDesk
from services.orders.payments.provider import PaymentProvider
from services.orders.payments.tables import PaymentRow


@dataclass(frozen=True)
class Opening:
    """What the checkout decided: the order, where its units come from, how it is paid, and
    the state it starts in (None: it stays PENDING; REJECTED: refused, nothing else kept)."""

    order: NewOrder
    route: Route | None
    payment_method: str
    transition: Transition | None

    @property
    def refused(self) -> bool:
        return self.transition is not None and self.transition.target is OrderState.REJECTED

    @property
    def paid_later(self) -> bool:
        """Opened AWAITING_PAYMENT (a payment link): nothing is authorized now."""
        return self.transition is not None and self.transition.target is OrderState.AWAITING_PAYMENT


def open_order(
    session: Session,
    provider: PaymentProvider,
    lifetime: timedelta,
    opening: Opening,
    request_id: str,
    now: datetime,
) -> tuple[OrderRow, PaymentRow | None]:
    """Records the opening; a declined payment leaves the order REJECTED (PAYMENT_DECLINED)."""
    order_id = opening.order.order_id
    row = handlers.create_order(session, opening.order, request_id, now)
    payment = None
    if not opening.refused and opening.route is not None:
        route_id = f"{request_id}:route"
        fulfillment_handlers.record_route(session, order_id, opening.route, route_id, now)
    if not opening.refused and not opening.paid_later:
        total = order_total(opening.order.lines)
        desk = PaymentDesk(session, provider, now, lifetime)
        payment = desk.authorize(order_id, f"{request_id}:authorize", total, opening.payment_method)
    change = _declined(payment) or opening.transition
    if change is not None:
        row = handlers.transition_order(session, order_id, change, f"{request_id}:first", now)
    return row, payment


def _declined(payment: PaymentRow | None) -> Transition | None:
    if payment is None or payment.status != PaymentStatus.DECLINED.value:
        return None
    return Transition(
        OrderState.REJECTED,
        "order_rejected",
        f"payment declined: {payment.decline_reason or 'no reason given'}",
        state_reason="PAYMENT_DECLINED",
    )
