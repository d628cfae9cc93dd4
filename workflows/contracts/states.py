"""The order states of the workflows, one enum, mapped once to the orders service's proto enum
(clickcollect.orders.v1.OrderState) in both directions."""

from __future__ import annotations

from enum import StrEnum

from clickcollect.orders.v1 import orders_pb2

_PROTO_PREFIX = "ORDER_STATE_"


class OrderState(StrEnum):
    """An order's lifecycle state; the value is the proto name without its prefix."""

    PENDING = "PENDING"
    REJECTED = "REJECTED"
    AWAITING_PICK = "AWAITING_PICK"
    IN_TRANSIT = "IN_TRANSIT"
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    PICKED_UP = "PICKED_UP"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


# An order in one of these states has ended: nothing more happens to it.
FINAL_STATES = frozenset(
    {OrderState.REJECTED, OrderState.PICKED_UP, OrderState.CANCELLED, OrderState.EXPIRED}
)
# The states in which a customer or operations may ask to cancel the whole order (an order
# still PENDING is cancelled by the checkout's own answer, not by a cancel request).
CANCEL_REQUEST_STATES = frozenset(
    {OrderState.AWAITING_PICK, OrderState.IN_TRANSIT, OrderState.READY_FOR_PICKUP}
)


def order_state_to_proto(state: OrderState) -> orders_pb2.OrderState.ValueType:
    """The proto value of a state."""
    return orders_pb2.OrderState.Value(_PROTO_PREFIX + OrderState(state).value)


def order_state_from_proto(value: orders_pb2.OrderState.ValueType) -> OrderState:
    """The state a proto value names; ValueError for UNSPECIFIED or an unknown value."""
    name = orders_pb2.OrderState.Name(value).removeprefix(_PROTO_PREFIX)
    if name not in OrderState.__members__:
        raise ValueError(f"no order state for {orders_pb2.OrderState.Name(value)}")
    return OrderState(name)
