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
