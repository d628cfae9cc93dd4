"""An order as read: its row with every part (lines, timeline, money movements, route,
shipments, returns) loaded in one transaction, one query per part for a whole page of orders,
and its message. The read model above the packages: the servicer hands it to their RPCs as
their ``OrderAnswers``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from clickcollect.common.v1 import money_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.order_states import OrderState, order_state_to_proto
from services.common.timeconv import to_timestamp
from services.orders.fulfillment import repository as store
from services.orders.fulfillment.convert import (
    allocations_by_line,
    candidate_to_proto,
    shipments_to_proto,
)
from services.orders.fulfillment.tables import (
    LineAllocationRow,
    RouteCandidateRow,
    ShipmentLineRow,
    ShipmentRow,
)
from services.orders.orders import repository as repo
from services.orders.orders.convert import (
    CHANNEL_OUT,
    FULFILLMENT_OUT,
    arrival_to_proto,
    event_to_proto,
)
from services.orders.orders.domain import Channel, FulfillmentType
from services.orders.orders.tables import OrderEventRow, OrderLineRow, OrderRow
from services.orders.payments import repository as payments
from services.orders.payments.convert import payment_to_proto
from services.orders.payments.tables import PaymentRow
from services.orders.returns import repository as returns
from services.orders.returns.convert import returns_to_proto
from services.orders.returns.repository import units_returned
from services.orders.returns.tables import ReturnLineRow, ReturnRow


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


def views_of(session: Session, rows: Sequence[OrderRow]) -> list[OrderView]:
    """Loads the parts of many orders with one query per part."""
    ids = [row.order_id for row in rows]
    views = {row.order_id: OrderView(row) for row in rows}
    for line in repo.lines_of(session, ids):
        views[line.order_id].lines.append(line)
    for event in repo.events_of(session, ids):
        views[event.order_id].events.append(event)
    for payment in payments.payments_of(session, ids):
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


def answer(session: Session, order: OrderRow, full: bool) -> pb.Order:
    """What a change answers with: the whole order, or (basic) its own row without parts."""
    return to_proto(views_of(session, [order])[0] if full else OrderView(order))


def answer_all(
    session: Session, orders: Sequence[OrderRow], store_view: bool = False
) -> list[pb.Order]:
    """Whole orders, one query per part for them all; ``store_view``: no pickup code."""
    return [to_proto(view, store_view=store_view) for view in views_of(session, orders)]


def to_proto(view: OrderView, *, store_view: bool = False) -> pb.Order:
    """The order message; ``store_view`` strips what only the customer may see (pickup code)."""
    row = view.order
    order = pb.Order(
        order_id=row.order_id,
        customer_id=row.customer_id,
        customer_email=row.customer_email,
        channel=CHANNEL_OUT[Channel(row.channel)],
        pickup_store_id=row.pickup_store_id,
        fulfillment_type=FULFILLMENT_OUT[FulfillmentType(row.fulfillment_type)],
        state=order_state_to_proto(row.state),
        total=money_pb2.Money(amount_minor=row.total_minor, currency_code=row.currency),
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
        ready_by=to_timestamp(row.ready_by),
        pick_deadline=to_timestamp(row.pick_deadline),
        pickup_expire_time=to_timestamp(row.pickup_expire_time),
        pickup_code="" if store_view else row.pickup_code,
        state_reason=row.state_reason,
        pick_overdue=row.pick_overdue,
        pickup_locked=row.pickup_locked,
        collected_by=row.collected_by,
        transfer_late=row.transfer_late,
        receipt_number=row.receipt_number,
        customer_arrival=arrival_to_proto(row),
        collector_name=row.collector_name,
        pickup_extensions=row.pickup_extensions,
        placed_pickup_store_id=row.placed_store_id,
        placed_by_associate=row.placed_by_associate,
        placed_by_terminal=row.placed_by_terminal,
        payment_due_time=to_timestamp(row.payment_due_time),
    )
    allocations = allocations_by_line(view.allocations)
    returned = units_returned(view.returns, view.return_lines)
    order.lines.extend(
        _line_to_proto(
            line,
            row.currency,
            allocations.get(line.line_number, []),
            returned.get(line.line_number, 0),
        )
        for line in view.lines
    )
    order.timeline.extend(event_to_proto(event) for event in view.events)
    order.payments.extend(payment_to_proto(payment) for payment in view.payments)
    order.route_explanation.extend(candidate_to_proto(c) for c in view.candidates)
    order.shipments.extend(shipments_to_proto(view.shipments, view.shipment_lines))
    order.returns.extend(returns_to_proto(view.returns, view.return_lines))
    return order


def _line_to_proto(
    line: OrderLineRow, currency: str, allocations: list[pb.Allocation], returned: int
) -> pb.OrderLine:
    return pb.OrderLine(
        line_number=line.line_number,
        sku=line.sku,
        name=line.name,
        quantity=line.quantity,
        unit_price=money_pb2.Money(amount_minor=line.unit_price_minor, currency_code=currency),
        source_location_id=line.source_location_id,
        allocations=allocations,
        cancelled_quantity=line.cancelled_quantity,
        cancel_reason=line.cancel_reason,
        final_sale=line.final_sale,
        returned_quantity=returned,
    )
