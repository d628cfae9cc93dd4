"""What the workflows' contract adds to the order states (services/common/order_states.py,
one enum for the orders service, the workflows and the gateway, mapped once to the proto)."""

from __future__ import annotations

from services.common.order_states import OrderState

# The states in which a customer or operations may ask to cancel the whole order (an order
# still PENDING is cancelled by the checkout's own answer, not by a cancel request).
CANCEL_REQUEST_STATES = frozenset(
    {
        OrderState.AWAITING_PAYMENT,
        OrderState.AWAITING_PICK,
        OrderState.IN_TRANSIT,
        OrderState.READY_FOR_PICKUP,
    }
)
