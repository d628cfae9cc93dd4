"""A notifications database from before text messages: the upgrade gives each message already
sent its e-mail delivery, so a repeat of its key sends nothing on any channel, even with a
phone number now; new keys go on both channels. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, insert

from clickcollect.notifications.v1 import notifications_pb2 as pb
from services.common.db import Database
from services.notifications.upgrade import OLD_ANSWER
from tests.support.notifications import EMAIL, new_order_id, ready_for_pickup, running_notifications
from tests.support.receivers import SmsReceiver, SmtpReceiver


def previous_release_table(metadata: MetaData) -> Table:
    """The notification log as the release before text messages created it."""
    return Table(
        "notifications",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("notification_id", String(40), unique=True, nullable=False),
        Column("idempotency_key", String(200), unique=True, nullable=False),
        Column("order_id", String(32), nullable=False),
        Column("template", String(32), nullable=False),
        Column("recipient", String(254), nullable=False),
        Column("subject", Text, nullable=False),
        Column("body", Text, nullable=False),
        Column("delivery_channel", String(16), nullable=False),
        Column("create_time", DateTime(timezone=True), nullable=False),
    )


def previous_release_database(database_url: str, order: str) -> None:
    db = Database(database_url)
    table = previous_release_table(MetaData())
    table.create(db.engine)
    with db.engine.begin() as connection:
        connection.execute(
            insert(table),
            [
                {
                    "notification_id": "NTF-OLD0000000000000001",
                    "idempotency_key": f"order-{order}:ready_for_pickup",
                    "order_id": order,
                    "template": "ready_for_pickup",
                    "recipient": EMAIL,
                    "subject": f"Order {order} is ready for pickup at Amsterdam Centraal",
                    "body": "Hello,\n\nYour pickup code: 482913\n",
                    "delivery_channel": "SMTP",
                    "create_time": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
                }
            ],
        )
    db.dispose()


async def test_a_repeat_of_a_message_sent_before_the_upgrade_sends_nothing(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    order = new_order_id()
    previous_release_database(database_url, order)
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        repeat = await stub.SendNotification(ready_for_pickup(order))
        new_key = ready_for_pickup(order, idempotency_key=f"order-{order}:pickup_reminder")
        fresh = await stub.SendNotification(new_key)
    async with running_notifications(database_url, smtp_inbox, sms_gateway) as stub:
        listed = await stub.ListNotifications(pb.ListNotificationsRequest(order_id=order))

    assert repeat.duplicate
    assert repeat.notification.notification_id == "NTF-OLD0000000000000001"
    [old] = repeat.notification.deliveries
    assert (old.channel, old.recipient, old.state) == (
        pb.MESSAGE_CHANNEL_EMAIL,
        EMAIL,
        pb.DELIVERY_STATE_SENT,
    )
    assert old.delivery_channel == pb.DELIVERY_CHANNEL_SMTP
    assert old.provider_answer == OLD_ANSWER
    assert old.send_time.ToDatetime(UTC) == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert not fresh.duplicate and len(fresh.notification.deliveries) == 2
    assert len(smtp_inbox.messages) == 1 and len(sms_gateway.messages) == 1
    assert [len(n.deliveries) for n in listed.notifications] == [1, 2]
