"""Notification rules: which messages exist and what a valid send request is.

Plain Python: no transport, no storage, no rendering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from services.common import ids
from services.common.errors import Violations
from services.common.fields import EMAIL_RULE, is_email


class Template(StrEnum):
    """One message per template file ``templates/<value>.txt.j2``."""

    ORDER_CONFIRMED = "order_confirmed"
    READY_FOR_PICKUP = "ready_for_pickup"
    PICKUP_REMINDER = "pickup_reminder"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_EXPIRED = "order_expired"
    ORDER_PICKED_UP = "order_picked_up"
    PICK_OVERDUE = "pick_overdue"
    ORDER_DELAYED = "order_delayed"
    LINES_CANCELLED = "lines_cancelled"
    TRANSFER_LATE = "transfer_late"
    RETURN_AUTHORIZED = "return_authorized"
    RETURN_REFUNDED = "return_refunded"
    RETURN_EXPIRED = "return_expired"
    STORE_SALE_RECEIPT = "store_sale_receipt"
    REFUND_FAILED = "refund_failed"
    REAUTHORIZATION_FAILED = "reauthorization_failed"
    CAPTURE_REFUSED = "capture_refused"


class DeliveryChannel(StrEnum):
    SMTP = "SMTP"
    OUTBOX = "OUTBOX"


IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_PARAM_VALUE = 10_000  # an order's lines (50, with their names) fit in one param


@dataclass(frozen=True)
class SendRequest:
    idempotency_key: str
    order_id: str
    template: Template | None
    recipient: str
    params: Mapping[str, str] = field(default_factory=dict)
    # The reader's language (BCP 47); empty or unknown: English.
    locale: str = ""

    def template_params(self) -> dict[str, str]:
        """What the template sees: the caller's params, with the order id always available."""
        return {"order_id": self.order_id, **self.params}


def validate_send(request: SendRequest) -> None:
    """Raises INVALID_ARGUMENT naming every bad field."""
    v = Violations()
    if not request.idempotency_key:
        v.add("idempotency_key", "required")
    elif not IDEMPOTENCY_KEY.fullmatch(request.idempotency_key):
        v.add("idempotency_key", "1-200 printable characters without spaces")
    v.check(ids.is_order_id(request.order_id), "order_id", "must look like ORD-XXXXXXXXXX")
    v.check(request.template is not None, "template", "required")
    v.check(is_email(request.recipient), "recipient", EMAIL_RULE)
    for name, value in request.params.items():
        v.check(bool(PARAM_NAME.fullmatch(name)), f"params.{name}", "names are snake_case")
        if len(value) > MAX_PARAM_VALUE:
            v.add(f"params.{name}", f"at most {MAX_PARAM_VALUE} characters")
    v.raise_if_any()
