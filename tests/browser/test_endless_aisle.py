"""Endless aisle at the terminal: the associate scans a product this shelf lacks, sees that the
DC has it and when it could be here, orders it for the demo customer found by e-mail for pickup
here, and finds the order in the arriving queue; an unknown customer is refused with a sentence
naming what to check."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect

from deploy.local.demo_data import DEMO_CUSTOMER
from deploy.local.seed import seed_customers
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.browser.conftest import OpenApp
from tests.browser.store_app import PHONE, TABLET
from tests.e2e.aisle_support import LAMP, stocked_catalogue
from tests.support.gateway import Caller, token

CLOCK = re.compile(r"\d{1,2}:\d{2}")


@pytest.fixture(autouse=True)
async def demo_customer_and_catalogue(stack: Stack) -> None:
    await seed_customers(stack.config.target("orders"))
    await stocked_catalogue(stack)


async def test_an_associate_orders_what_the_shelf_lacks_from_the_dc_for_the_customer_found_by_email(
    open_app: OpenApp, terminal: Caller
) -> None:
    app = await open_app(TABLET)
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"))
    await app.page.get_by_role("link", name="Stock", exact=True).click()
    await expect(app.heading()).to_have_text("Stock")
    scan = app.page.get_by_label("Product code or name")
    await expect(scan).to_be_focused()  # the scanner types into it at once
    await scan.press_sequentially(LAMP)
    await scan.press("Enter")  # what a barcode scanner sends after the label

    product = app.page.locator(f'[data-testid="stock-results"] [data-sku="{LAMP}"]')
    await expect(product.get_by_test_id("shelf")).to_contain_text("0 units can be promised now")
    promise = product.get_by_test_id("promise")
    await expect(promise).to_contain_text("shipped in from DC-01, ready here by")
    dc = product.locator('tr[data-location-id="DC-01"]')
    await expect(dc).to_contain_text("Distribution centre")
    here_by = (await dc.locator("td").nth(1).inner_text()).strip()
    assert CLOCK.search(here_by) and here_by in await promise.inner_text()
    assert int(await dc.locator("td").nth(0).inner_text()) > 0
    await app.screen("stock")
    assert await app.fits_the_width()

    await product.get_by_role("button", name="Order it for a customer").click()
    await expect(app.heading()).to_have_text("Order for a customer")
    await expect(app.page.locator(f'li.line[data-sku="{LAMP}"] input.qty')).to_have_value("1")
    await expect(app.page.get_by_text("demo: pm_card_visa")).to_be_visible()
    await app.page.get_by_label("Search by").select_option(label="E-mail")
    await app.page.get_by_label("E-mail, phone, card or id").fill(DEMO_CUSTOMER.email)
    await app.page.get_by_role("button", name="Check who it is").click()
    await expect(app.page.get_by_test_id("customer-found")).to_have_text(
        f"Customer {DEMO_CUSTOMER.customer_id} · {DEMO_CUSTOMER.email} · {DEMO_CUSTOMER.phone}."
    )
    await app.page.get_by_label("Your name").fill("Sam de Vries")
    await app.page.get_by_label("Card token from the payment terminal").fill("pm_card_visa")
    place = app.page.get_by_role("button", name="Place the order")
    await place.click()
    placed = app.page.get_by_test_id("placed")
    await expect(placed).to_contain_text("Ships from DC-01.")
    await expect(placed).to_contain_text(re.compile(r"Ready by .*\d{1,2}:\d{2}"))
    await expect(placed).to_contain_text(DEMO_CUSTOMER.email)
    order_id = await placed.get_attribute("data-order-id")
    assert order_id and order_id.startswith("ORD-")
    await app.says("ok", f"Order {order_id} is placed.")
    await app.screen("placed")
    await place.click()  # sent again: the same request, the same order
    await app.says("ok", f"Order {order_id} is placed.")
    await expect(placed).to_have_attribute("data-order-id", order_id)

    await app.page.get_by_role("link", name="Queues").click()
    card = await app.wait_for_card("arriving", order_id)
    await expect(card).to_contain_text(DEMO_CUSTOMER.email)
    await expect(card).to_contain_text("ordered in store by Sam de Vries")
    await app.screen("arriving")

    await app.page.get_by_role("link", name="Stock", exact=True).click()  # looked up again
    await expect(app.page.get_by_label("Product code or name")).to_have_value(LAMP)
    await expect(product.get_by_test_id("promise")).to_contain_text("DC-01")


async def test_an_unknown_customer_is_refused_with_what_to_check_on_a_phone_in_french(
    open_app: OpenApp,
) -> None:
    app = await open_app(PHONE, "fr-FR")
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"), button="Se connecter")
    await app.page.get_by_role("link", name="Stock", exact=True).tap()
    query = app.page.get_by_label("Code ou nom du produit")
    await query.fill("floor lamp")
    await query.press("Enter")
    product = app.page.locator(f'[data-testid="stock-results"] [data-sku="{LAMP}"]')
    await expect(product.get_by_test_id("promise")).to_contain_text("envoyé depuis DC-01")
    await app.page.get_by_role("button", name="Actualiser").tap()
    await expect(product.get_by_test_id("promise")).to_contain_text("envoyé depuis DC-01")
    assert await app.fits_the_width()
    await product.get_by_role("button", name="Le commander pour un client").tap()

    await expect(app.heading()).to_have_text("Commande pour un client")
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    who = app.page.get_by_label("E-mail, téléphone, carte ou identifiant")
    await who.fill(nobody)
    await app.page.get_by_label("Votre nom").fill("Sam de Vries")
    await app.page.get_by_label("Jeton de carte du terminal de paiement").fill("pm_card_visa")
    await app.page.get_by_role("button", name="Passer la commande").tap()
    await app.says("error", f"Aucun client ne correspond à « {nobody} » (e-mail).")
    await expect(app.notice("error")).to_contain_text("Vérifiez la saisie avec le client")
    await expect(who).to_be_focused()
    await expect(app.page.get_by_test_id("placed")).to_have_count(0)
    await app.screen("unknown-customer")
    assert await app.fits_the_width()
