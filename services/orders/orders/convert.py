"""Between the orders proto and the order domain/rows: ``from_proto`` in; the order's own parts
out (the whole order's message is ``services.orders.views.to_proto``)."""

from __future__ import annotations

from collections.abc import Iterable

from clickcollect.common.v1 import money_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.order_states import OrderState, order_state_from_proto, order_state_to_proto
from services.common.timeconv import from_timestamp, to_timestamp, utcnow
from services.orders.orders.domain import (
    Channel,
    FulfillmentType,
    Money,
    NewOrder,
    OrderLine,
    Transition,
)
from services.orders.orders.facts import Arrival, EventFacts
from services.orders.orders.tables import OrderEventRow, OrderRow

CHANNEL_OUT = {c: pb.Channel.Value(f"CHANNEL_{c}") for c in Channel}
FULFILLMENT_OUT = {f: pb.FulfillmentType.Value(f"FULFILLMENT_TYPE_{f}") for f in FulfillmentType}
CHANNEL_IN = {number: channel for channel, number in CHANNEL_OUT.items()}
FULFILLMENT_IN = {number: kind for kind, number in FULFILLMENT_OUT.items()}
ARRIVAL_IN = {pb.ARRIVAL_STATE_ARRIVING: "ARRIVING", pb.ARRIVAL_STATE_HERE: "HERE"}


def states_from_proto(values: Iterable[int]) -> list[OrderState | None]:
    return [order_state_from_proto(v) for v in values]


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
        placed_by_associate=order.placed_by_associate.strip(),
        placed_by_terminal=order.placed_by_terminal,
    )


def transition_from_proto(request: pb.TransitionOrderRequest) -> Transition:
    return Transition(
        target=order_state_from_proto(request.state),
        event=request.event,
        detail=request.detail,
        state_reason=request.state_reason,
        ready_by=from_timestamp(request.ready_by),
        pick_deadline=from_timestamp(request.pick_deadline),
        pickup_expire_time=from_timestamp(request.pickup_expire_time),
        pickup_code=request.pickup_code,
        collected_by=request.collected_by,
        payment_due_time=from_timestamp(request.payment_due_time),
        client_request_id=request.client_request_id,
    )


def event_to_proto(event: OrderEventRow) -> pb.OrderEvent:
    return pb.OrderEvent(
        time=to_timestamp(event.time),
        type=event.type,
        detail=event.detail,
        state=order_state_to_proto(event.state),
        request_id=event.request_id or "",
        client_request_id=event.client_request_id,
    )


def wants_full(view: int) -> bool:
    """A change answers with the whole order unless the caller asked for the basic view."""
    return bool(view != pb.ORDER_VIEW_BASIC)


def facts_from_proto(request: pb.RecordOrderEventRequest) -> EventFacts:
    """The facts an event brings along (unset fields: unchanged)."""
    arrival = None
    if request.HasField("customer_arrival"):
        given = request.customer_arrival
        state = ARRIVAL_IN.get(given.state, "")
        announced = from_timestamp(given.announce_time) or utcnow()
        arrival = Arrival(state, announced, given.vehicle_description, given.bay)
    return EventFacts(
        pickup_store_id=request.pickup_store_id,
        ready_by=from_timestamp(request.ready_by),
        pick_deadline=from_timestamp(request.pick_deadline),
        pickup_expire_time=from_timestamp(request.pickup_expire_time),
        pickup_extensions=(
            request.pickup_extensions if request.HasField("pickup_extensions") else None
        ),
        arrival=arrival,
        collector_name=request.collector_name or None,
        client_request_id=request.client_request_id,
    )


def arrival_to_proto(row: OrderRow) -> pb.CustomerArrival | None:
    """The customer's arrival announcement, when there is one."""
    if not row.arrival_state:
        return None
    return pb.CustomerArrival(
        state=pb.ArrivalState.Value(f"ARRIVAL_STATE_{row.arrival_state}"),
        announce_time=to_timestamp(row.arrival_time),
        vehicle_description=row.vehicle_description,
        bay=row.arrival_bay,
    )
