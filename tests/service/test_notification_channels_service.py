"""A message by e-mail and by SMS: mail through a real SMTP server (aiosmtpd), text messages
through the real apprise library to a local SMS gateway (SMSEagle's API over HTTP), each
exactly once per idempotency key and channel, with the provider's answer kept; the customer's
choice of channels respected. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import grpc

from clickcollect.notifications.v1 import notifications_pb2 as pb
from tests.support.notifications import (
    EMAIL,
    PHONE,
    new_order_id,
    order_picked_up,
    preference,
    ready_for_pickup,
    running_notifications,
)
from tests.support.orders import refused
from tests.support.receivers import SmsReceiver, SmtpReceiver, free_port, sms_receiver


def channels(notification: pb.Notification) -> dict[int, pb.Delivery]:
    return {d.channel: d for d in notification.deliveries}


async def test_a_pickup_code_goes_by_mail_and_by_sms_once_each(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        first = await stub.SendNotification(ready_for_pickup(order))
        again = await stub.SendNotification(ready_for_pickup(order))
        listed = await stub.ListNotifications(pb.ListNotificationsRequest(order_id=order))

    assert not first.duplicate and again.duplicate
    assert [m["To"] for m in smtp_inbox.messages] == [EMAIL]
    assert "Your pickup code: 482913" in smtp_inbox.messages[0].get_content()
    [sms] = sms_gateway.messages
    assert sms.to == PHONE
    assert sms.text == (
        f"Order {order} is ready for pickup at Amsterdam Centraal. "
        "Pickup code: 482913. Collect by: Fri"
    )
    sent = channels(first.notification)
    assert sent[pb.MESSAGE_CHANNEL_EMAIL].recipient == EMAIL
    assert sent[pb.MESSAGE_CHANNEL_EMAIL].delivery_channel == pb.DELIVERY_CHANNEL_SMTP
    assert sent[pb.MESSAGE_CHANNEL_EMAIL].provider_answer == "250 Message accepted for delivery"
    assert sent[pb.MESSAGE_CHANNEL_SMS].recipient == PHONE
    assert sent[pb.MESSAGE_CHANNEL_SMS].delivery_channel == pb.DELIVERY_CHANNEL_SMS_GATEWAY
    assert sent[pb.MESSAGE_CHANNEL_SMS].provider_answer.startswith("SMS Eagle SUCCESS")
    assert all(d.state == pb.DELIVERY_STATE_SENT for d in first.notification.deliveries)
    assert again.notification == first.notification
    assert list(listed.notifications) == [first.notification]


async def test_a_failed_sms_is_retried_alone_and_the_mail_is_not_sent_again(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    sms_gateway.answer_next(status=500, result="modem busy")
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        error = await refused(stub.SendNotification(ready_for_pickup(order)))
        mail_before_retry = len(smtp_inbox.messages)
        retry = await stub.SendNotification(ready_for_pickup(order))
        again = await stub.SendNotification(ready_for_pickup(order))

    assert error.code == grpc.StatusCode.UNAVAILABLE
    assert error.reason == "SMS_UNAVAILABLE"
    assert "modem busy" in error.message
    assert mail_before_retry == 1
    assert not retry.duplicate and again.duplicate
    assert len(smtp_inbox.messages) == 1
    assert [m.to for m in sms_gateway.messages] == [PHONE]
    assert sms_gateway.requests == 2
    assert {d.state for d in retry.notification.deliveries} == {pb.DELIVERY_STATE_SENT}
    assert len(retry.notification.deliveries) == 2


async def test_a_gateway_down_then_up_delivers_the_sms_on_retry(
    database_url: str, smtp_inbox: SmtpReceiver, tmp_path: Path
) -> None:
    order = new_order_id()
    port = free_port()
    async with running_notifications(
        database_url, smtp_inbox, sms_url=f"smseagle://test-gateway-token@127.0.0.1:{port}"
    ) as stub:
        error = await refused(stub.SendNotification(ready_for_pickup(order)))
        async with sms_receiver(port) as gateway:
            retry = await stub.SendNotification(ready_for_pickup(order))

    assert error.code == grpc.StatusCode.UNAVAILABLE
    assert len(smtp_inbox.messages) == 1
    assert [m.to for m in gateway.messages] == [PHONE]
    assert len(retry.notification.deliveries) == 2


async def test_concurrent_repeats_send_one_mail_and_one_sms(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    request = ready_for_pickup(new_order_id())
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        answers = await asyncio.gather(*(stub.SendNotification(request) for _ in range(6)))

    assert len(smtp_inbox.messages) == 1
    assert len(sms_gateway.messages) == 1
    assert len({a.notification.notification_id for a in answers}) == 1
    assert all(len(a.notification.deliveries) == 2 for a in answers)
    # Each channel went out in one call (the e-mail's or another): the others sent nothing.
    assert 1 <= [a.duplicate for a in answers].count(False) <= 2


async def test_a_refused_sms_is_kept_with_the_gateways_answer_and_not_tried_again(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    no = {"status": "error", "error_text": "Invalid phone number"}
    sms_gateway.answer_next(times=2, status=200, result=no)
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        first = await stub.SendNotification(ready_for_pickup(order))
        again = await stub.SendNotification(ready_for_pickup(order))

    sms = channels(first.notification)[pb.MESSAGE_CHANNEL_SMS]
    assert sms.state == pb.DELIVERY_STATE_REFUSED
    assert "Invalid phone number" in sms.provider_answer
    assert channels(first.notification)[pb.MESSAGE_CHANNEL_EMAIL].state == pb.DELIVERY_STATE_SENT
    assert again.duplicate and sms_gateway.requests == 1
    assert len(smtp_inbox.messages) == 1


async def test_the_customers_chosen_channels_are_respected(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    sms_only = [preference(pb.MESSAGE_KIND_PICKUP, pb.MESSAGE_CHANNEL_SMS)]
    mail_only = [preference(pb.MESSAGE_KIND_ORDER_UPDATES, pb.MESSAGE_CHANNEL_EMAIL)]
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        ready = await stub.SendNotification(ready_for_pickup(order, preferences=sms_only))
        collected = await stub.SendNotification(order_picked_up(order, preferences=mail_only))

    assert list(channels(ready.notification)) == [pb.MESSAGE_CHANNEL_SMS]
    assert list(channels(collected.notification)) == [pb.MESSAGE_CHANNEL_EMAIL]
    assert [m.to for m in sms_gateway.messages] == [PHONE]
    assert [m["Subject"] for m in smtp_inbox.messages] == [
        f"Thank you for collecting order {order}"
    ]


async def test_an_opted_out_update_is_skipped_but_a_pickup_code_still_goes(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    nothing = [
        preference(pb.MESSAGE_KIND_ORDER_UPDATES, opted_out=True),
        preference(pb.MESSAGE_KIND_PICKUP, opted_out=True),
    ]
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        skipped = await stub.SendNotification(order_picked_up(order, preferences=nothing))
        repeat = await stub.SendNotification(order_picked_up(order, preferences=nothing))
        ready = await stub.SendNotification(ready_for_pickup(order, preferences=nothing))
        listed = await stub.ListNotifications(pb.ListNotificationsRequest(order_id=order))

    assert skipped.notification.skipped and not skipped.notification.deliveries
    assert not skipped.duplicate and repeat.duplicate
    assert list(channels(ready.notification)) == [pb.MESSAGE_CHANNEL_EMAIL]
    assert [m["Subject"] for m in smtp_inbox.messages] == [ready.notification.subject]
    assert not sms_gateway.messages
    assert [n.skipped for n in listed.notifications] == [True, False]


async def test_a_message_to_the_store_goes_by_mail_only(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    request = pb.SendNotificationRequest(
        idempotency_key=f"order-{order}:pick_overdue",
        order_id=order,
        template=pb.TEMPLATE_PICK_OVERDUE,
        recipient="store-001@clickcollect.example",
        phone=PHONE,
        params={"store_id": "STORE-001", "pick_deadline": "15:00"},
    )
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        sent = await stub.SendNotification(request)

    assert list(channels(sent.notification)) == [pb.MESSAGE_CHANNEL_EMAIL]
    assert [m["To"] for m in smtp_inbox.messages] == ["store-001@clickcollect.example"]
    assert not sms_gateway.messages


async def test_a_customer_with_only_a_phone_gets_a_text_message(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        sent = await stub.SendNotification(ready_for_pickup(order, recipient=""))

    assert list(channels(sent.notification)) == [pb.MESSAGE_CHANNEL_SMS]
    assert not smtp_inbox.messages and len(sms_gateway.messages) == 1


async def test_without_a_gateway_text_messages_go_to_the_sms_outbox_file(
    database_url: str, tmp_path: Path
) -> None:
    sms_outbox = tmp_path / "outbox" / "sms.txt"
    order = new_order_id()
    async with running_notifications(
        database_url, outbox_path=str(tmp_path / "mail.txt"), sms_outbox_path=str(sms_outbox)
    ) as stub:
        sent = await stub.SendNotification(ready_for_pickup(order))

    sms = channels(sent.notification)[pb.MESSAGE_CHANNEL_SMS]
    assert sms.delivery_channel == pb.DELIVERY_CHANNEL_SMS_OUTBOX
    assert sms.provider_answer == f"written to {sms_outbox}"
    text = sms_outbox.read_text()
    assert f"--- SMS to {PHONE}" in text and "Pickup code: 482913" in text
    assert "482913" in (tmp_path / "mail.txt").read_text()


async def test_bad_phone_and_preferences_are_refused_naming_the_fields(
    database_url: str, tmp_path: Path
) -> None:
    request = ready_for_pickup(
        new_order_id(),
        recipient="",
        phone="0612345678",
        preferences=[
            preference(pb.MESSAGE_KIND_UNSPECIFIED),
            preference(pb.MESSAGE_KIND_PICKUP, pb.MESSAGE_CHANNEL_UNSPECIFIED),
        ],
    )
    async with running_notifications(database_url, outbox_path=str(tmp_path / "m.txt")) as stub:
        error = await refused(stub.SendNotification(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "phone",
        "preferences[0].kind",
        "preferences[1].channels",
    }
    assert not (tmp_path / "m.txt").exists()
