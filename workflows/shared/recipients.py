"""Who a message is for, as the notification activity tells the notifications service.

A customer's message (one with a customer id) is addressed from the customer's profile (orders
service, CustomerService.GetProfile): the e-mail the customer typed for the order wins, else the
profile's; the profile's phone, channels per kind of message and locale come along. Without a
profile (never made one, or an orders service that does not keep profiles yet) the message goes
by e-mail to the order's address. Messages to stores and operations carry no customer id: their
recipient, or operations when none.
"""

from __future__ import annotations

import grpc
import structlog

from clickcollect.notifications.v1 import notifications_pb2 as npb
from clickcollect.orders.v1 import customers_pb2, customers_pb2_grpc
from services.common.clients import DEFAULT_TIMEOUT_SECONDS
from workflows.calls import NON_RETRYABLE

log = structlog.get_logger("notifications")
# Not a profile to read: none kept for this id, or no profiles kept by this orders service.
NO_PROFILE = NON_RETRYABLE | {grpc.StatusCode.UNIMPLEMENTED}


async def profile_of(
    customers: customers_pb2_grpc.CustomerServiceAsyncStub, customer_id: str
) -> customers_pb2.CustomerProfile | None:
    """The customer's profile; None when there is none to read (UNAVAILABLE is raised, so the
    activity is retried)."""
    try:
        answer = await customers.GetProfile(
            customers_pb2.GetProfileRequest(customer_id=customer_id),
            timeout=DEFAULT_TIMEOUT_SECONDS,
        )
    except grpc.aio.AioRpcError as error:
        if error.code() not in NO_PROFILE:
            raise
        if error.code() is not grpc.StatusCode.NOT_FOUND:
            log.warning("customer_profile_unread", code=error.code().name)
        return None
    return answer.profile


def address_to_customer(
    request: npb.SendNotificationRequest,
    order_email: str,
    profile: customers_pb2.CustomerProfile | None,
) -> None:
    """Fills in recipient, phone, locale and channel preferences of a customer's message."""
    request.recipient = order_email or (profile.email if profile else "")
    if profile is None:
        return
    request.phone = profile.phone
    request.locale = profile.locale
    for preference in profile.preferences:
        if preference.kind in npb.MessageKind.values():
            request.preferences.append(
                npb.ChannelPreference(
                    kind=npb.MessageKind.ValueType(preference.kind),
                    channels=[
                        npb.MessageChannel.ValueType(c)
                        for c in preference.channels
                        if c in npb.MessageChannel.values()
                    ],
                )
            )


def reachable(request: npb.SendNotificationRequest) -> bool:
    return bool(request.recipient or request.phone)
