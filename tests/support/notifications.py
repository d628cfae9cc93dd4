"""Building blocks for tests of the notifications service: a running server, messages."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import grpc

from clickcollect.notifications.v1 import notifications_pb2 as pb
from clickcollect.notifications.v1 import notifications_pb2_grpc
from services.notifications.config import NotificationsSettings
from services.notifications.server import create_server
from tests.support.receivers import SmsReceiver, SmtpReceiver

if TYPE_CHECKING:
    from clickcollect.notifications.v1.notifications_pb2_grpc import (
        NotificationServiceAsyncStub as Stub,
    )

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PHONE = "+31612345678"
EMAIL = "ada@example.com"


@asynccontextmanager
async def running_notifications(
    database_url: str,
    inbox: SmtpReceiver | None = None,
    gateway: SmsReceiver | None = None,
    **settings: Any,
) -> AsyncIterator[Stub]:
    """The real server on a free loopback port, sending mail to ``inbox`` and text messages to
    ``gateway`` (their outbox files otherwise: pass ``outbox_path``/``sms_outbox_path``)."""
    if inbox is not None:
        settings.update(smtp_host=inbox.host, smtp_port=inbox.port)
    if gateway is not None:
        settings.update(sms_url=gateway.url)
    config = NotificationsSettings(host="127.0.0.1", port=0, database_url=database_url, **settings)
    service = await create_server(config)
    await service.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
            yield notifications_pb2_grpc.NotificationServiceStub(channel)
    finally:
        await service.stop()


def new_order_id() -> str:
    return "ORD-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def ready_for_pickup(order: str, **fields: Any) -> pb.SendNotificationRequest:
    """The customer's "ready for pickup" (with the pickup code), to EMAIL and PHONE."""
    request = pb.SendNotificationRequest(
        idempotency_key=f"order-{order}:ready_for_pickup",
        order_id=order,
        template=pb.TEMPLATE_READY_FOR_PICKUP,
        recipient=EMAIL,
        phone=PHONE,
        params={"store_name": "Amsterdam Centraal", "pickup_code": "482913", "collect_by": "Fri"},
    )
    for name, value in fields.items():
        if name == "preferences":
            request.ClearField("preferences")
            request.preferences.extend(value)
        else:
            setattr(request, name, value)
    return request


def order_picked_up(order: str, **fields: Any) -> pb.SendNotificationRequest:
    """A customer's order update (no pickup code)."""
    request = ready_for_pickup(order, **fields)
    request.idempotency_key = fields.get("idempotency_key", f"order-{order}:order_picked_up")
    request.template = pb.TEMPLATE_ORDER_PICKED_UP
    request.params.clear()
    return request


def preference(
    kind: pb.MessageKind.ValueType, *channels: pb.MessageChannel.ValueType, opted_out: bool = False
) -> pb.ChannelPreference:
    return pb.ChannelPreference(kind=kind, channels=list(channels), opted_out=opted_out)
