"""Notification rules and the message templates."""

from __future__ import annotations

import pytest

from clickcollect.notifications.v1 import notifications_pb2 as pb
from services.common.errors import InvalidArgument
from services.notifications.convert import TEMPLATE_IN
from services.notifications.domain import SendRequest, Template, validate_send
from services.notifications.templates import declared_params, render, template_params
from tests.support.messages import SAMPLE_PARAMS

# What each message must tell its reader (in English).
MUST_MENTION = {
    Template.ORDER_CONFIRMED: ["ORD-0123456789", "Amsterdam Centraal", "Total: €79.97"],
    Template.READY_FOR_PICKUP: ["482913", "Amsterdam Centraal", "Fri, Jan 4, 2030"],
    Template.PICKUP_REMINDER: ["482913", "Fri, Jan 4, 2030"],
    Template.ORDER_CANCELLED: ["out of stock"],
    Template.ORDER_EXPIRED: ["ORD-0123456789"],
    Template.ORDER_PICKED_UP: ["ORD-0123456789"],
    Template.PICK_OVERDUE: ["STORE-001", "Tue, Jan 1, 2030"],
    Template.ORDER_DELAYED: ["Amsterdam Centraal", "Tue, Jan 1, 2030"],
    Template.LINES_CANCELLED: ["1 x Desk lamp", "€39.99"],
    Template.TRANSFER_LATE: ["transfer-ORD-0123456789-1", "DC-01", "STORE-001", "received"],
    Template.RETURN_AUTHORIZED: [
        "RET-0123456789",
        "RMA-0123456789",
        "1 x Desk lamp",
        "Tue, Jan 15, 2030",
        "Fokkerweg 300, 1438 AN Amsterdam",
    ],
    Template.RETURN_REFUNDED: ["RET-0123456789", "1 x Desk lamp", "€19.99", "Amsterdam Zuid"],
    Template.RETURN_EXPIRED: ["RET-0123456789", "RMA-0123456789"],
    Template.STORE_SALE_RECEIPT: ["R-2002-0001", "Amsterdam Centraal", "€79.97", "1 x Desk lamp"],
    Template.REFUND_FAILED: ["RET-0123456789", "€19.99", "out of stock", "retry_refund"],
    Template.REAUTHORIZATION_FAILED: ["ORD-0123456789", "STORE-001", "out of stock"],
    Template.CAPTURE_REFUSED: ["ORD-0123456789", "STORE-001", "out of stock"],
    Template.PICKUP_LOCKED: ["ORD-0123456789", "Amsterdam Centraal", "5", "--name unlock"],
    Template.TRANSFER_LOST: ["transfer-ORD-0123456789-1", "DC-01", "out of stock", "reroute"],
    Template.PAYMENT_LINK: [
        "Sam",
        "1 x Desk lamp",
        "€79.97",
        "#/pay/ORD-0123456789/",
        "Wed, Jan 2, 2030",
    ],
    Template.ORDER_REROUTED: ["Amsterdam Centraal", "Tue, Jan 1, 2030"],
    Template.ORDER_UNDER_REVIEW: ["ORD-0123456789", "Amsterdam Centraal", "delayed"],
}
# What a sender must give for each message (besides the optional ones: time_zone, sent_at,
# store_address, opening_hours, return_to, return_address). Amounts are minor units with
# currency_code; moments ISO-8601; lines JSON.
REQUIRED_PARAMS = {
    Template.ORDER_CONFIRMED: {
        "order_id",
        "store_name",
        "ready_by",
        "lines",
        "total_minor",
        "currency_code",
    },
    Template.READY_FOR_PICKUP: {"order_id", "store_name", "pickup_code", "collect_by"},
    Template.PICKUP_REMINDER: {"order_id", "store_name", "pickup_code", "collect_by"},
    Template.ORDER_CANCELLED: {"order_id", "reason"},
    Template.ORDER_EXPIRED: {"order_id"},
    Template.ORDER_PICKED_UP: {"order_id"},
    Template.PICK_OVERDUE: {"order_id", "store_id", "pick_deadline"},
    Template.ORDER_DELAYED: {"order_id", "store_name", "ready_by"},
    Template.LINES_CANCELLED: {
        "order_id",
        "lines",
        "released_minor",
        "remaining_minor",
        "currency_code",
    },
    Template.TRANSFER_LATE: {
        "order_id",
        "transfer_id",
        "source_id",
        "store_id",
        "ready_by",
        "missing_step",
    },
    Template.RETURN_AUTHORIZED: {"order_id", "return_id", "rma_number", "lines", "expires_at"},
    Template.RETURN_REFUNDED: {
        "order_id",
        "return_id",
        "lines",
        "refund_minor",
        "currency_code",
        "received_at",
    },
    Template.RETURN_EXPIRED: {"order_id", "return_id", "rma_number"},
    Template.STORE_SALE_RECEIPT: {
        "order_id",
        "receipt_number",
        "store_name",
        "lines",
        "total_minor",
        "currency_code",
    },
    Template.REFUND_FAILED: {"order_id", "return_id", "refund_minor", "currency_code", "reason"},
    Template.REAUTHORIZATION_FAILED: {"order_id", "store_id", "reason"},
    Template.CAPTURE_REFUSED: {"order_id", "store_id", "reason"},
    Template.PICKUP_LOCKED: {"order_id", "store_id", "store_name", "attempts"},
    Template.TRANSFER_LOST: {"order_id", "transfer_id", "source_id", "store_id", "reason"},
    Template.ORDER_REROUTED: {"order_id", "store_name", "ready_by"},
    Template.ORDER_UNDER_REVIEW: {"order_id", "store_name"},
    Template.PAYMENT_LINK: {
        "order_id",
        "associate",
        "store_name",
        "lines",
        "total_minor",
        "currency_code",
        "payment_link",
        "pay_by",
    },
}


