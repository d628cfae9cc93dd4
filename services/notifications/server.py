"""NotificationService over gRPC: check, render, send once per key, answer."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.notifications.v1 import notifications_pb2 as pb
from clickcollect.notifications.v1 import notifications_pb2_grpc
from services.common import ids, paging
from services.common.db import Database
from services.common.errors import Violations
from services.common.server import Context, GrpcService, build_server
from services.common.timeconv import utcnow
from services.notifications import handlers
from services.notifications import repository as repo
from services.notifications.config import NotificationsSettings
from services.notifications.convert import from_proto, to_proto
from services.notifications.delivery import Mailer, mailer_for
from services.notifications.domain import validate_send
from services.notifications.templates import render


class NotificationServicer(notifications_pb2_grpc.NotificationServiceServicer):
    def __init__(self, db: Database, mailer: Mailer, sender: str) -> None:
        self.db = db
        self.mailer = mailer
        self.sender = sender

    async def SendNotification(
        self, request: pb.SendNotificationRequest, context: Context
    ) -> pb.SendNotificationResponse:
        send = from_proto(request)
        validate_send(send)
        assert send.template is not None
        rendered = render(send.template, send.template_params(), send.locale, utcnow())

        def work(s: Session) -> tuple[pb.Notification, bool]:
            row, duplicate = handlers.send(s, self.mailer, self.sender, send, rendered, utcnow())
            return to_proto(row), duplicate

        notification, duplicate = await self.db.run(work)
        return pb.SendNotificationResponse(notification=notification, duplicate=duplicate)

    async def ListNotifications(
        self, request: pb.ListNotificationsRequest, context: Context
    ) -> pb.ListNotificationsResponse:
        v = Violations()
        v.check(ids.is_order_id(request.order_id), "order_id", "must look like ORD-XXXXXXXXXX")
        v.raise_if_any()
        size, offset = paging.page_size(request.page_size), paging.decode_token(request.page_token)

        def work(s: Session) -> list[pb.Notification]:
            return [to_proto(row) for row in repo.for_order(s, request.order_id, offset, size + 1)]

        found = await self.db.read(work)
        return pb.ListNotificationsResponse(
            notifications=found[:size], next_page_token=paging.next_token(offset, size, len(found))
        )


async def create_server(settings: NotificationsSettings) -> GrpcService:
    db = Database(settings.database_url)
    db.create_all(repo)
    servicer = NotificationServicer(db, mailer_for(settings), settings.smtp_sender)

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
