"""A ship-to-store receipt from the back room, on a phone: the order shipped in from the DC is
in the arriving queue, its transfer is scanned in, and the order moves to the pick queue."""

from __future__ import annotations

from playwright.async_api import expect

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from services.gateway.domain import Role
from tests.browser.conftest import OpenApp
from tests.browser.store_app import PHONE
from tests.support.gateway import Caller, token

LAMP = "LAMP-DESK-01"  # no store has lamps; the DC does


async def test_a_transfer_scanned_in_the_back_room_lands_the_order_in_the_pick_queue(
    open_app: OpenApp, customer: Caller, dc: Caller
) -> None:
    order = await customer.place((LAMP, 1))
    assert order.state == order_views_pb2.ORDER_STATE_IN_TRANSIT
    transfer = order.shipments[0].transfer_id
    app = await open_app(PHONE)
    await app.sign_in(token(Role.STORE, "terminal-001-a", "STORE-001"))
    arriving = await app.wait_for_card("arriving", order.order_id)
    await expect(arriving).to_contain_text(transfer)
    await app.screen("arriving")
    assert await app.fits_the_width()

    ship = store_ops_pb2.ShipTransferRequest(request_id=f"ship-{transfer}", transfer_id=transfer)
    await dc.store_ops.ShipTransfer(ship, metadata=dc.metadata)

    await app.page.get_by_role("link", name="Receive").click()
    await expect(app.heading()).to_have_text("Receive a transfer")
    scan = app.page.get_by_label("Transfer id")
    await expect(scan).to_be_focused()  # the scanner types into it at once
    await scan.press_sequentially(f"transfer-{order.order_id}-9")  # no such transfer
    await scan.press("Enter")
    await app.says("error", "No transfer has this id.")
    await app.screen("unknown-transfer")
    await scan.fill("")
    await scan.press_sequentially(transfer)
    await scan.press("Enter")  # what a barcode scanner sends after the label
    await app.says("ok", f"{transfer} received. Order {order.order_id} can be picked now.")
    await app.screen("received")
    assert await app.fits_the_width()

    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    assert mine.order.shipments[0].state == order_views_pb2.SHIPMENT_STATE_RECEIVED
    await app.page.get_by_role("link", name="Queues").click()
    await app.wait_for_card("toPick", order.order_id)
    await expect(app.card("arriving", order.order_id)).to_have_count(0)
