"""Operations open an order in the Temporal UI of the stack `make run` starts, in a real
Chromium: the page shows the order's input decrypted, because the UI's pages ask the codec
server (with the token its endpoint names) to decode what Temporal keeps encrypted."""

from __future__ import annotations

import uuid

from playwright.async_api import Browser, Response, expect

from deploy.local.stack import Stack
from tests.support.gateway import Caller


async def test_operations_read_an_orders_input_decrypted_in_the_temporal_ui(
    chromium: Browser, stack: Stack, customer: Caller
) -> None:
    email = f"ui-{uuid.uuid4().hex[:8]}@example.com"
    order = await customer.place(("TSHIRT-WHT-M", 1), customer_email=email)
    context = await chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    decoded: list[int] = []

    def seen(response: Response) -> None:
        if response.url.startswith(stack.config.codec_url) and "/decode" in response.url:
            decoded.append(response.status)

    page.on("response", seen)
    ui = f"http://127.0.0.1:{stack.config.temporal_ui_port}"
    await page.goto(f"{ui}/namespaces/default/workflows/order-{order.order_id}")
    await expect(page.get_by_text(email).first).to_be_visible()
    assert decoded and set(decoded) == {200}
    await context.close()
