"""The store app in a real Chromium (Debian's, headless) against the whole stack of the
end-to-end tests, through the edge (Envoy) that serves the app and speaks gRPC-Web to the
gateway. Each test's screens are kept and written to its output folder when it fails."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from pathlib import Path

import grpc
import pytest
from playwright.async_api import Browser, BrowserContext, async_playwright

from deploy.local.stack import Stack
from deploy.local.stack_config import ROOT
from services.common.settings import DEFAULT_PORTS
from services.gateway.domain import Role
from tests.browser.store_app import CHROMIUM, TABLET, StoreApp, Viewport
from tests.e2e import conftest as e2e
from tests.support.gateway import Caller, bearer, token

# The stack of the end-to-end tests (started once per process, with the demo retailer).
mail_inbox = e2e.mail_inbox
phone_inbox = e2e.phone_inbox
stack = e2e.stack
gateway_channel = e2e.gateway_channel
customer = e2e.customer
terminal = e2e.terminal

APP_INDEX = ROOT / "web" / "dist" / "index.html"


def missing_piece() -> str:
    """Why the browser tests cannot run here ("" when they can)."""
    if "edge" not in DEFAULT_PORTS:
        return "the stack has no edge (Envoy) serving the store app and gRPC-Web"
    if not APP_INDEX.is_file():
        return f"the store app is not built ({APP_INDEX} missing): run `make web`"
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium (as root)"
    return ""


@pytest.fixture(scope="session", autouse=True)
def browser_tests_can_run() -> None:
    """Skips before the stack starts when a piece is missing."""
    reason = missing_piece()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
async def chromium(browser_tests_can_run: None) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        await browser.close()


@pytest.fixture
def dc(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.STORE, "dc-dock-1", "DC-01")))


OpenApp = Callable[..., Awaitable[StoreApp]]


@pytest.fixture
async def open_app(
    chromium: Browser, stack: Stack, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[OpenApp]:
    """Opens the store app in a fresh browser context: `await open_app()` (a tablet, English),
    `await open_app(PHONE, "fr-FR")`. When the test fails, every screen it saw is written to
    its output folder (tmp_path/screens)."""
    contexts: list[BrowserContext] = []
    apps: list[StoreApp] = []

    async def opened(viewport: Viewport = TABLET, locale: str = "en-GB") -> StoreApp:
        context = await chromium.new_context(
            viewport={"width": viewport.width, "height": viewport.height},
            locale=locale,
            has_touch=viewport.width < 600,
        )
        contexts.append(context)
        edge = f"http://127.0.0.1:{stack.config.ports['edge']}"
        app = StoreApp(await context.new_page(), edge, tmp_path / "screens")
        apps.append(app)
        return app

    yield opened
    report = getattr(request.node, "rep_call", None)
    for app in apps:
        if report is None or report.failed:
            await app.keep_screens()
    for context in contexts:
        await context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's report on the item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