def test_every_proto_template_has_a_template_file() -> None:
    numbers = {v.number for v in pb.Template.DESCRIPTOR.values if v.number}
    assert set(TEMPLATE_IN) == numbers
    assert set(MUST_MENTION) == set(Template) == set(REQUIRED_PARAMS)


@pytest.mark.parametrize("template", list(Template))
def test_every_template_renders_subject_and_body_with_its_params(template: Template) -> None:
    params = {name: SAMPLE_PARAMS[name] for name in declared_params(template)}

    message = render(template, params)

    assert message.subject and "\n" not in message.subject
    assert "ORD-0123456789" in message.subject + message.body
    for fact in MUST_MENTION[template]:
        assert fact in message.subject + message.body
    assert "{{" not in message.body


@pytest.mark.parametrize("template", list(Template))
def test_each_message_needs_exactly_its_params(template: Template) -> None:
    assert template_params(template) == REQUIRED_PARAMS[template]


@pytest.mark.parametrize(
    ("template", "subject"),
    [
        (
            Template.RETURN_AUTHORIZED,
            "Your return RET-0123456789 for order ORD-0123456789 is authorized",
        ),
        (Template.RETURN_REFUNDED, "Order ORD-0123456789: your refund of €19.99 is on its way"),
        (
            Template.RETURN_EXPIRED,
            "Your return RET-0123456789 for order ORD-0123456789 has expired",
        ),
        (Template.STORE_SALE_RECEIPT, "Your receipt R-2002-0001 for order ORD-0123456789"),
    ],
)
def test_return_and_receipt_subjects_name_the_order(template: Template, subject: str) -> None:
    params = {name: SAMPLE_PARAMS[name] for name in REQUIRED_PARAMS[template]}
    assert render(template, params).subject == subject


@pytest.mark.parametrize(
    ("template", "param"),
    [(template, param) for template in Template for param in sorted(template_params(template))],
)
def test_a_missing_param_is_refused_by_name(template: Template, param: str) -> None:
    params = {name: SAMPLE_PARAMS[name] for name in template_params(template) - {param}}

    with pytest.raises(InvalidArgument) as refused:
        render(template, params)

    assert refused.value.reason == "MISSING_TEMPLATE_PARAM"
    assert refused.value.metadata["param"] == param
    assert [v.field for v in refused.value.violations] == [f"params.{param}"]


def test_a_param_cannot_break_the_subject_line() -> None:
    params = {**SAMPLE_PARAMS, "store_name": "Centraal\nBcc: everyone@example.com"}
    message = render(Template.READY_FOR_PICKUP, params)
    assert "\n" not in message.subject


def a_request(**fields: object) -> SendRequest:
    values: dict[str, object] = {
        "idempotency_key": "order-ORD-0123456789:order_confirmed",
        "order_id": "ORD-0123456789",
        "template": Template.ORDER_CONFIRMED,
        "recipient": "ada@example.com",
        "params": {"store_name": "Amsterdam Centraal"},
    }
    values.update(fields)
    return SendRequest(**values)  # type: ignore[arg-type]


def test_valid_request_passes_and_always_knows_its_order_id() -> None:
    request = a_request()
    validate_send(request)
    assert request.template_params()["order_id"] == "ORD-0123456789"


@pytest.mark.parametrize(
    "recipient",
    [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "a b@example.com",
        "ada@example.com\r\nBcc: x@y.z",
    ],
)
def test_recipient_must_be_an_email_address(recipient: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_send(a_request(recipient=recipient))
    assert [v.field for v in refused.value.violations] == ["recipient"]


def test_key_template_and_order_are_required() -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_send(a_request(idempotency_key="", template=None, order_id=""))
    assert {v.field for v in refused.value.violations} == {
        "idempotency_key",
        "template",
        "order_id",
    }
