"""What operations send to an order from the Temporal UI (or `temporal workflow update
execute`): one dataclass per action, each with the caller's `request_id` (a repeat answers what
the first one did) and why. Every action answers with the order as it left it (OrderStatus) or
refuses (a Refusal: nothing done, nothing in the history).

`operator` names who acted (an actor id; "operations" when empty): the Temporal UI does not tell
the workflow who pressed the button, so the runbook asks for it in the input."""

from __future__ import annotations

from dataclasses import dataclass

# The messages `resend_notification` can send again (the template's name, lower case).
RESENDABLE_MESSAGES = ("order_confirmed", "ready_for_pickup", "pickup_reminder", "payment_link")


@dataclass
class ForceCancelInput:
    """Cancels the order now, compensating fully (like CancelOrder by operations)."""

    request_id: str
    reason: str
    operator: str = ""


@dataclass
class RerouteInput:
    """Gives up an open transfer for another source. `transfer_id` may be empty when the order
    has one open transfer; `source_id` empty: the best other source."""

    request_id: str
    reason: str
    transfer_id: str = ""
    source_id: str = ""
    operator: str = ""


@dataclass
class ResendNotificationInput:
    """Sends one of RESENDABLE_MESSAGES to the customer again (a new idempotency key)."""

    request_id: str
    message: str
    reason: str = ""
    operator: str = ""


@dataclass
class UnlockInput:
    """Lets the counter try pickup codes again after a lock-out."""

    request_id: str
    reason: str
    operator: str = ""
