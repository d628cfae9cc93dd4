"""Endless aisle paid by a link: the associate orders for the demo customer and sends them a
payment link instead of taking a card; the customer opens the link from the e-mail the stack
sent (on a phone, never signed in to a terminal), is declined with one card and pays with
another, and the order then reaches the store's queue. A link with a wrong code is not valid,
in a fresh browser as on a signed-in terminal (whose token the page never sends)."""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Request, expect

from deploy.local.demo_data import DEMO_CUSTOMER
from deploy.local.seed import seed_customers
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.browser.conftest import OpenApp
from tests.browser.store_app import PHONE, TABLET, WAIT_MS
from tests.e2e.aisle_support import LAMP, order_for_customer, stocked_catalogue
from tests.support.gateway import Caller, token
from tests.support.receivers import SmtpReceiver

CLOCK = r"\d{1,2}:\d{2}"
CHECKOUT = "/clickcollect.gateway.v1.CheckoutService/"


@pytest.fixture(autouse=True)
async def demo_customer_and_catalogue(stack: Stack) -> None:
    await seed_customers(stack.config.target("orders"))
    await stocked_catalogue(stack)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return str(part.get_content()) if part is not None else ""


async def payment_link(inbox: SmtpReceiver, to: str, order_id: str, seconds: float = 20) -> str:
    """The payment link of the order in the first e-mail to `to` that has one (waits for it)."""
    found = re.compile(rf"https?://[^\s<>\"']+/#/pay/{re.escape(order_id)}/[^\s<>\"']+")
    for _ in range(int(seconds / 0.1)):
        for message in inbox.to(to):
            link = found.search(body_of(message))
            if link:
                return link.group(0)
        await asyncio.sleep(0.1)
    raise AssertionError(
        f"no payment link for {order_id} to {to}: {[m['Subject'] for m in inbox.to(to)]}"
    )


