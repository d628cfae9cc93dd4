"""Notification rules and the message templates."""

from __future__ import annotations

import pytest

from clickcollect.notifications.v1 import notifications_pb2 as pb
from services.common.errors import InvalidArgument
from services.notifications.convert import TEMPLATE_IN
from services.notifications.domain import SendRequest, Template, validate_send
from services.notifications.templates import render, template_params

SAMPLE_PARAMS = {
    "order_id": "ORD-0123456789",
    "store_id": "STORE-001",
    "store_name": "Amsterdam Centraal",
    "ready_by": "2030-01-01 16:00 UTC",
    "pickup_code": "482913",
    "collect_by": "2030-01-04 16:00 UTC",
    "pick_deadline": "2030-01-01 15:00 UTC",
    "reason": "out of stock",
    "cancelled_items": "1 x Desk lamp",
    "released_amount": "39.99 EUR",
    "remaining_note": "The rest of your order is on its way.",
    "transfer_id": "transfer-ORD-0123456789-1",
    "source_id": "DC-01",
    "missing_step": "received",
    "return_id": "RET-0123456789",
    "rma_number": "RMA-0123456789",
    "items": "1 x Organic T-shirt white M",
    "expires_at": "Fri 04 Jan 2030, 16:00 CET",
    "where": "the DC or any of our stores",
    "refund": "19.99 EUR",
    "received_at": "Amsterdam Zuid",
    "receipt_number": "R-2002-0001",
    "total": "39.98 EUR",
    "attempts": "5",
}
# What each message must tell its reader.
MUST_MENTION = {
    Template.ORDER_CONFIRMED: ["ORD-0123456789", "Amsterdam Centraal", "2030-01-01 16:00 UTC"],
    Template.READY_FOR_PICKUP: ["482913", "Amsterdam Centraal", "2030-01-04 16:00 UTC"],
    Template.PICKUP_REMINDER: ["482913", "2030-01-04 16:00 UTC"],
    Template.ORDER_CANCELLED: ["out of stock"],
    Template.ORDER_EXPIRED: ["ORD-0123456789"],
    Template.ORDER_PICKED_UP: ["ORD-0123456789"],
    Template.PICK_OVERDUE: ["STORE-001", "2030-01-01 15:00 UTC"],
    Template.ORDER_DELAYED: ["Amsterdam Centraal", "2030-01-01 16:00 UTC"],
    Template.LINES_CANCELLED: ["1 x Desk lamp", "39.99 EUR"],
    Template.TRANSFER_LATE: ["transfer-ORD-0123456789-1", "DC-01", "STORE-001", "received"],
    Template.RETURN_AUTHORIZED: [
        "RET-0123456789",
        "RMA-0123456789",
        "1 x Organic T-shirt white M",
        "Fri 04 Jan 2030, 16:00 CET",
        "the DC or any of our stores",
    ],
    Template.RETURN_REFUNDED: [
        "RET-0123456789",
        "1 x Organic T-shirt white M",
        "19.99 EUR",
        "Amsterdam Zuid",
    ],
    Template.RETURN_EXPIRED: ["RET-0123456789", "RMA-0123456789"],
    Template.STORE_SALE_RECEIPT: [
        "R-2002-0001",
        "Amsterdam Centraal",
        "39.98 EUR",
        "1 x Organic T-shirt white M",
    ],
    Template.REFUND_FAILED: ["RET-0123456789", "19.99 EUR", "out of stock", "retry_refund"],
    Template.REAUTHORIZATION_FAILED: ["ORD-0123456789", "STORE-001", "out of stock"],
    Template.CAPTURE_REFUSED: ["ORD-0123456789", "STORE-001", "out of stock"],
    Template.PICKUP_LOCKED: ["ORD-0123456789", "Amsterdam Centraal", "5", "--name unlock"],
    Template.TRANSFER_LOST: ["transfer-ORD-0123456789-1", "DC-01", "out of stock", "reroute"],
    Template.ORDER_REROUTED: ["Amsterdam Centraal", "2030-01-01 16:00 UTC"],
    Template.ORDER_UNDER_REVIEW: ["ORD-0123456789", "Amsterdam Centraal", "delayed"],
}
# What the return and store-sale workflows send: every param a template needs is in here.
WORKFLOW_PARAMS = {
    Template.RETURN_AUTHORIZED: {
        "order_id",
        "return_id",
        "rma_number",
        "items",
        "expires_at",
        "where",
    },
    Template.RETURN_REFUNDED: {"order_id", "return_id", "items", "refund", "received_at"},
    Template.RETURN_EXPIRED: {"order_id", "return_id", "rma_number"},
    Template.STORE_SALE_RECEIPT: {"order_id", "receipt_number", "store_name", "total", "items"},
    Template.REFUND_FAILED: {"order_id", "return_id", "refund", "reason"},
}


def test_every_proto_template_has_a_template_file() -> None:
    numbers = {v.number for v in pb.Template.DESCRIPTOR.values if v.number}
    assert set(TEMPLATE_IN) == numbers
    assert set(MUST_MENTION) == set(Template)


@pytest.mark.parametrize("template", list(Template))
def test_every_template_renders_subject_and_body_with_its_params(template: Template) -> None:
    params = {name: SAMPLE_PARAMS[name] for name in template_params(template)}

    message = render(template, params)

    assert message.subject and "\n" not in message.subject
    assert "ORD-0123456789" in message.subject + message.body
    for fact in MUST_MENTION[template]:
        assert fact in message.subject + message.body
    assert "{{" not in message.body


@pytest.mark.parametrize("template", list(WORKFLOW_PARAMS))
def test_return_and_receipt_messages_need_exactly_what_the_workflows_send(
    template: Template,
) -> None:
    assert template_params(template) == WORKFLOW_PARAMS[template]


@pytest.mark.parametrize(
    ("template", "subject"),
    [
        (
            Template.RETURN_AUTHORIZED,
            "Your return RET-0123456789 for order ORD-0123456789 is authorized",
        ),
        (Template.RETURN_REFUNDED, "Order ORD-0123456789: your refund of 19.99 EUR is on its way"),
        (
            Template.RETURN_EXPIRED,
            "Your return RET-0123456789 for order ORD-0123456789 has expired",
        ),
        (Template.STORE_SALE_RECEIPT, "Your receipt R-2002-0001 for order ORD-0123456789"),
    ],
)
def test_return_and_receipt_subjects_name_the_order(template: Template, subject: str) -> None:
    params = {name: SAMPLE_PARAMS[name] for name in WORKFLOW_PARAMS[template]}
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
