"""Between the notifications proto and the domain/rows."""

from __future__ import annotations

from clickcollect.notifications.v1 import notifications_pb2 as pb
from services.common.timeconv import to_timestamp
from services.notifications.domain import DeliveryChannel, SendRequest, Template
from services.notifications.repository import NotificationRow

TEMPLATE_OUT = {t: pb.Template.Value(f"TEMPLATE_{t.name}") for t in Template}
TEMPLATE_IN = {number: template for template, number in TEMPLATE_OUT.items()}
CHANNEL_OUT = {c: pb.DeliveryChannel.Value(f"DELIVERY_CHANNEL_{c}") for c in DeliveryChannel}


def from_proto(request: pb.SendNotificationRequest) -> SendRequest:
    return SendRequest(
        idempotency_key=request.idempotency_key,
        order_id=request.order_id,
        template=TEMPLATE_IN.get(request.template),
        recipient=request.recipient,
        params=dict(request.params),
        locale=request.locale,
    )


def to_proto(row: NotificationRow) -> pb.Notification:
    return pb.Notification(
        notification_id=row.notification_id,
        idempotency_key=row.idempotency_key,
        order_id=row.order_id,
        template=TEMPLATE_OUT[Template(row.template)],
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        delivery_channel=CHANNEL_OUT[DeliveryChannel(row.delivery_channel)],
        create_time=to_timestamp(row.create_time),
    )
