"""The till and the parcels: a sale scanned at the till lands in the customer's history, and a
mail return's parcel is received by its RMA label and refunded."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2
from services.gateway.domain import Role
from tests.browser.conftest import OpenApp
from tests.e2e.returns_support import collected
from tests.support.gateway import Caller, token

TERMINAL = token(Role.STORE, "terminal-001-a", "STORE-001")


async def test_a_till_sale_scanned_item_by_item_is_in_the_customers_history(
    open_app: OpenApp,
) -> None:
    app = await open_app()
    await app.sign_in(TERMINAL)
    await app.page.get_by_role("link", name="Till sale").click()
    receipt = f"R-{uuid.uuid4().hex[:8]}"
    await app.page.get_by_label("Receipt number").fill(receipt)
    scan = app.page.get_by_label("Item (SKU)")
    for _ in range(2):  # the same item scanned twice: one line of two
        await scan.press_sequentially("SOCKS-5PK")
        await scan.press("Enter")
    await expect(app.page.get_by_role("spinbutton", name="Items sold: SOCKS-5PK")).to_have_value(
        "2"
    )
    await app.page.get_by_label("Card token from the payment terminal").fill("pm_card_visa")
    await app.page.get_by_label("Customer id (optional)").fill("cust-1001")
    await app.screen("till-sale")
    await app.page.get_by_role("button", name="Record the sale").click()
    await app.says("ok", "Sale recorded as ORD-")
    await app.says("ok", "€25.98")
    await expect(app.page.get_by_label("Receipt number")).to_have_value("")  # ready for the next
    sale_id = (await app.notice("ok").inner_text()).split("Sale recorded as ")[1].split(",")[0]

    await app.page.get_by_role("link", name="Customer").click()
    await app.page.get_by_label("Search by").select_option("customerId")
    await app.page.get_by_label("Search for").fill("cust-1001")
    await app.page.get_by_role("button", name="Find").click()
    card = app.page.locator(f'.card[data-order-id="{sale_id}"]')
    await expect(card).to_contain_text("Store")
    await expect(card).to_contain_text(receipt)
    await expect(card).to_contain_text("Picked up")
    await app.screen("customer")


async def test_a_mail_return_parcel_is_received_by_its_rma_label_and_refunded(
    open_app: OpenApp, customer: Caller, terminal: Caller
) -> None:
    order = await collected(customer, terminal, ("TSHIRT-WHT-M", 1))
    request = checkout_pb2.RequestReturnRequest(
        request_id=f"mail-{order.order_id}",
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku="TSHIRT-WHT-M", quantity=1)],
        reason="changed my mind",
    )
    rma = (await customer.checkout.RequestReturn(request, metadata=customer.metadata)).order_return
    app = await open_app()
    await app.sign_in(TERMINAL)
    await app.page.get_by_role("link", name="Returns").click()
    await app.page.get_by_role("button", name="Mail return parcel").click()
    label = app.page.get_by_label("RMA or return number")
    await label.press_sequentially(rma.rma_number)
    await label.press("Enter")  # the scanner's Enter moves on to the items
    scan = app.page.get_by_label("Item (SKU)")
    await expect(scan).to_be_focused()
    await scan.press_sequentially("TSHIRT-WHT-M")
    await scan.press("Enter")
    await app.screen("parcel")
    await app.page.get_by_role("button", name="Receive the parcel").click()
    await app.says("ok", f"Return {rma.return_id} received; €19.99 is refunded.")
    answer = await customer.checkout.GetReturn(
        checkout_pb2.GetReturnRequest(return_id=rma.return_id), metadata=customer.metadata
    )
    assert answer.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert answer.order_return.receiving_location_id == "STORE-001"
