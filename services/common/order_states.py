"""An order's lifecycle states: one enum for the orders service that records them, the workflows
that move them and the gateway that shows them, and its one mapping to the proto enum
(clickcollect.orders.v1.OrderState). What each state allows is the orders service's rule
(services/orders/orders/domain.py, TRANSITIONS) and the workflow's (workflows/order/handlers.py)."""

from __future__ import annotations

from enum import StrEnum

from clickcollect.orders.v1 import orders_pb2

_PROTO_PREFIX = "ORDER_STATE_"


class OrderState(StrEnum):
    """The value is the proto name without its prefix (what histories and tables carry)."""

    PENDING = "PENDING"
    # Ordered for the customer at a store, waiting for them to pay by a link (endless aisle).
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
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

_TO_PROTO = {s: orders_pb2.OrderState.Value(_PROTO_PREFIX + s.value) for s in OrderState}
_FROM_PROTO = {number: state for state, number in _TO_PROTO.items()}


def order_state_to_proto(state: OrderState | str) -> orders_pb2.OrderState.ValueType:
    """The proto value of a state."""
    return _TO_PROTO[OrderState(state)]


def order_state_from_proto(value: int) -> OrderState | None:
    """The state a proto value names; None for UNSPECIFIED or a number this version does not
    know."""
    return _FROM_PROTO.get(orders_pb2.OrderState.ValueType(value))