async def test_the_customer_pays_by_the_link_sent_to_them_after_a_declined_card(
    open_app: OpenApp, stack: Stack, mail_inbox: SmtpReceiver
) -> None:
    app = await open_app(TABLET)
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"))
    await app.open(f"aisle/{LAMP}/1/Aisle floor lamp")
    await expect(app.heading()).to_have_text("Order for a customer")
    await app.page.get_by_label("E-mail, phone, card or id").fill(DEMO_CUSTOMER.email)
    await app.page.get_by_label("Your name").fill("Sam de Vries")
    card_token = app.page.get_by_label("Card token from the payment terminal")
    await expect(card_token).to_be_visible()
    await app.page.get_by_label("Send a payment link").check()
    await expect(card_token).to_be_hidden()
    await app.page.get_by_role("button", name="Place the order").click()

    placed = app.page.get_by_test_id("placed")
    await expect(placed.locator('[data-state="AWAITING_PAYMENT"]')).to_have_text(
        re.compile(rf"^Awaiting payment · pay by .*{CLOCK}$")
    )
    await expect(placed.get_by_test_id("awaiting-payment")).to_have_text(
        re.compile(rf"Waits for the customer's payment until .*{CLOCK}; unpaid by then")
    )
    await expect(placed).to_contain_text(
        f"The payment link was sent to the customer at {DEMO_CUSTOMER.email}."
    )
    order_id = await placed.get_attribute("data-order-id")
    assert order_id and order_id.startswith("ORD-")
    await app.says("ok", f"Order {order_id} is placed and waits for the customer's payment")
    await app.screen("placed-with-link")

    await app.page.get_by_role("link", name="Customer").click()
    await app.page.get_by_label("Search for").fill(DEMO_CUSTOMER.email)
    await app.page.get_by_role("button", name="Find").click()
    history = app.page.locator(f'.results [data-order-id="{order_id}"]')
    await expect(history).to_contain_text(re.compile(rf"Awaiting payment · pay by .*{CLOCK}"))

    link = await payment_link(mail_inbox, DEMO_CUSTOMER.email, order_id)
    assert urlsplit(link).port == stack.config.ports["edge"], link
    payer = await open_app(PHONE)
    await payer.page.goto(link)
    await expect(payer.heading()).to_have_text("Pay for your order")
    await expect(payer.page.locator("nav.sections")).to_have_count(0)
    await expect(payer.page.get_by_test_id("terminal")).to_have_count(0)
    one_lamp = "1 \N{MULTIPLICATION SIGN} Aisle floor lamp"
    await expect(payer.page.get_by_test_id("pay")).to_contain_text(one_lamp)
    await expect(payer.page.get_by_test_id("total")).to_have_text("Total: €49.99")
    await expect(payer.page.get_by_test_id("pay-by")).to_have_text(re.compile(rf"Pay by .*{CLOCK}"))
    await expect(payer.page.get_by_text("demo: pm_card_visa")).to_be_visible()
    assert await payer.fits_the_width()
    await payer.screen("pay-page")

    card = payer.page.get_by_label("Card token")
    pay = payer.page.get_by_role("button", name="Pay €49.99")
    await card.fill("pm_card_declined")
    await pay.tap()
    await payer.says("error", "Your card was declined; try another card.")
    await expect(card).to_be_visible()  # the form stays: another card may be tried
    await payer.screen("declined")

    await card.fill("pm_card_visa")
    await pay.tap()
    await payer.says("ok", f"Thank you: order {order_id} is paid.")
    paid = payer.page.get_by_test_id("paid")
    await expect(paid).to_contain_text("Your order is paid")
    await expect(paid).to_contain_text("Status: on its way to the store.")
    await expect(paid.get_by_test_id("ready-by")).to_have_text(
        re.compile(rf"Ready for pickup at .+ by .*{CLOCK}\.")
    )
    await expect(payer.page.get_by_label("Card token")).to_have_count(0)
    assert await payer.fits_the_width()
    await payer.screen("paid")

    await payer.page.reload()  # opened again: it says it is paid, with no form
    await expect(payer.page.get_by_test_id("paid")).to_contain_text("Your order is paid")
    await expect(payer.page.get_by_label("Card token")).to_have_count(0)

    await app.page.get_by_role("link", name="Queues").click()
    arriving = await app.wait_for_card("arriving", order_id)
    await expect(arriving).to_contain_text("ordered in store by Sam de Vries")


async def test_a_link_with_a_wrong_code_is_not_valid_and_a_terminal_sends_it_no_token(
    open_app: OpenApp, terminal: Caller
) -> None:
    order = await order_for_customer(
        terminal, email=DEMO_CUSTOMER.email, payment_method="", payment_link=True
    )
    wrong = f"pay/{order.order_id}/0123456789abcdef0123456789abcdef"

    phone = await open_app(PHONE, "fr-FR")
    await phone.open(wrong)
    invalid = phone.page.get_by_test_id("invalid-link")
    await expect(invalid).to_contain_text("Lien de paiement non valide")
    await expect(invalid).to_contain_text("Ce lien de paiement n'est pas valide.")
    await expect(phone.page.get_by_label("Jeton de carte")).to_have_count(0)
    assert await phone.fits_the_width()
    await phone.screen("not-valid-fr")

    app = await open_app(TABLET)
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"))
    sent: list[Request] = []
    app.page.on(
        "request", lambda request: sent.append(request) if CHECKOUT in request.url else None
    )
    await app.open(wrong)
    await expect(app.page.get_by_test_id("invalid-link")).to_contain_text(
        "This payment link is not valid.", timeout=WAIT_MS
    )
    await expect(app.page.locator("nav.sections")).to_have_count(0)
    asked = [r for r in sent if r.url.endswith("GetOrderToPay")]
    assert asked, [r.url for r in sent]
    for request in asked:
        assert "authorization" not in await request.all_headers()
    await app.page.get_by_role("button", name="Français").click()  # the switch stays on the page
    await expect(app.page.get_by_test_id("invalid-link")).to_contain_text("Ce lien de paiement")
