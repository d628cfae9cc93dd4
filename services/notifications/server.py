"""NotificationService over gRPC: check, render, send once per key, answer."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.notifications.v1 import notifications_pb2 as pb
from clickcollect.notifications.v1 import notifications_pb2_grpc
from services.common import ids, paging
from services.common.db import Database
from services.common.errors import Violations
from services.common.migrations import upgrade
from services.common.server import Context, GrpcService, build_server
from services.common.timeconv import utcnow
from services.notifications import handlers
from services.notifications import repository as repo
from services.notifications.config import NotificationsSettings
from services.notifications.convert import from_proto, to_proto
from services.notifications.delivery import mailer_for
from services.notifications.domain import Channel, choose_routes, validate_send
from services.notifications.migrations import SCHEMA
from services.notifications.sending import send_once
from services.notifications.sms import sms_sender_for
from services.notifications.templates import render


class NotificationServicer(notifications_pb2_grpc.NotificationServiceServicer):
    def __init__(self, db: Database, senders: handlers.Senders, sender: str) -> None:
        self.db = db
        self.senders = senders
        self.sender = sender

    async def SendNotification(
        self, request: pb.SendNotificationRequest, context: Context
    ) -> pb.SendNotificationResponse:
        send = from_proto(request)
        validate_send(send)
        assert send.template is not None
        rendered = render(send.template, send.template_params(), send.locale, utcnow())
        draft = handlers.draft(send, rendered, choose_routes(send), self.senders, utcnow())
        sent = await send_once(self.db, self.senders, self.sender, send.idempotency_key, draft)
        return pb.SendNotificationResponse(
            notification=to_proto(sent.message, sent.deliveries), duplicate=sent.duplicate
        )

    async def ListNotifications(
        self, request: pb.ListNotificationsRequest, context: Context
    ) -> pb.ListNotificationsResponse:
        v = Violations()
        v.check(ids.is_order_id(request.order_id), "order_id", "must look like ORD-XXXXXXXXXX")
        v.raise_if_any()
        size, offset = paging.page_size(request.page_size), paging.decode_token(request.page_token)

        def work(s: Session) -> list[pb.Notification]:
            rows = repo.for_order(s, request.order_id, offset, size + 1)
            sent = repo.deliveries_of(s, [row.idempotency_key for row in rows])
            return [to_proto(row, sent[row.idempotency_key]) for row in rows]

        found = await self.db.read(work)
        return pb.ListNotificationsResponse(
            notifications=found[:size], next_page_token=paging.next_token(offset, size, len(found))
        )


async def create_server(settings: NotificationsSettings) -> GrpcService:
    db = Database(settings.database_url)
    upgrade(db, SCHEMA)
    senders = {Channel.EMAIL: mailer_for(settings), Channel.SMS: sms_sender_for(settings)}
    servicer = NotificationServicer(db, senders, settings.smtp_sender)

    async def on_stop() -> None:
        db.dispose()

    return build_server(
        settings,
        [
            lambda server: notifications_pb2_grpc.add_NotificationServiceServicer_to_server(
                servicer, server
            )
        ],
        [pb.DESCRIPTOR.services_by_name["NotificationService"].full_name],
        on_stop,
    )
