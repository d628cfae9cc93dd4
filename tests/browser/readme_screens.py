"""The README's pictures, taken in Debian's Chromium against the stack of the end-to-end tests:
the store app at tablet width (the queues with an order in each state: a customer here, to
pick, arriving from the DC, ready; the hand-over of the order whose customer is here) and the
Temporal UI showing that order's input decrypted through the codec server.

Run with `make screenshots` (after `make web chromium`); writes docs/images/store-app-queue.png,
docs/images/store-app-handover.png and docs/images/temporal-ui-decrypted.png."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

import grpc
from playwright.async_api import Page, async_playwright, expect

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from deploy.local.seed import seed_customers
from deploy.local.stack_config import ROOT, StackConfig
from services.gateway.domain import Role
from tests.browser.store_app import CHROMIUM, TABLET, WAIT_MS
from tests.e2e.conftest import seeded_stack
from tests.support.gateway import Caller, bearer, token
from tests.support.receivers import sms_receiver, smtp_receiver

IMAGES = ROOT / "docs" / "images"
STORE = "STORE-001"
TERMINAL = token(Role.STORE, "terminal-001-a", STORE)
MAX_HEIGHT = 1400  # px: the top of a long page is what a reader needs


def rid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def ready_order(customer: Caller, terminal: Caller, *lines: tuple[str, int]) -> str:
    """An order placed, then picked at the terminal: waiting at the counter."""
    order = await customer.place(*lines)
    picked = store_ops_pb2.MarkPickedRequest(request_id=rid("pick"), order_id=order.order_id)
    await terminal.store_ops.MarkPicked(picked, metadata=terminal.metadata)
    return order.order_id


async def orders_in_each_state(channel: grpc.aio.Channel) -> str:
    """The store's queues filled; returns the order whose customer is at the counter."""
    customer = Caller(channel, bearer(token(Role.CUSTOMER, "cust-1001")))
    terminal = Caller(channel, bearer(TERMINAL))
    here = await ready_order(customer, terminal, ("MUG-CERAMIC", 2), ("KETTLE-1L", 1))
    arrival = checkout_pb2.AnnounceArrivalRequest(
        request_id=rid("here"),
        order_id=here,
        state=order_views_pb2.ARRIVAL_STATE_HERE,
        vehicle_description="Blue Fiat 500",
        bay="3",
    )
    await customer.checkout.AnnounceArrival(arrival, metadata=customer.metadata)
    await ready_order(customer, terminal, ("YOGA-MAT", 1))
    await customer.place(("BACKPACK-20L", 1), ("UMBRELLA-CMP", 1))
    await customer.place(("CABLE-USBC-2M", 3))
    await customer.place(("LAMP-DESK-01", 1))  # only the DC has lamps: arriving
    return here


async def photograph(page: Page, edge_url: str, handover_id: str, out: Path) -> None:
    await page.goto(f"{edge_url}/#/")
    await page.locator("textarea[name=token]").fill(TERMINAL)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator('section[data-queue="here"] [data-order-id]')).to_have_count(1)
    await expect(page.locator('section[data-queue="arriving"] [data-order-id]')).to_have_count(1)
    await shoot(page, out / "store-app-queue.png")
    await page.goto(f"{edge_url}/#/handover/{handover_id}")
    await expect(page.get_by_label("Pickup code (6 digits)")).to_be_visible()
    await page.get_by_label("Pickup code (6 digits)").fill("482913")
    await page.get_by_label("Name of the person collecting").fill("Ada Lovelace")
    await page.get_by_label("Pickup code (6 digits)").focus()
    await shoot(page, out / "store-app-handover.png")


async def photograph_temporal_ui(page: Page, ui_url: str, order_id: str, out: Path) -> None:
    """The order's page in the Temporal UI: its input decrypted by the codec server."""
    await page.goto(f"{ui_url}/namespaces/default/workflows/order-{order_id}")
    await expect(page.get_by_text('"customer_email"').first).to_be_visible()
    await page.screenshot(path=str(out / "temporal-ui-decrypted.png"))
    print(f"wrote {(out / 'temporal-ui-decrypted.png').relative_to(ROOT)}")


async def shoot(page: Page, path: Path) -> None:
    height = await page.evaluate("document.documentElement.scrollHeight")
    bottom = min(int(height), MAX_HEIGHT)
    await page.screenshot(
        path=str(path),
        clip={"x": 0, "y": 0, "width": TABLET.width, "height": bottom},
        full_page=True,
    )
    print(f"wrote {path.relative_to(ROOT)}")


async def main(out: Path = IMAGES) -> None:
    expect.set_options(timeout=WAIT_MS)
    with tempfile.TemporaryDirectory(prefix="screens-") as var_dir:
        async with smtp_receiver() as inbox, sms_receiver() as phones:
            config = StackConfig.ephemeral(Path(var_dir), **inbox.env(), **phones.env())
            async with seeded_stack(config):
                await seed_customers(config.target("orders"))
                async with grpc.aio.insecure_channel(config.target("gateway")) as channel:
                    handover_id = await orders_in_each_state(channel)
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(executable_path=CHROMIUM)
                    context = await browser.new_context(
                        viewport={"width": TABLET.width, "height": TABLET.height},
                        locale="en-GB",
                        timezone_id="Europe/Amsterdam",
                    )
                    await photograph(await context.new_page(), config.edge_url, handover_id, out)
                    wide = await browser.new_context(viewport={"width": 1280, "height": 760})
                    ui_url = f"http://127.0.0.1:{config.temporal_ui_port}"
                    await photograph_temporal_ui(await wide.new_page(), ui_url, handover_id, out)
                    await browser.close()


if __name__ == "__main__":
    IMAGES.mkdir(parents=True, exist_ok=True)
    asyncio.run(main())
