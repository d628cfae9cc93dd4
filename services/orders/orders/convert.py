"""Between the orders proto and the order domain/rows: ``from_proto`` in, ``to_proto`` out."""

from __future__ import annotations

from collections.abc import Iterable

from clickcollect.common.v1 import money_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.timeconv import from_timestamp, to_timestamp
from services.orders.domain import (
    Channel,
    FulfillmentType,
    Money,
    NewOrder,
    OrderLine,
    OrderState,
    Transition,
)
from services.orders.fulfillment_convert import (
    allocations_by_line,
    candidate_to_proto,
    shipments_to_proto,
)
from services.orders.handlers import OrderView
from services.orders.ledger import PaymentOperation, PaymentStatus
from services.orders.returns.convert import returns_to_proto
from services.orders.returns.repository import units_returned
from services.orders.tables import OrderEventRow, OrderLineRow, PaymentRow

STATE_OUT = {s: pb.OrderState.Value(f"ORDER_STATE_{s}") for s in OrderState}
CHANNEL_OUT = {c: pb.Channel.Value(f"CHANNEL_{c}") for c in Channel}
FULFILLMENT_OUT = {f: pb.FulfillmentType.Value(f"FULFILLMENT_TYPE_{f}") for f in FulfillmentType}
OPERATION_OUT = {o: pb.PaymentOperation.Value(f"PAYMENT_OPERATION_{o}") for o in PaymentOperation}
STATUS_OUT = {s: pb.PaymentStatus.Value(f"PAYMENT_STATUS_{s}") for s in PaymentStatus}
STATE_IN = {number: state for state, number in STATE_OUT.items()}
CHANNEL_IN = {number: channel for channel, number in CHANNEL_OUT.items()}
FULFILLMENT_IN = {number: kind for kind, number in FULFILLMENT_OUT.items()}


def state_from_proto(value: int) -> OrderState | None:
    """The domain state; None for UNSPECIFIED or a number this version does not know."""
    return STATE_IN.get(pb.OrderState.ValueType(value))


def states_from_proto(values: Iterable[int]) -> list[OrderState | None]:
    return [state_from_proto(v) for v in values]


def money_from_proto(money: money_pb2.Money) -> Money:
    return Money(money.amount_minor, money.currency_code)


def from_proto(order: pb.Order) -> NewOrder:
    return NewOrder(
        order_id=order.order_id,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        channel=CHANNEL_IN.get(order.channel),
        pickup_store_id=order.pickup_store_id,
        fulfillment_type=FULFILLMENT_IN.get(order.fulfillment_type),
        lines=tuple(
            OrderLine(
                line.line_number,
                line.sku,
                line.name,
                line.quantity,
                money_from_proto(line.unit_price),
                line.source_location_id,
                line.final_sale,
            )
            for line in order.lines
        ),
        receipt_number=order.receipt_number,
    )


def transition_from_proto(request: pb.TransitionOrderRequest) -> Transition:
    return Transition(
        target=state_from_proto(request.state),
        event=request.event,
        detail=request.detail,
        state_reason=request.state_reason,
        ready_by=from_timestamp(request.ready_by),
        pick_deadline=from_timestamp(request.pick_deadline),
        pickup_expire_time=from_timestamp(request.pickup_expire_time),
        pickup_code=request.pickup_code,
        collected_by=request.collected_by,
    )


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
        state=STATE_OUT[OrderState(row.state)],
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
    order.timeline.extend(_event_to_proto(event) for event in view.events)
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


def _event_to_proto(event: OrderEventRow) -> pb.OrderEvent:
    return pb.OrderEvent(
        time=to_timestamp(event.time),
        type=event.type,
        detail=event.detail,
        state=STATE_OUT[OrderState(event.state)],
        request_id=event.request_id or "",
    )


def payment_to_proto(payment: PaymentRow | None) -> pb.Payment:
    """The movement; an empty message for none (a void with nothing to void)."""
    if payment is None:
        return pb.Payment()
    return pb.Payment(
        payment_id=payment.payment_id,
        operation=OPERATION_OUT[PaymentOperation(payment.operation)],
        status=STATUS_OUT[PaymentStatus(payment.status)],
        amount=money_pb2.Money(amount_minor=payment.amount_minor, currency_code=payment.currency),
        provider=payment.provider,
        provider_reference=payment.provider_reference,
        idempotency_key=payment.idempotency_key,
        decline_reason=payment.decline_reason,
        time=to_timestamp(payment.time),
        expire_time=to_timestamp(payment.expire_time),
        return_id=payment.return_id,
        authorization_id=payment.authorization_id,
    )


def wants_full(view: int) -> bool:
    """A change answers with the whole order unless the caller asked for the basic view."""
    return bool(view != pb.ORDER_VIEW_BASIC)
