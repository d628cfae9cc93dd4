"""A return at the counter, in French: the associate finds the customer, picks the collected
order from their history, and takes one item back as damaged."""

from __future__ import annotations

from playwright.async_api import expect

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2
from services.gateway.domain import Role
from tests.browser.conftest import OpenApp
from tests.browser.store_app import TABLET
from tests.e2e.returns_support import collected
from tests.support.gateway import Caller, token

HOODIE = "HOODIE-GRY-L"


async def test_an_item_taken_back_at_the_counter_is_refunded(
    open_app: OpenApp, customer: Caller, terminal: Caller
) -> None:
    order = await collected(customer, terminal, (HOODIE, 2))
    app = await open_app(TABLET, "fr-FR")
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"), button="Se connecter")
    await expect(app.heading()).to_have_text("Files du jour")

    await app.page.get_by_role("link", name="Client").click()
    await app.page.get_by_label("Rechercher par").select_option("customerId")
    await app.page.get_by_label("Rechercher", exact=True).fill("cust-1001")
    await app.page.get_by_role("button", name="Trouver").click()
    card = app.page.locator(f'.card[data-order-id="{order.order_id}"]')
    await expect(card).to_contain_text("Retirée")
    await app.screen("customer")
    await card.get_by_role("button", name="Rendre des articles").click()

    await expect(app.heading()).to_have_text("Retour au comptoir")
    await app.page.get_by_role("button", name="Un de plus : Hoodie grey L").click()
    await app.page.get_by_role("combobox", name="État : Hoodie grey L").select_option("DAMAGED")
    await app.page.get_by_label("Pourquoi le client le rend").fill("couture défaite")
    await app.screen("return")
    await app.page.get_by_role("button", name="Prendre le retour").click()
    await app.says("ok", "est remboursé sur la carte du client")
    await app.screen("returned")

    mine = await _order(customer, order.order_id)
    assert mine.lines[0].returned_quantity == 1
    assert len(mine.returns) == 1
    assert mine.returns[0].lines[0].condition == order_views_pb2.ITEM_CONDITION_DAMAGED


async def test_a_final_sale_item_is_taken_back_only_as_an_exception_with_a_reason(
    open_app: OpenApp, customer: Caller, terminal: Caller
) -> None:
    order = await collected(customer, terminal, ("CANDLE-SET", 1))
    app = await open_app()
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"))
    await app.page.get_by_role("link", name="Customer").click()
    await app.page.get_by_label("Search by").select_option("customerId")
    await app.page.get_by_label("Search for").fill("cust-1001")
    await app.page.get_by_role("button", name="Find").click()
    card = app.page.locator(f'.card[data-order-id="{order.order_id}"]')
    await card.get_by_role("button", name="Return items").click()
    exception = app.page.get_by_label("Why you make an exception")
    await expect(exception).to_be_hidden()
    await app.page.get_by_role("button", name="One more Scented candle set").click()
    await app.page.get_by_role("button", name="Take the return").click()
    await app.says("warning", "sold as final sale and cannot be returned")
    await expect(exception).to_be_focused()  # the policy's refusal opens the exception
    await app.screen("final-sale")
    await exception.fill("wrong scent sent by the warehouse")
    await app.page.get_by_role("button", name="Take the return").click()
    await app.says("ok", "€19.99 goes back to the customer's card")
    mine = await _order(customer, order.order_id)
    assert mine.lines[0].returned_quantity == 1
    assert mine.returns[0].state == order_views_pb2.RETURN_STATE_REFUNDED


async def _order(customer: Caller, order_id: str) -> order_views_pb2.CustomerOrder:
    request = checkout_pb2.GetOrderRequest(order_id=order_id)
    return (await customer.checkout.GetOrder(request, metadata=customer.metadata)).order
