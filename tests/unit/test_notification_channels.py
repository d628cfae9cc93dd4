"""Which channels a message goes on, the text message's short form, and how an SMS gateway's
failure is read."""

from __future__ import annotations

import apprise
import pytest

from services.common.errors import InvalidArgument
from services.notifications.domain import (
    CUSTOMER_KINDS,
    TRANSACTIONAL,
    Channel,
    MessageKind,
    Preference,
    Route,
    SendRequest,
    Template,
    choose_routes,
    kind_of,
    validate_send,
)
from services.notifications.sms import refused_by_provider, target_url
from services.notifications.sms_text import MAX_SMS_CHARS, sms_text

EMAIL, SMS = Channel.EMAIL, Channel.SMS
MAIL_TO, PHONE = "ada@example.com", "+31612345678"
FAILURE = apprise.AppriseResultStatus.FAILURE


def message(
    template: Template = Template.ORDER_CONFIRMED,
    recipient: str = MAIL_TO,
    phone: str = PHONE,
    *preferences: Preference,
) -> SendRequest:
    return SendRequest("key-1", "ORD-0123456789", template, recipient, {}, "", phone, preferences)


def routes(request: SendRequest) -> list[tuple[Channel, str]]:
    return [(r.channel, r.recipient) for r in choose_routes(request)]


def test_every_customer_template_has_one_kind_and_the_rest_are_staff_messages() -> None:
    customer = [t for templates in CUSTOMER_KINDS.values() for t in templates]
    assert len(customer) == len(set(customer))
    assert kind_of(Template.READY_FOR_PICKUP) is MessageKind.PICKUP
    assert kind_of(Template.PICKUP_REMINDER) is MessageKind.PICKUP
    assert kind_of(Template.PAYMENT_LINK) is MessageKind.PICKUP
    assert kind_of(Template.ORDER_DELAYED) is MessageKind.ORDER_UPDATES
    assert kind_of(Template.RETURN_REFUNDED) is MessageKind.RETURNS
    for staff in (Template.PICK_OVERDUE, Template.TRANSFER_LATE, Template.REFUND_FAILED):
        assert kind_of(staff) is MessageKind.STAFF
    assert {kind_of(t) for t in TRANSACTIONAL} == {MessageKind.PICKUP}


def test_by_default_a_customer_is_told_on_every_channel_they_have_an_address_for() -> None:
    assert routes(message()) == [(EMAIL, MAIL_TO), (SMS, PHONE)]
    assert routes(message(phone="")) == [(EMAIL, MAIL_TO)]
    assert routes(message(recipient="")) == [(SMS, PHONE)]


def test_the_channels_chosen_for_the_kind_are_the_ones_used() -> None:
    sms_for_pickup = Preference(MessageKind.PICKUP, (SMS,))
    mail_for_updates = Preference(MessageKind.ORDER_UPDATES, (EMAIL,))
    ready = message(Template.READY_FOR_PICKUP, MAIL_TO, PHONE, sms_for_pickup, mail_for_updates)
    update = message(Template.ORDER_CANCELLED, MAIL_TO, PHONE, sms_for_pickup, mail_for_updates)
    returns = message(Template.RETURN_REFUNDED, MAIL_TO, PHONE, sms_for_pickup, mail_for_updates)
    assert routes(ready) == [(SMS, PHONE)]
    assert routes(update) == [(EMAIL, MAIL_TO)]
    assert routes(returns) == [(EMAIL, MAIL_TO), (SMS, PHONE)]


def test_a_chosen_channel_without_an_address_falls_back_to_one_that_has_one() -> None:
    sms_only = Preference(MessageKind.ORDER_UPDATES, (SMS,))
    assert routes(message(Template.ORDER_CONFIRMED, MAIL_TO, "", sms_only)) == [(EMAIL, MAIL_TO)]


def test_an_opted_out_kind_is_skipped() -> None:
    out = Preference(MessageKind.ORDER_UPDATES, (EMAIL, SMS), opted_out=True)
    assert choose_routes(message(Template.ORDER_PICKED_UP, MAIL_TO, PHONE, out)) == []


