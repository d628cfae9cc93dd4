"""The orders service's business counters (Prometheus; served with the process's gRPC
metrics, services/common/metrics.py): the order funnel by state and reason, picks that ran
late, returns by method and money movements by outcome. Each counts a change once it is
committed, never a repeat of a request."""

from __future__ import annotations

from prometheus_client import Counter
from sqlmodel import Session

from services.common.db import when_committed
from services.common.order_states import OrderState

ORDER_STATES = Counter(
    "clickcollect_order_state_changes_total",
    "Orders reaching a state: placed (AWAITING_PICK, IN_TRANSIT, AWAITING_PAYMENT), collected "
    "(PICKED_UP), refused (REJECTED, by reason), cancelled (by whom), expired",
    ["state", "reason"],
)
PICKS_OVERDUE = Counter(
    "clickcollect_orders_pick_overdue_total", "Orders whose pick deadline passed unpicked"
)
RETURNS = Counter("clickcollect_returns_total", "Returns started, by method", ["method"])
PAYMENTS = Counter(
    "clickcollect_payments_total",
    "Money movements by operation and outcome (CAPTURE DECLINED: refused at the counter)",
    ["operation", "status"],
)
_WITH_REASON = frozenset({OrderState.REJECTED, OrderState.CANCELLED, OrderState.EXPIRED})
MAX_REASON = 64  # reasons are codes (OUT_OF_STOCK, CANCELLED_BY_CUSTOMER …)


def order_reached(session: Session, state: OrderState, reason: str) -> None:
    label = reason[:MAX_REASON] if state in _WITH_REASON else ""
    when_committed(session, ORDER_STATES.labels(state.value, label).inc)


def pick_overdue(session: Session) -> None:
    when_committed(session, PICKS_OVERDUE.inc)


def return_started(session: Session, method: str) -> None:
    when_committed(session, RETURNS.labels(method).inc)


def money_moved(session: Session, operation: str, status: str) -> None:
    when_committed(session, PAYMENTS.labels(operation, status).inc)
