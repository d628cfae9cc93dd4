"""One customer's whole journey through the public gateway and the real processes, told the way
they chose: a profile in French with text messages for pickups → an order placed without typing
the e-mail → the confirmation mailed in French → the order moved to another store → the pickup
code arrives by SMS and by e-mail, with the new store's address → the window extended → "I'm
here" at the curbside → a friend collects with the code read from the text message."""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage

import grpc

from clickcollect.gateway.v1 import order_views_pb2 as pb
from clickcollect.gateway.v1 import profiles_pb2, store_ops_pb2
from deploy.local.stack import Stack
from tests.e2e.profiles_support import EMAIL, PICKUP, SMS, a_profile, new_customer, new_phone
from tests.e2e.profiles_support import update as update_profile
from tests.e2e.returns_support import delivered
from tests.e2e.test_self_service_journey import checkout
from tests.support.gateway import Caller
from tests.support.receivers import ReceivedSms, SmsReceiver, SmtpReceiver

SKU = "YOGA-MAT"
ORDER_UPDATES = profiles_pb2.MESSAGE_KIND_ORDER_UPDATES


async def mail_about(inbox: SmtpReceiver, to: str, words: str, seconds: float = 20) -> EmailMessage:
    """The first e-mail to `to` whose subject holds `words` (waits for it)."""
    for _ in range(int(seconds / 0.1)):
        for message in inbox.to(to):
            if words in str(message["Subject"]):
                return message
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail to {to} about {words!r}: {[m['Subject'] for m in inbox.to(to)]}")


async def text_to(phones: SmsReceiver, phone: str, words: str, seconds: float = 20) -> ReceivedSms:
    for _ in range(int(seconds / 0.1)):
        for text in phones.to(phone):
            if words in text.text:
                return text
        await asyncio.sleep(0.1)
    raise AssertionError(f"no text to {phone} with {words!r}: {phones.to(phone)}")


async def test_a_french_customer_is_told_by_sms_and_mail_and_a_friend_collects_at_the_new_store(
    stack: Stack,
    gateway_channel: grpc.aio.Channel,
    terminal: Caller,
    other_terminal: Caller,
    mail_inbox: SmtpReceiver,
    phone_inbox: SmsReceiver,
) -> None:
    await delivered(stack, "STORE-002", SKU, 1)
    customer_id, customer = new_customer(gateway_channel)
    email, phone = f"{customer_id}@example.com", new_phone()
    chosen = [
        profiles_pb2.ChannelPreference(kind=PICKUP, channels=[SMS, EMAIL]),
        profiles_pb2.ChannelPreference(kind=ORDER_UPDATES, channels=[EMAIL]),
    ]
    await update_profile(customer, a_profile(email, phone, locale="fr-FR", preferences=chosen))

    order = await customer.place((SKU, 1), store="STORE-001", customer_email="")
    assert order.customer_email == email
    confirmed = await mail_about(mail_inbox, email, order.order_id)
    assert "confirmée" in str(confirmed["Subject"])  # in French, as the profile says
    body = confirmed.get_content()
    assert SKU in body or "Tapis" in body or "mat" in body.lower()
    assert "€" in body  # the total, in euros, written the French way
    assert not phone_inbox.to(phone)  # order updates: e-mail only, as chosen

    moved = await checkout(
        customer,
        "ChangePickupStore",
        request_id=f"move-{customer_id}",
        order_id=order.order_id,
        pickup_store_id="STORE-002",
    )
    assert moved.order.pickup_store_id == "STORE-002"
    picked = await other_terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(request_id=f"pick-{customer_id}", order_id=order.order_id),
        metadata=other_terminal.metadata,
    )
    assert picked.order.state == pb.ORDER_STATE_READY_FOR_PICKUP

    sms = await text_to(phone_inbox, phone, order.order_id)
    found = re.search(r"Code de retrait\s*:\s*(\d+)", sms.text)
    assert found is not None, sms.text
    code = found.group(1)
    ready = (await mail_about(mail_inbox, email, "vous attend")).get_content()
    assert "Amsterdam Zuid" in ready and "Zuidplein 40" in ready and code in ready

    extended = await checkout(
        customer, "ExtendPickup", request_id=f"extend-{customer_id}", order_id=order.order_id
    )
    assert extended.order.pickup_extensions == 1
    await checkout(
        customer,
        "SetCollector",
        request_id=f"friend-{customer_id}",
        order_id=order.order_id,
        collector_name="Marie Curie",
    )
    await checkout(
        customer,
        "AnnounceArrival",
        request_id=f"here-{customer_id}",
        order_id=order.order_id,
        state=pb.ARRIVAL_STATE_HERE,
        vehicle_description="red Renault Zoe",
        bay="3",
    )
    queue = await other_terminal.store_ops.ListStoreOrders(
        store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_READY, page_size=200),
        metadata=other_terminal.metadata,
    )
    seen = {o.order_id: o for o in queue.orders}[order.order_id]
    assert (seen.customer_arrival.state, seen.customer_arrival.bay) == (pb.ARRIVAL_STATE_HERE, "3")

    done = await other_terminal.store_ops.ConfirmPickup(
        store_ops_pb2.ConfirmPickupRequest(
            request_id=f"handover-{customer_id}",
            order_id=order.order_id,
            pickup_code=code,  # read from the text message
            collector_name="MARIE  CURIE",
        ),
        metadata=other_terminal.metadata,
    )
    assert done.order.state == pb.ORDER_STATE_PICKED_UP
    assert done.order.collected_by.lower().split() == ["marie", "curie"]
    texts = phone_inbox.to(phone)
    assert len([t for t in texts if code in t.text]) == 1  # the code once, not on every retry
