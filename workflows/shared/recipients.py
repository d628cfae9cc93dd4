"""Who a message is for, as the notification activity tells the notifications service.

A customer's message (one with a customer id) is addressed from the customer's profile (orders
service, CustomerService.GetProfile): the e-mail the customer typed for the order wins, else the
profile's; the profile's phone, channels per kind of message and locale come along. Without a
profile (never made one, or an orders service that does not keep profiles yet) the message goes
by e-mail to the order's address. Messages to stores and operations carry no customer id: their
recipient, or operations when none.

The orders service answers OpenOrder and TransitionOrder with the customer's profile as it stands
(the steps that most messages follow). The worker keeps that answer for a moment (`Contacts`),
so the message right after it is addressed without reading the profile again; any later message
(a reminder, a message after a timer) reads it.
"""

from __future__ import annotations

import time

import grpc
import structlog

from clickcollect.notifications.v1 import notifications_pb2 as npb
from clickcollect.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2
from services.common.clients import DEFAULT_TIMEOUT_SECONDS
from workflows.calls import NON_RETRYABLE

log = structlog.get_logger("notifications")
# Not a profile to read: none kept for this id, or no profiles kept by this orders service.
NO_PROFILE = NON_RETRYABLE | {grpc.StatusCode.UNIMPLEMENTED}
# How long a profile the orders service answered with stands for the profile now: long enough
# for the message that follows the step, short enough that a change is seen by the next one.
FRESH_SECONDS = 2.0
KEPT_AT_MOST = 4096  # customers; past that the stale answers are dropped


def profile_in(
    answer: orders_pb2.OpenOrderResponse | orders_pb2.TransitionOrderResponse,
) -> customers_pb2.CustomerProfile | None:
    """The customer's profile an orders answer carries; None when it carries none."""
    return answer.customer_profile if answer.HasField("customer_profile") else None


class Contacts:
    """Profiles the orders service answered with, each for FRESH_SECONDS (one per worker)."""

    def __init__(
        self,
        customers: customers_pb2_grpc.CustomerServiceAsyncStub | None,
        fresh_seconds: float = FRESH_SECONDS,
    ) -> None:
        self.customers = customers
        self.fresh_seconds = fresh_seconds
        self._answers: dict[str, tuple[float, customers_pb2.CustomerProfile | None]] = {}

    def learned(self, customer_id: str, profile: customers_pb2.CustomerProfile | None) -> None:
        """The profile an orders answer carried (None: the customer keeps none)."""
        if not customer_id:
            return
        now = time.monotonic()
        if len(self._answers) >= KEPT_AT_MOST:
            self._answers = {k: v for k, v in self._answers.items() if now - v[0] < FRESH_SECONDS}
        self._answers[customer_id] = (now, profile)

    async def profile(self, customer_id: str) -> customers_pb2.CustomerProfile | None:
        """The profile as it stands: a fresh answer, else read (None: none to read)."""
        answer = self._answers.get(customer_id)
        if answer is not None and time.monotonic() - answer[0] < self.fresh_seconds:
            return answer[1]
        if self.customers is None:
            return None
        return await profile_of(self.customers, customer_id)


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
