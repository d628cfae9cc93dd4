"""NotificationService over real gRPC, delivering to a real SMTP server or the outbox file."""

from __future__ import annotations

import asyncio
import mailbox
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from aiosmtpd.controller import Controller

from clickcollect.notifications.v1 import notifications_pb2 as pb
from clickcollect.notifications.v1 import notifications_pb2_grpc
from services.common.grpc_errors import RpcErrorDetails, details_of
from services.notifications.config import NotificationsSettings
from services.notifications.server import create_server

if TYPE_CHECKING:
    from clickcollect.notifications.v1.notifications_pb2_grpc import (
        NotificationServiceAsyncStub as Stub,
    )

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Inbox:
    """What a real SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def smtp_server(port: int) -> AsyncIterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    await asyncio.to_thread(controller.start)
    try:
        yield inbox
    finally:
        await asyncio.to_thread(controller.stop)


@asynccontextmanager
async def notifications(database_url: str, **settings: Any) -> AsyncIterator[Stub]:
    config = NotificationsSettings(host="127.0.0.1", port=0, database_url=database_url, **settings)
    service = await create_server(config)
    await service.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
            yield notifications_pb2_grpc.NotificationServiceStub(channel)
    finally:
        await service.stop()


def order_id() -> str:
    return "ORD-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def ready_for_pickup(order: str, key: str | None = None) -> pb.SendNotificationRequest:
    return pb.SendNotificationRequest(
        idempotency_key=key or f"order-{order}:ready_for_pickup",
        order_id=order,
        template=pb.TEMPLATE_READY_FOR_PICKUP,
        recipient="ada@example.com",
        params={
            "store_name": "Amsterdam Centraal",
            "pickup_code": "482913",
            "collect_by": "Friday",
        },
    )


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    return details_of(caught.value)


async def test_message_is_sent_over_smtp_exactly_once_per_key(database_url: str) -> None:
    port = free_port()
    order = order_id()
    async with (
        smtp_server(port) as inbox,
        notifications(database_url, smtp_host="127.0.0.1", smtp_port=port) as stub,
    ):
        first = await stub.SendNotification(ready_for_pickup(order))
        again = await stub.SendNotification(ready_for_pickup(order))

    assert not first.duplicate and again.duplicate
    assert again.notification == first.notification
    assert first.notification.delivery_channel == pb.DELIVERY_CHANNEL_SMTP
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "ada@example.com"
    assert mail["Subject"] == f"Order {order} is ready for pickup at Amsterdam Centraal"
    assert "Your pickup code: 482913" in mail.get_content()
    assert "Friday" in mail.get_content()


async def test_concurrent_repeats_send_one_message(database_url: str) -> None:
    port = free_port()
    async with (
        smtp_server(port) as inbox,
        notifications(database_url, smtp_host="127.0.0.1", smtp_port=port) as stub,
    ):
        request = ready_for_pickup(order_id())
        answers = await asyncio.gather(*(stub.SendNotification(request) for _ in range(6)))

    assert sorted(a.duplicate for a in answers) == [False] + [True] * 5
    assert len({a.notification.notification_id for a in answers}) == 1
    assert len(inbox.messages) == 1


async def test_smtp_down_is_unavailable_and_a_retry_delivers(database_url: str) -> None:
    port = free_port()
    order = order_id()
    async with notifications(database_url, smtp_host="127.0.0.1", smtp_port=port) as stub:
        error = await refused(stub.SendNotification(ready_for_pickup(order)))
        listed = await stub.ListNotifications(pb.ListNotificationsRequest(order_id=order))
        async with smtp_server(port) as inbox:
            retry = await stub.SendNotification(ready_for_pickup(order))

    assert error.code == grpc.StatusCode.UNAVAILABLE
    assert error.reason == "SMTP_UNAVAILABLE"
    assert len(listed.notifications) == 0
    assert not retry.duplicate
    assert len(inbox.messages) == 1


async def test_without_smtp_server_messages_go_to_the_outbox_file(
    database_url: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox" / "notifications.txt"
    order = order_id()
    async with notifications(database_url, outbox_path=str(outbox)) as stub:
        ready = await stub.SendNotification(ready_for_pickup(order))
        await stub.SendNotification(ready_for_pickup(order))
        await stub.SendNotification(
            pb.SendNotificationRequest(
                idempotency_key=f"order-{order}:order_picked_up",
                order_id=order,
                template=pb.TEMPLATE_ORDER_PICKED_UP,
                recipient="ada@example.com",
            )
        )

    assert ready.notification.delivery_channel == pb.DELIVERY_CHANNEL_OUTBOX
    mails = list(mailbox.mbox(str(outbox)))
    assert [m["Subject"] for m in mails] == [
        f"Order {order} is ready for pickup at Amsterdam Centraal",
        f"Thank you for collecting order {order}",
    ]
    assert all(m["To"] == "ada@example.com" and m["Date"] and m["From"] for m in mails)
    assert "482913" in outbox.read_text()


async def test_missing_template_param_is_refused_and_nothing_is_sent(
    database_url: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.txt"
    request = ready_for_pickup(order_id())
    del request.params["pickup_code"]
    async with notifications(database_url, outbox_path=str(outbox)) as stub:
        error = await refused(stub.SendNotification(request))
        listed = await stub.ListNotifications(
            pb.ListNotificationsRequest(order_id=request.order_id)
        )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "MISSING_TEMPLATE_PARAM"
    assert error.metadata["param"] == "pickup_code"
    assert [v.field for v in error.violations] == ["params.pickup_code"]
    assert not outbox.exists()
    assert len(listed.notifications) == 0


async def test_bad_request_names_every_bad_field(database_url: str, tmp_path: Path) -> None:
    request = pb.SendNotificationRequest(
        idempotency_key="", order_id="42", recipient="ada at example"
    )
    async with notifications(database_url, outbox_path=str(tmp_path / "outbox.txt")) as stub:
        error = await refused(stub.SendNotification(request))
        list_error = await refused(
            stub.ListNotifications(pb.ListNotificationsRequest(order_id="x"))
        )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "idempotency_key",
        "order_id",
        "template",
        "recipient",
    }
    assert list_error.code == grpc.StatusCode.INVALID_ARGUMENT


async def test_an_orders_notifications_are_listed_oldest_first_page_by_page(
    database_url: str, tmp_path: Path
) -> None:
    order = order_id()
    async with notifications(database_url, outbox_path=str(tmp_path / "outbox.txt")) as stub:
        sent = []
        for n in range(3):
            answer = await stub.SendNotification(ready_for_pickup(order, key=f"key-{order}-{n}"))
            sent.append(answer.notification.notification_id)
        await stub.SendNotification(ready_for_pickup(order_id()))
        first = await stub.ListNotifications(
            pb.ListNotificationsRequest(order_id=order, page_size=2)
        )
        second = await stub.ListNotifications(
            pb.ListNotificationsRequest(
                order_id=order, page_size=2, page_token=first.next_page_token
            )
        )

    assert [n.notification_id for n in [*first.notifications, *second.notifications]] == sent
    assert first.next_page_token and not second.next_page_token
    assert first.notifications[0].body.startswith("Hello,")
    assert first.notifications[0].create_time.seconds > 0


async def test_a_return_refund_goes_to_the_outbox_with_the_amount_and_items(
    database_url: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.txt"
    order = order_id()
    request = pb.SendNotificationRequest(
        idempotency_key=f"return-{order}-1:refunded",
        order_id=order,
        template=pb.TEMPLATE_RETURN_REFUNDED,
        recipient="ada@example.com",
        params={
            "order_id": order,
            "return_id": "RET-0123456789",
            "lines": '[{"sku": "TSHIRT-WHT-M", "name": "Organic T-shirt white M", "quantity": 1}]',
            "refund_minor": "1999",
            "currency_code": "EUR",
            "received_at": "DC-01",
        },
    )
    async with notifications(database_url, outbox_path=str(outbox)) as stub:
        sent = await stub.SendNotification(request)
        listed = await stub.ListNotifications(pb.ListNotificationsRequest(order_id=order))

    assert sent.notification.template == pb.TEMPLATE_RETURN_REFUNDED
    assert sent.notification.delivery_channel == pb.DELIVERY_CHANNEL_OUTBOX
    assert [n.notification_id for n in listed.notifications] == [sent.notification.notification_id]
    [mail] = list(mailbox.mbox(str(outbox)))
    assert mail["To"] == "ada@example.com"
    body = outbox.read_text()
    assert f"Subject: Order {order}: your refund of €19.99 is on its way" in body
    assert "RET-0123456789" in body and "at DC-01" in body
    assert "1 x Organic T-shirt white M" in body
