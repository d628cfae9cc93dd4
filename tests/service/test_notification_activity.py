"""The workflows' notification activity addresses a customer's message from their profile
(CustomerService.GetProfile): the order's e-mail, else the profile's; the profile's phone,
channels and language. Real gRPC on loopback to the notifications service, which sends through
a real SMTP server and the real apprise library to a local SMS gateway. The profiles come from
a CustomerService on loopback that serves fixed profiles (the orders service keeps the real
ones)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
from temporalio.testing import ActivityEnvironment

from clickcollect.orders.v1 import customers_pb2 as cpb
from clickcollect.orders.v1 import customers_pb2_grpc
from services.common.server import Context
from tests.support.notifications import new_order_id, running_notifications
from tests.support.receivers import SmsReceiver, SmtpReceiver
from workflows.shared.activities import SharedActivities
from workflows.shared.activity_types import NotifyInput
from workflows.shared.recipients import FRESH_SECONDS, Contacts

OPERATIONS = "operations@clickcollect.example"
PROFILES = {
    "cust-fr": cpb.CustomerProfile(
        customer_id="cust-fr",
        email="marie@example.fr",
        phone="+33612345678",
        locale="fr",
        preferences=[
            cpb.ChannelPreference(kind=cpb.MESSAGE_KIND_PICKUP, channels=[cpb.MESSAGE_CHANNEL_SMS])
        ],
    )
}


class Profiles(customers_pb2_grpc.CustomerServiceServicer):
    def __init__(self) -> None:
        self.reads: list[str] = []

    async def GetProfile(
        self, request: cpb.GetProfileRequest, context: Context
    ) -> cpb.GetProfileResponse:
        self.reads.append(request.customer_id)
        if request.customer_id not in PROFILES:
            await context.abort(grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
        return cpb.GetProfileResponse(profile=PROFILES[request.customer_id])

    async def UpdateProfile(
        self, request: cpb.UpdateProfileRequest, context: Context
    ) -> cpb.UpdateProfileResponse:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "read only")
        raise AssertionError

    async def FindCustomer(
        self, request: cpb.FindCustomerRequest, context: Context
    ) -> cpb.FindCustomerResponse:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "read only")
        raise AssertionError


@asynccontextmanager
async def activities(
    database_url: str,
    inbox: SmtpReceiver,
    gateway: SmsReceiver,
    profiles: Profiles | None = None,
    fresh_seconds: float = FRESH_SECONDS,
) -> AsyncIterator[SharedActivities]:
    server = grpc.aio.server()
    customers_pb2_grpc.add_CustomerServiceServicer_to_server(profiles or Profiles(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with (
            running_notifications(database_url, inbox, gateway) as notifications,
            grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel,
        ):
            customers = customers_pb2_grpc.CustomerServiceStub(channel)
            contacts = Contacts(customers, fresh_seconds)
            yield SharedActivities(None, notifications, OPERATIONS, contacts)  # type: ignore[arg-type]
    finally:
        await server.stop(None)


def notice(template: str, recipient: str, customer_id: str, **params: str) -> NotifyInput:
    order = new_order_id()
    return NotifyInput(
        f"order-{order}:{template.lower()}",
        order,
        template,
        recipient,
        {"order_id": order, "store_id": "STORE-001", **params},
        customer_id=customer_id,
    )


READY = {"store_name": "Paris Opéra", "pickup_code": "482913", "collect_by": "vendredi"}


async def test_a_customer_is_told_on_the_channels_of_their_profile_in_their_language(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    env = ActivityEnvironment()
    async with activities(database_url, smtp_inbox, sms_gateway) as shared:
        await env.run(shared.send_notification, notice("READY_FOR_PICKUP", "", "cust-fr", **READY))
        confirmed = notice(
            "ORDER_CONFIRMED",
            "typed@example.com",
            "cust-fr",
            store_name="Opéra",
            ready_by="2026-12-04T14:00:00+00:00",
            lines='[{"sku": "SKU-LAMP", "name": "Lampe", "quantity": 1, "amount_minor": 1250}]',
            total_minor="1250",
            currency_code="EUR",
        )
        confirmed.time_zone = "Europe/Paris"
        await env.run(shared.send_notification, confirmed)

    ready_sms, confirmed_sms = await sms_gateway.wait_for(2)
    assert ready_sms.to == "+33612345678" and "Code de retrait: 482913" in ready_sms.text
    assert "Prête le: " in confirmed_sms.text and "15:00" in confirmed_sms.text
    assert "2026-12-04T" not in confirmed_sms.text  # shown in the reader's format
    assert [m["To"] for m in smtp_inbox.messages] == ["typed@example.com"]


async def test_without_a_profile_the_message_goes_by_mail_to_the_orders_address(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    env = ActivityEnvironment()
    async with activities(database_url, smtp_inbox, sms_gateway) as shared:
        ready = notice("READY_FOR_PICKUP", "ada@example.com", "cust-unknown", **READY)
        await env.run(shared.send_notification, ready)
        await env.run(shared.send_notification, notice("ORDER_PICKED_UP", "", "cust-unknown"))

    assert [m["To"] for m in smtp_inbox.messages] == ["ada@example.com"]
    assert not sms_gateway.messages


async def test_a_message_to_operations_goes_to_their_address(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    env = ActivityEnvironment()
    async with activities(database_url, smtp_inbox, sms_gateway) as shared:
        await env.run(shared.send_notification, notice("CAPTURE_REFUSED", "", "", reason="no"))

    assert [m["To"] for m in smtp_inbox.messages] == [OPERATIONS]
    assert not sms_gateway.messages


async def test_a_profile_the_orders_service_just_answered_with_addresses_the_next_message(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    """OpenOrder and TransitionOrder answer with the profile; the message right after is
    addressed from it, without a read (here the read would find no profile)."""
    profiles, env = Profiles(), ActivityEnvironment()
    learned = cpb.CustomerProfile(customer_id="cust-new", phone="+31612345678", locale="nl")
    learned.preferences.add(kind=cpb.MESSAGE_KIND_PICKUP, channels=[cpb.MESSAGE_CHANNEL_SMS])
    async with activities(database_url, smtp_inbox, sms_gateway, profiles) as shared:
        shared.contacts.learned("cust-new", learned)
        await env.run(shared.send_notification, notice("READY_FOR_PICKUP", "", "cust-new", **READY))

    (text,) = await sms_gateway.wait_for(1)
    assert text.to == "+31612345678" and "482913" in text.text
    assert profiles.reads == [] and not smtp_inbox.messages


async def test_once_the_answer_is_old_the_profile_is_read_again(
    database_url: str, smtp_inbox: SmtpReceiver, sms_gateway: SmsReceiver
) -> None:
    """A later message (a reminder after a timer) reads the profile as it is by then."""
    profiles, env = Profiles(), ActivityEnvironment()
    stale = cpb.CustomerProfile(customer_id="cust-fr", phone="+31699999999")
    async with activities(database_url, smtp_inbox, sms_gateway, profiles, 0.0) as shared:
        shared.contacts.learned("cust-fr", stale)
        await env.run(shared.send_notification, notice("READY_FOR_PICKUP", "", "cust-fr", **READY))
        shared.contacts.learned("cust-fr", None)  # no profile then; one since
        reminder = notice("PICKUP_REMINDER", "", "cust-fr", **READY)
        await env.run(shared.send_notification, reminder)

    assert [m.to for m in await sms_gateway.wait_for(2)] == ["+33612345678"] * 2
    assert profiles.reads == ["cust-fr", "cust-fr"]
