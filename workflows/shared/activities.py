"""Activities every workflow may call: an event on an order's timeline, a notification. Their
names are their method names (`@activity.defn`), as the recorded histories carry them; request
ids come from the calling workflow, so a retried activity repeats the same request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from temporalio import activity

from clickcollect.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from services.common.fields import clipped
from services.common.timeconv import to_timestamp
from workflows.calls import call
from workflows.shared import recipients
from workflows.shared.activity_types import NotifyInput, OrderEventInput


class SharedActivities:
    def __init__(
        self,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
        notifications: notifications_pb2_grpc.NotificationServiceAsyncStub,
        operations_email: str,
        contacts: recipients.Contacts | None = None,
    ) -> None:
        self.orders = orders
        self.notifications = notifications
        self.operations_email = operations_email
        self.contacts = contacts or recipients.Contacts(None)

    @activity.defn
    async def record_order_event(self, event: OrderEventInput) -> None:
        request = orders_pb2.RecordOrderEventRequest(
            view=orders_pb2.ORDER_VIEW_BASIC,
            request_id=event.request_id,
            order_id=event.order_id,
            event=event.event,
            detail=clipped(event.detail),
        )
        if event.pick_overdue is not None:
            request.pick_overdue = event.pick_overdue
        if event.pickup_locked is not None:
            request.pickup_locked = event.pickup_locked
        _with_facts(request, event)
        await call(self.orders.RecordOrderEvent, request)

    @activity.defn
    async def send_notification(self, message: NotifyInput) -> None:
        request = notifications_pb2.SendNotificationRequest(
            idempotency_key=message.idempotency_key,
            order_id=message.order_id,
            template=notifications_pb2.Template.Value(f"TEMPLATE_{message.template}"),
            recipient=message.recipient or self.operations_email,
            params={**message.params, **local_times(message.moments, message.time_zone)},
        )
        if message.customer_id:  # the customer's: by their profile, never to operations
            profile = await self.contacts.profile(message.customer_id)
            recipients.address_to_customer(request, message.recipient, profile)
            if not recipients.reachable(request):
                activity.logger.warning("notification_unaddressed: %s", message.idempotency_key)
                return
        await call(self.notifications.SendNotification, request)

    def all(self) -> list[Callable[..., Any]]:
        return [self.record_order_event, self.send_notification]


def _with_facts(request: orders_pb2.RecordOrderEventRequest, event: OrderEventInput) -> None:
    """The self-service facts an event brings along (unset ones stay unset)."""
    request.pickup_store_id = event.pickup_store_id
    request.collector_name = event.collector_name
    request.client_request_id = event.client_request_id
    for name in ("ready_by", "pick_deadline", "pickup_expire_time"):
        if (value := getattr(event, name)) is not None:
            getattr(request, name).CopyFrom(to_timestamp(value))
    if event.pickup_extensions is not None:
        request.pickup_extensions = event.pickup_extensions
    if (arrival := event.arrival) is not None:
        request.customer_arrival.CopyFrom(
            orders_pb2.CustomerArrival(
                state=orders_pb2.ArrivalState.Value(f"ARRIVAL_STATE_{arrival.state}"),
                announce_time=to_timestamp(arrival.announce_time),
                vehicle_description=arrival.vehicle_description,
                bay=arrival.bay,
            )
        )


def local_times(moments: dict[str, datetime], time_zone: str) -> dict[str, str]:
    """The moments as ISO-8601 in UTC, with the zone they are read in (`time_zone`, the
    store's): the notifications service shows them in the reader's locale."""
    try:
        zone = ZoneInfo(time_zone).key
    except (ZoneInfoNotFoundError, ValueError):
        zone = "UTC"
    utc = {k: v.astimezone(UTC).isoformat() for k, v in moments.items()}
    return {**utc, "time_zone": zone}
