"""Between the notifications proto and the domain/rows."""

from __future__ import annotations

from collections.abc import Sequence

from clickcollect.notifications.v1 import notifications_pb2 as pb
from services.common.timeconv import to_timestamp
from services.notifications.domain import (
    Channel,
    DeliveryChannel,
    DeliveryState,
    MessageKind,
    Preference,
    SendRequest,
    Template,
)
from services.notifications.repository import DeliveryRow, NotificationRow

TEMPLATE_OUT = {t: pb.Template.Value(f"TEMPLATE_{t.name}") for t in Template}
TEMPLATE_IN = {number: template for template, number in TEMPLATE_OUT.items()}
CHANNEL_OUT = {c: pb.DeliveryChannel.Value(f"DELIVERY_CHANNEL_{c}") for c in DeliveryChannel}
MESSAGE_CHANNEL_OUT = {c: pb.MessageChannel.Value(f"MESSAGE_CHANNEL_{c}") for c in Channel}
MESSAGE_CHANNEL_IN = {number: channel for channel, number in MESSAGE_CHANNEL_OUT.items()}
KIND_IN = {
    pb.MessageKind.Value(f"MESSAGE_KIND_{k}"): k for k in MessageKind if k is not MessageKind.STAFF
}
STATE_OUT = {s: pb.DeliveryState.Value(f"DELIVERY_STATE_{s}") for s in DeliveryState}


def from_proto(request: pb.SendNotificationRequest) -> SendRequest:
    return SendRequest(
        idempotency_key=request.idempotency_key,
        order_id=request.order_id,
        template=TEMPLATE_IN.get(request.template),
        recipient=request.recipient,
        params=dict(request.params),
        locale=request.locale,
        phone=request.phone,
        preferences=tuple(
            Preference(
                KIND_IN.get(p.kind),
                tuple(MESSAGE_CHANNEL_IN.get(c) for c in p.channels),
                p.opted_out,
            )
            for p in request.preferences
        ),
    )


def to_proto(row: NotificationRow, deliveries: Sequence[DeliveryRow] = ()) -> pb.Notification:
    return pb.Notification(
        notification_id=row.notification_id,
        idempotency_key=row.idempotency_key,
        order_id=row.order_id,
        template=TEMPLATE_OUT[Template(row.template)],
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        delivery_channel=_way(row.delivery_channel),
        create_time=to_timestamp(row.create_time),
        deliveries=[delivery_to_proto(d) for d in deliveries],
        skipped=not row.chosen(),
        sms_text=row.sms_text,
    )


def delivery_to_proto(row: DeliveryRow) -> pb.Delivery:
    return pb.Delivery(
        channel=MESSAGE_CHANNEL_OUT[Channel(row.channel)],
        recipient=row.recipient,
        delivery_channel=_way(row.delivery_channel),
        state=STATE_OUT[DeliveryState(row.state)],
        provider_answer=row.provider_answer,
        send_time=to_timestamp(row.send_time),
    )


def _way(value: str) -> pb.DeliveryChannel.ValueType:
    return CHANNEL_OUT[DeliveryChannel(value)] if value else pb.DELIVERY_CHANNEL_UNSPECIFIED
