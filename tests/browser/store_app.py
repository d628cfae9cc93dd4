"""The store app as a test drives it: Playwright on a page of Debian's Chromium, with the
screens seen along the way (written out when the test fails)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Locator, Page, expect

CHROMIUM = "/usr/bin/chromium"
# How long the app may take to show what a test waits for (a workflow step, a refresh), on a
# machine busy with the rest of the suite.
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)


@dataclass(frozen=True)
class Viewport:
    width: int
    height: int


TABLET = Viewport(1024, 768)
PHONE = Viewport(375, 812)


class StoreApp:
    def __init__(self, page: Page, url: str, screens_dir: Path) -> None:
        self.page = page
        self.url = url
        self.screens_dir = screens_dir
        self.screens: list[tuple[str, bytes]] = []

    async def screen(self, name: str) -> None:
        """Keeps what the associate sees now (written out if the test fails)."""
        self.screens.append((name, await self.page.screenshot(full_page=True)))

    async def keep_screens(self) -> None:
        """Writes every screen seen, and the last state of the page, to the output folder."""
        self.screens_dir.mkdir(parents=True, exist_ok=True)
        taken = len(list(self.screens_dir.glob("*.png")))
        for number, (name, png) in enumerate(self.screens, start=taken + 1):
            (self.screens_dir / f"{number:02d}-{name}.png").write_bytes(png)
        if not self.page.is_closed():
            last = self.screens_dir / f"{taken + len(self.screens) + 1:02d}-last.png"
            await self.page.screenshot(path=str(last), full_page=True)

    async def open(self, route: str = "") -> None:
        await self.page.goto(f"{self.url}/#/{route}")

    async def sign_in(
        self, terminal_token: str, button: str = "Sign in", accepted: bool = True
    ) -> None:
        """Pastes the token and signs in; waits for the signed-in app unless not `accepted`."""
        await self.open()
        await self.screen("sign-in")
        await self.page.locator("textarea[name=token]").fill(terminal_token)
        await self.page.get_by_role("button", name=button).click()
        if accepted:
            await expect(self.page.get_by_test_id("terminal")).to_be_visible(timeout=WAIT_MS)

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def notice(self, kind: str) -> Locator:
        """The notice of a kind ("error", "ok", "warning") on the screen."""
        return self.page.locator(f".notice-{kind}")

    def card(self, queue: str, order_id: str) -> Locator:
        """An order's card in one of the queues ("here", "overdue", "toPick", "arriving",
        "ready")."""
        return self.page.locator(f'section[data-queue="{queue}"] [data-order-id="{order_id}"]')

    def count(self, queue: str) -> Locator:
        return self.page.locator(f'button.tile[data-queue="{queue}"] .tile-count')

    async def wait_for_card(self, queue: str, order_id: str) -> Locator:
        """The order's card once a refresh of the queues shows it."""
        card = self.card(queue, order_id)
        await expect(card).to_be_visible(timeout=WAIT_MS)
        return card

    async def says(self, kind: str, text: str) -> None:
        await expect(self.notice(kind)).to_contain_text(text, timeout=WAIT_MS)

    async def fits_the_width(self) -> bool:
        """Nothing sticks out sideways (no horizontal scrolling)."""
        return bool(
            await self.page.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
        )
