"""Endless aisle paid by a link, through the public gateway, the edge and the real processes: the
associate orders a lamp for the customer at the counter without a card; the order waits
AWAITING_PAYMENT with the DC's unit reserved and no transfer started; the customer gets the link
by e-mail and by text, opens it with no account (GetOrderToPay, also as JSON at the edge), has a
card declined, pays with another, and the order goes on to the store like any ship-to-store
order. A wrong code is the same NOT_FOUND as an unknown order; a bad token is refused."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from temporalio.client import Client

from clickcollect.gateway.v1 import (
    checkout_pb2,
    checkout_pb2_grpc,
    order_views_pb2,
    payment_links_pb2,
    store_ops_pb2,
)
from deploy.local.stack import Stack
from tests.e2e.aisle_support import LAMP, aisle_order, rid, stocked_catalogue
from tests.e2e.profiles_support import a_profile, new_customer, new_phone, update
from tests.support.codec import failures_in
from tests.support.edge import http
from tests.support.gateway import Caller, bearer, refused
from tests.support.receivers import SmsReceiver, SmtpReceiver

LINK = re.compile(r"(http://\S+/#/pay/(ORD-[A-Z0-9]+)/([0-9a-f]{32}))")
AWAITING = order_views_pb2.ORDER_STATE_AWAITING_PAYMENT


@pytest.fixture(autouse=True)
async def catalogue(stack: Stack) -> None:
    await stocked_catalogue(stack)


def anyone(channel: grpc.aio.Channel) -> checkout_pb2_grpc.CheckoutServiceAsyncStub:
    """The page behind the link: no token at all."""
    return checkout_pb2_grpc.CheckoutServiceStub(channel)


async def link_mailed_to(inbox: SmtpReceiver, email: str) -> tuple[str, str, str]:
    for _ in range(200):
        for message in inbox.to(email):
            if str(message["Subject"]).startswith("Pay for your order"):
                found = LINK.search(message.get_content())
                assert found, message.get_content()
                return found.group(1), found.group(2), found.group(3)
        await _pause()
    raise AssertionError(f"no payment link mailed to {email}")


async def ordered_with_link(terminal: Caller, email: str) -> order_views_pb2.StoreOrder:
    asked = aisle_order(email=email, payment_link=True, payment_method="")
    answer = await terminal.store_ops.PlaceOrderForCustomer(asked, metadata=terminal.metadata)
    return answer.order


async def arriving(terminal: Caller) -> set[str]:
    queue = store_ops_pb2.ListStoreOrdersRequest(
        queue=store_ops_pb2.STORE_QUEUE_ARRIVING, page_size=200
    )
    listed = await terminal.store_ops.ListStoreOrders(queue, metadata=terminal.metadata)
    return {o.order_id for o in listed.orders}


async def _pause() -> None:
    await asyncio.sleep(0.05)


async def test_the_customer_pays_by_the_link_and_the_order_goes_on_to_the_store(
    stack: Stack,
    gateway_channel: grpc.aio.Channel,
    terminal: Caller,
    mail_inbox: SmtpReceiver,
    phone_inbox: SmsReceiver,
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    email, phone = f"{customer_id}@example.com", new_phone()
    await update(customer, a_profile(email, phone))
    both = aisle_order(email=email, payment_link=True)
    wrong = await refused(
        terminal.store_ops.PlaceOrderForCustomer(both, metadata=terminal.metadata)
    )
    assert wrong.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in wrong.violations] == ["payment_method"]

    placed = await ordered_with_link(terminal, email)
    assert placed.state == AWAITING
    due = placed.payment_due_time.ToDatetime(tzinfo=UTC)
    assert abs(due - (datetime.now(UTC) + timedelta(hours=24))) < timedelta(minutes=5)
    assert not placed.payments
    assert placed.order_id not in await arriving(terminal)  # nothing ships yet

    url, order_id, code = await link_mailed_to(mail_inbox, email)
    assert order_id == placed.order_id and url.startswith(stack.config.edge_url)
    for _ in range(200):  # the text goes beside the e-mail
        if any(url in sms.text for sms in phone_inbox.to(phone)):
            break
        await _pause()
    assert any(url in sms.text for sms in phone_inbox.to(phone)), phone_inbox.to(phone)

    page = anyone(gateway_channel)
    not_it = await refused(
        page.GetOrderToPay(payment_links_pb2.GetOrderToPayRequest(order_id=order_id, code="0" * 32))
    )
    assert (not_it.code, not_it.reason) == (grpc.StatusCode.NOT_FOUND, "ORDER_NOT_FOUND")
    shown = (
        await page.GetOrderToPay(
            payment_links_pb2.GetOrderToPayRequest(order_id=order_id, code=code)
        )
    ).order
    assert (shown.state, shown.total.amount_minor, shown.pickup_store_name) == (
        AWAITING,
        4999,
        "Amsterdam Centraal",
    )
    assert [(line.sku, line.quantity) for line in shown.lines] == [(LAMP, 1)]

    as_json = await http("GET", f"{stack.config.edge_url}/v1/orders/{order_id}/payment?code={code}")
    assert (
        as_json.status == 200 and as_json.json()["order"]["state"] == "ORDER_STATE_AWAITING_PAYMENT"
    )

    def pay(request_id: str, card: str, **fields: str) -> payment_links_pb2.PayOrderRequest:
        return payment_links_pb2.PayOrderRequest(
            request_id=request_id, order_id=order_id, code=code, payment_method=card, **fields
        )

    forged = await refused(page.PayOrder(pay(rid("pay"), "pm_card_visa"), metadata=bearer("x.y.z")))
    assert forged.code == grpc.StatusCode.UNAUTHENTICATED
    declined = await refused(page.PayOrder(pay(rid("pay"), "pm_card_declined")))
    assert (declined.code, declined.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "PAYMENT_DECLINED",
    )
    raw = await Client.connect(stack.config.temporal_address)  # no codec: what Temporal keeps
    kept = failures_in(await raw.get_workflow_handle(f"order-{order_id}").fetch_history())
    assert kept and {(f.message, f.stack_trace) for f in kept} == {("Encoded failure", "")}
    paying = pay(rid("pay"), "pm_card_visa")
    paid = (await page.PayOrder(paying)).order
    assert paid.state == order_views_pb2.ORDER_STATE_IN_TRANSIT
    assert not paid.HasField("payment_due_time") and paid.ready_by.seconds > 0
    assert (await page.PayOrder(paying)).order.state == order_views_pb2.ORDER_STATE_IN_TRANSIT
    late = await refused(page.PayOrder(pay(rid("pay"), "pm_card_visa")))
    assert (late.code, late.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_NOT_AWAITING_PAYMENT",
    )

    assert order_id in await arriving(terminal)
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order_id), metadata=customer.metadata
    )
    operations = [p.operation for p in mine.order.payments]
    assert operations == [order_views_pb2.PAYMENT_OPERATION_AUTHORIZE] * 2  # declined, then held
    assert [p.status for p in mine.order.payments] == [
        order_views_pb2.PAYMENT_STATUS_DECLINED,
        order_views_pb2.PAYMENT_STATUS_SUCCEEDED,
    ]


async def test_a_customer_cancels_an_order_awaiting_payment_and_the_link_stops_working(
    gateway_channel: grpc.aio.Channel, terminal: Caller, mail_inbox: SmtpReceiver
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    email = f"{customer_id}@example.com"
    await update(customer, a_profile(email, new_phone()))
    placed = await ordered_with_link(terminal, email)
    _, order_id, code = await link_mailed_to(mail_inbox, email)

    cancel = checkout_pb2.CancelOrderRequest(
        request_id=rid("cancel"), order_id=placed.order_id, reason="bought it elsewhere"
    )
    cancelled = (await customer.checkout.CancelOrder(cancel, metadata=customer.metadata)).order
    assert cancelled.state == order_views_pb2.ORDER_STATE_CANCELLED
    page = anyone(gateway_channel)
    pay = payment_links_pb2.PayOrderRequest(
        request_id=rid("pay"), order_id=order_id, code=code, payment_method="pm_card_visa"
    )
    after = await refused(page.PayOrder(pay))
    assert (after.code, after.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_NOT_AWAITING_PAYMENT",
    )
    shown = await page.GetOrderToPay(
        payment_links_pb2.GetOrderToPayRequest(order_id=order_id, code=code)
    )
    assert shown.order.state == order_views_pb2.ORDER_STATE_CANCELLED