@pytest.mark.parametrize("template", sorted(TRANSACTIONAL))
def test_a_pickup_code_reaches_an_opted_out_customer_on_one_channel(template: Template) -> None:
    out = Preference(MessageKind.PICKUP, opted_out=True)
    assert routes(message(template, MAIL_TO, PHONE, out)) == [(EMAIL, MAIL_TO)]
    assert routes(message(template, "", PHONE, out)) == [(SMS, PHONE)]


def test_a_staff_message_goes_by_mail_to_its_recipient_whatever_else_is_given() -> None:
    sms_only = Preference(MessageKind.PICKUP, (SMS,))
    staff = message(Template.PICK_OVERDUE, "store@example.com", PHONE, sms_only)
    assert choose_routes(staff) == [Route(EMAIL, "store@example.com")]


def violations(request: SendRequest) -> set[str]:
    with pytest.raises(InvalidArgument) as caught:
        validate_send(request)
    return {v.field for v in caught.value.violations}


def test_a_message_needs_an_address_for_one_of_its_channels() -> None:
    validate_send(message(recipient=""))
    validate_send(message(phone=""))
    assert violations(message(recipient="", phone="")) == {"recipient"}
    assert violations(message(Template.PICK_OVERDUE, "", PHONE)) == {"recipient"}


@pytest.mark.parametrize("phone", ["0612345678", "+0612345678", "+31612", "+31 6 1234 5678"])
def test_a_phone_number_is_e164(phone: str) -> None:
    assert violations(message(phone=phone)) == {"phone"}


def test_preferences_name_a_known_kind_and_channels_once_each() -> None:
    bad = message(
        Template.ORDER_CONFIRMED,
        MAIL_TO,
        PHONE,
        Preference(None),
        Preference(MessageKind.PICKUP, (None,)),
        Preference(MessageKind.PICKUP, (SMS,)),
    )
    assert violations(bad) == {
        "preferences[0].kind",
        "preferences[1].channels",
        "preferences[2].kind",
    }


def test_the_text_message_is_the_subject_and_the_facts_to_act_on() -> None:
    params = {"pickup_code": "482913", "collect_by": "Fri 04 Jan", "store_name": "Centraal"}
    assert sms_text("Order ORD-1 is ready", params) == (
        "Order ORD-1 is ready. Pickup code: 482913. Collect by: Fri 04 Jan"
    )
    assert sms_text("Commande prête", params, "fr-BE").startswith(
        "Commande prête. Code de retrait: 482913"
    )
    assert sms_text("Klaar", {"pickup_code": "1"}, "nl") == "Klaar. Ophaalcode: 1"
    assert sms_text("Ready", {"pickup_code": "1"}, "de") == "Ready. Pickup code: 1"
    assert sms_text("Thank you.", {}) == "Thank you"


def test_a_long_text_message_is_cut_with_a_marker() -> None:
    text = sms_text("x" * 400, {"pickup_code": "482913"})
    assert len(text) == MAX_SMS_CHARS and text.endswith("…")


def test_the_phone_number_is_the_gateways_target() -> None:
    assert target_url("smseagle://t@gw:8080", PHONE) == f"smseagle://t@gw:8080/{PHONE}"
    assert target_url("smseagle://t@gw/?priority=high", PHONE) == (
        f"smseagle://t@gw/{PHONE}?priority=high"
    )


@pytest.mark.parametrize(
    ("line", "refused"),
    [
        (
            "Failed to send 1 SMSEagle notification: {'status': 'error'}, error=200.",
            True,
        ),
        ("Failed to send 1 SMSEagle notification: bad, error=400.", True),
        ("Failed to send 1 SMSEagle notification: busy, error=500.", False),
        ("Failed to send 1 SMSEagle notification: slow down, error=429.", False),
        ("Failed to send 1 SMSEagle notification: token, error=401.", False),
        ("A Connection error occured sending 1 SMSEagle phone notification(s).", False),
    ],
)
def test_only_a_gateways_final_no_is_a_refusal(line: str, refused: bool) -> None:
    assert refused_by_provider(FAILURE, [line]) is refused
    assert not refused_by_provider(apprise.AppriseResultStatus.TIMEOUT, [line])
