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
    PICKUP_LOCKED = "pickup_locked"
    TRANSFER_LOST = "transfer_lost"
    ORDER_REROUTED = "order_rerouted"
    ORDER_UNDER_REVIEW = "order_under_review"
    PAYMENT_LINK = "payment_link"


class DeliveryChannel(StrEnum):
    """The way a message went out."""

    SMTP = "SMTP"
    OUTBOX = "OUTBOX"
    SMS_GATEWAY = "SMS_GATEWAY"
    SMS_OUTBOX = "SMS_OUTBOX"


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
    phone: str = ""
    preferences: tuple[Preference, ...] = ()

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
    check_addresses(request, v)
    for name, value in request.params.items():
        v.check(bool(PARAM_NAME.fullmatch(name)), f"params.{name}", "names are snake_case")
        if len(value) > MAX_PARAM_VALUE:
            v.add(f"params.{name}", f"at most {MAX_PARAM_VALUE} characters")
    v.raise_if_any()


class Channel(StrEnum):
    """How a message reaches a customer."""

    EMAIL = "EMAIL"
    SMS = "SMS"


class DeliveryState(StrEnum):
    SENT = "SENT"
    REFUSED = "REFUSED"  # the provider's final no: not tried again


class MessageKind(StrEnum):
    """What a customer chooses channels for; STAFF messages go to stores and operations."""

    ORDER_UPDATES = "ORDER_UPDATES"
    PICKUP = "PICKUP"
    RETURNS = "RETURNS"
    STAFF = "STAFF"


CUSTOMER_KINDS = {
    MessageKind.ORDER_UPDATES: (
        Template.ORDER_CONFIRMED,
        Template.ORDER_CANCELLED,
        Template.ORDER_EXPIRED,
        Template.ORDER_PICKED_UP,
        Template.ORDER_DELAYED,
        Template.ORDER_REROUTED,
        Template.ORDER_UNDER_REVIEW,
        Template.LINES_CANCELLED,
        Template.STORE_SALE_RECEIPT,
    ),
    # What the customer needs to get the order: the pickup code, the payment link.
    MessageKind.PICKUP: (
        Template.READY_FOR_PICKUP,
        Template.PICKUP_REMINDER,
        Template.PAYMENT_LINK,
    ),
    MessageKind.RETURNS: (
        Template.RETURN_AUTHORIZED,
        Template.RETURN_REFUNDED,
        Template.RETURN_EXPIRED,
    ),
}
_KIND_OF = {t: kind for kind, templates in CUSTOMER_KINDS.items() for t in templates}
# They carry the pickup code or the payment link: they always reach the customer on at least
# one channel.
TRANSACTIONAL = frozenset(
    {Template.READY_FOR_PICKUP, Template.PICKUP_REMINDER, Template.PAYMENT_LINK}
)
CHANNEL_ORDER = (Channel.EMAIL, Channel.SMS)  # e-mail first: the whole message
PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
PHONE_RULE = "a phone number in E.164 form, + and 7-15 digits (+31612345678)"


@dataclass(frozen=True)
class Preference:
    """The customer's channels for one kind of message; no channels: the default (every
    channel there is an address for). ``None`` stands for a value the caller sent that we do
    not know (refused by ``validate_send``)."""

    kind: MessageKind | None
    channels: tuple[Channel | None, ...] = ()
    opted_out: bool = False


@dataclass(frozen=True)
class Route:
    channel: Channel
    recipient: str


def kind_of(template: Template) -> MessageKind:
    """A customer's kind of message; STAFF for every message to a store or operations."""
    return _KIND_OF.get(template, MessageKind.STAFF)


def choose_routes(request: SendRequest) -> list[Route]:
    """Where a valid message goes, e-mail first. Staff messages: e-mail to the recipient. A
    customer's: the channels they chose for its kind (by default every channel there is an
    address for) that can reach them; when none can, the first that can, unless they opted out
    of the kind; a message with the pickup code goes on one channel even then. [] means skip."""
    assert request.template is not None
    kind = kind_of(request.template)
    if kind is MessageKind.STAFF:
        return [Route(Channel.EMAIL, request.recipient)]
    reachable = {Channel.EMAIL: request.recipient, Channel.SMS: request.phone}
    usable = [c for c in CHANNEL_ORDER if reachable[c]]
    preference = _preference_for(request.preferences, kind)
    wanted = CHANNEL_ORDER if not preference.channels else preference.channels
    if preference.opted_out:
        wanted = ()
    chosen = [c for c in usable if c in wanted]
    if not chosen and (request.template in TRANSACTIONAL or not preference.opted_out):
        chosen = usable[:1]
    return [Route(c, reachable[c]) for c in chosen]


def _preference_for(preferences: tuple[Preference, ...], kind: MessageKind) -> Preference:
    return next((p for p in preferences if p.kind == kind), Preference(kind))


def check_addresses(request: SendRequest, v: Violations) -> None:
    """E-mail and phone, each when given; a message needs an address for one channel: staff
    messages an e-mail address, a customer's an e-mail address or a phone number."""
    if request.recipient:
        v.check(is_email(request.recipient), "recipient", EMAIL_RULE)
    elif request.template is not None and kind_of(request.template) is MessageKind.STAFF:
        v.add("recipient", "required: " + EMAIL_RULE)
    elif not request.phone:
        v.add("recipient", "required: an e-mail address, or a phone number in phone")
    if request.phone:
        v.check(bool(PHONE.fullmatch(request.phone)), "phone", PHONE_RULE)
    seen: set[MessageKind] = set()
    for i, preference in enumerate(request.preferences):
        name = f"preferences[{i}]"
        v.check(preference.kind is not None, f"{name}.kind", "one of the kinds of message")
        v.check(None not in preference.channels, f"{name}.channels", "EMAIL or SMS")
        if preference.kind is not None:
            v.check(preference.kind not in seen, f"{name}.kind", "one preference per kind")
            seen.add(preference.kind)
