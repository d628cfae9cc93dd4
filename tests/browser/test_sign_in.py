"""Signing in with a terminal token, and back to sign-in with a sentence when the gateway
refuses the token (expired, or not a terminal's)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import grpc
from playwright.async_api import expect

from clickcollect.gateway.v1 import devices_pb2
from services.gateway.domain import Role
from tests.browser.conftest import OpenApp
from tests.support.gateway import Caller, bearer, token


async def test_a_token_that_expires_during_the_shift_returns_to_sign_in_with_a_sentence(
    open_app: OpenApp,
) -> None:
    app = await open_app()
    short = token(Role.STORE, "terminal-001-a", "STORE-001", ttl=timedelta(seconds=4))
    await app.sign_in(short)
    await expect(app.heading()).to_have_text("Today's queues")
    await app.screen("queues")
    # the queues refresh on their own; the first refresh after the expiry signs the terminal out
    await expect(app.heading()).to_have_text("Sign in to the store terminal", timeout=15_000)
    await app.says("warning", "the terminal token has expired")
    await app.screen("signed-out")
    assert await app.page.evaluate("sessionStorage.length") == 0


async def test_a_customer_token_is_refused_at_sign_in(open_app: OpenApp) -> None:
    app = await open_app()
    await app.sign_in(token(Role.CUSTOMER, "cust-1001"), accepted=False)
    await app.says("error", "This token is not a store terminal's.")
    await expect(app.heading()).to_have_text("Sign in to the store terminal")


async def test_the_app_speaks_french_to_a_french_browser_and_switches_to_english(
    open_app: OpenApp,
) -> None:
    app = await open_app(locale="fr-FR")
    await app.open()
    await expect(app.heading()).to_have_text("Connexion au terminal du magasin")
    await app.page.get_by_role("button", name="Langue : English").click()
    await expect(app.heading()).to_have_text("Sign in to the store terminal")
    await app.page.locator("textarea[name=token]").fill("not-a-token")
    await app.page.get_by_role("button", name="Sign in").click()
    await app.says("error", "The terminal token was refused.")


async def test_a_device_paired_by_a_code_stays_signed_in_for_its_store(
    open_app: OpenApp, gateway_channel: grpc.aio.Channel
) -> None:
    ops = Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))
    issue = devices_pb2.IssuePairingCodeRequest(
        request_id=f"pair-{uuid.uuid4().hex}", store_id="STORE-001", device_name="Back room phone"
    )
    issued = await ops.ops.IssuePairingCode(issue, metadata=ops.metadata)
    app = await open_app()
    await app.open()
    await app.page.get_by_label("Pairing code").fill("ZZZZ-ZZZZ-ZZZZ")
    await app.page.get_by_role("button", name="Pair this device").click()
    await app.says("error", "This pairing code is unknown, already used or expired.")

    await app.page.get_by_label("Pairing code").fill(issued.pairing_code.lower())
    await app.page.get_by_role("button", name="Pair this device").click()
    await expect(app.heading()).to_have_text("Today's queues")
    await app.page.reload()  # the paired device keeps its sign-in
    await expect(app.heading()).to_have_text("Today's queues")
    await app.screen("paired")
