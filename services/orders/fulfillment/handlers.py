"""Fulfillment use cases: record the route, cancel units, keep shipments current.

Each runs inside the caller's unit of work with the order row locked; a repeated request id
finds the first one's effect and returns the order unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from services.common.order_states import OrderState
from services.orders.fulfillment import repository as store
from services.orders.fulfillment.domain import (
    LINE_CANCEL_STATES,
    ROUTABLE_STATES,
    Cancellation,
    LineQuantity,
    Route,
    cancellation_summary,
    cancelled_after,
    check_allocations,
    check_open,
    first_sources,
    remaining_total,
    route_summary,
)
from services.orders.fulfillment.shipments import Shipment, transfer_number
from services.orders.orders import repository as repo
from services.orders.orders.handlers import require_order
from services.orders.orders.tables import OrderLineRow, OrderRow


def record_route(
    session: Session, order_id: str, route: Route, request_id: str, now: datetime
) -> OrderRow:
    """Stores a validated route: fulfillment type, allocations, candidates, ready-by."""
    order = require_order(session, order_id, lock=True)
    if repo.has_request(session, order_id, request_id):
        return order
    check_open(OrderState(order.state), ROUTABLE_STATES, "be routed")
    lines = _lines(session, order_id)
    check_allocations(_quantities(lines.values()), route.lines)
    assert route.fulfillment_type is not None
    order.fulfillment_type = route.fulfillment_type.value
    if route.ready_by is not None:
        order.ready_by = route.ready_by
    for number, source in first_sources(route.lines).items():
        lines[number].source_location_id = source
        session.add(lines[number])
    store.replace_allocations(session, order_id, route.lines)
    store.replace_candidates(session, order_id, route.explanation)
    repo.add_event(session, order, "order_routed", route_summary(route), request_id, now)
    session.flush()
    return order


def cancel_lines(
    session: Session,
    order_id: str,
    cancellations: Sequence[Cancellation],
    reason: str,
    request_id: str,
    now: datetime,
) -> OrderRow:
    """Cancels units of lines (never more than ordered); the order total drops with them."""
    order = require_order(session, order_id, lock=True)
    if repo.has_request(session, order_id, request_id):
        return order
    check_open(OrderState(order.state), LINE_CANCEL_STATES, "have lines cancelled")
    lines = _lines(session, order_id)
    for number, cancelled in cancelled_after(_quantities(lines.values()), cancellations).items():
        lines[number].cancelled_quantity = cancelled
        lines[number].cancel_reason = reason
        session.add(lines[number])
    after = remaining_total(_quantities(lines.values()).values(), order.currency)
    order.total_minor = after.amount_minor
    detail = cancellation_summary(cancellations, reason)
    repo.add_event(session, order, "lines_cancelled", detail, request_id, now)
    session.flush()
    return order


def record_shipment(
    session: Session,
    order_id: str,
    shipment: Shipment,
    event: str,
    detail: str,
    request_id: str,
    now: datetime,
) -> OrderRow:
    """Creates or updates the shipment by transfer id; the order is late if any shipment is."""
    order = require_order(session, order_id, lock=True)
    if repo.has_request(session, order_id, request_id) or store.has_logged_request(
        session, order_id, request_id
    ):
        return order
    number = transfer_number(order_id, shipment.transfer_id)
    assert number is not None
    store.upsert_shipment(session, order_id, number, shipment, now)
    session.flush()
    order.transfer_late = any(row.late for row in store.shipments_of(session, [order_id]))
    if event:
        repo.add_event(session, order, event, detail, request_id, now)
    else:
        order.update_time = now
        session.add(order)
        store.log_request(session, order_id, request_id, now)
    session.flush()
    return order


def _lines(session: Session, order_id: str) -> dict[int, OrderLineRow]:
    return {row.line_number: row for row in repo.lines_of(session, [order_id])}


def _quantities(rows: Iterable[OrderLineRow]) -> dict[int, LineQuantity]:
    return {
        row.line_number: LineQuantity(
            row.line_number, row.quantity, row.cancelled_quantity, row.unit_price_minor
        )
        for row in rows
    }
