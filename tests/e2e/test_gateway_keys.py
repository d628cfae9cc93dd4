"""The gateway's token keys in production (CC_ENV unset), with the real process: it does not
start without a key of its own, a token signed with the public development secret reads
nothing, and keys rotate with no gateway down and no token or payment link refused until its
key is dropped. The production gateways run beside the e2e stack's (development) gateway, on
its Temporal and services."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import jwt
import pytest

from clickcollect.gateway.v1 import checkout_pb2, payment_links_pb2, store_ops_pb2
from deploy.local.health import wait_healthy
from deploy.local.stack import Stack
from deploy.local.stack_config import ROOT, free_port, local_token_authority
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Role
from services.gateway.keys import DEV_JWT_SECRET, KeyRing
from services.gateway.payment_links import link_code
from tests.e2e.aisle_support import aisle_order, rid, stocked_catalogue
from tests.e2e.profiles_support import a_profile, new_customer, new_phone, update
from tests.support.gateway import Caller, bearer, refused

OLD = "Lw3Zr8Qp1Vt6Kx9Bn2Mc5Hd7Jf0Gs4Ty"  # 34 bytes each
NEW = "Xa5Nq2Wz8Rc1Ev7Tb3Yu9Im4Ol6Pk0Sj2"
GATEWAY = [sys.executable, "-m", "services.gateway"]
KEY_SETTINGS = ("CC_GATEWAY_JWT_SECRET", "CC_GATEWAY_JWT_KEYS", "CC_GATEWAY_JWT_SIGNING_KEY_ID")


def minted(ring: KeyRing, role: Role, subject: str, store_id: str = "") -> str:
    return TokenAuthority(ring, "clickcollect").issue(role, subject, store_id)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({}, "no key to sign tokens with: set CC_GATEWAY_JWT_SECRET"),
        ({"CC_GATEWAY_JWT_SECRET": ""}, "CC_GATEWAY_JWT_SECRET is empty"),
        (
            {"CC_GATEWAY_JWT_SECRET": DEV_JWT_SECRET},
            "CC_GATEWAY_JWT_SECRET is a secret printed in this project's files",
        ),
        ({"CC_GATEWAY_JWT_SECRET": OLD[:20]}, "CC_GATEWAY_JWT_SECRET is shorter than 32 bytes"),
    ],
    ids=["no-secret", "empty", "development-secret", "short"],
)
def test_outside_development_the_gateway_does_not_start_without_a_key_of_its_own(
    given: dict[str, str], said: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CC_")}
    env["CC_GATEWAY_TEMPORAL_ADDRESS"] = (
        f"127.0.0.1:{free_port()}"  # nothing: it must not get there
    )
    ended = subprocess.run(
        GATEWAY, cwd=ROOT, env={**env, **given}, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode == 1, ended.stderr
    assert ended.stderr.startswith("gateway not started: its settings are wrong\n"), ended.stderr
    assert said in ended.stderr and "Traceback" not in ended.stderr
    assert DEV_JWT_SECRET not in ended.stderr and OLD[:20] not in ended.stderr


@asynccontextmanager
async def production_gateway(stack: Stack, log: Path, **keys: str) -> AsyncIterator[Caller]:
    """Another gateway process, CC_ENV unset and the key settings `keys`, on the stack's
    Temporal and services; a channel to it (as an anonymous caller) once it serves."""
    port = free_port()
    env = {k: v for k, v in stack.environment().items() if k not in (*KEY_SETTINGS, "CC_ENV")}
    env.update(keys, CC_GATEWAY_PORT=str(port), CC_GATEWAY_METRICS_PORT="0")
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            *GATEWAY, cwd=ROOT, env=env, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
    try:
        await wait_healthy(f"127.0.0.1:{port}", _alive(process, log))
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield Caller(channel, ())
    finally:
        process.terminate()
        await process.wait()


def _alive(process: asyncio.subprocess.Process, log: Path) -> Callable[[], None]:
    def check() -> None:
        assert process.returncode is None, _tail(log)

    return check


def _tail(log: Path) -> str:
    return log.read_text()[-3000:]


def as_caller(gateway: Caller, token: str) -> Caller:
    return Caller(gateway.channel, bearer(token))


async def test_an_ops_token_signed_with_the_public_secret_reads_no_order_in_production(
    stack: Stack, customer: Caller, tmp_path: Path
) -> None:
    order = await customer.place(("SOCKS-5PK", 1))  # through the stack's development gateway
    asked = checkout_pb2.GetOrderRequest(order_id=order.order_id)
    now = int(time.time())
    claims = {"sub": "mallory", "role": "ops", "iss": "clickcollect", "iat": now, "exp": now + 60}
    forgeries = {
        "the development gateway's own": local_token_authority().issue(Role.OPS, "mallory"),
        "naming no key": jwt.encode(claims, DEV_JWT_SECRET, "HS256"),
    }
    async with production_gateway(
        stack, tmp_path / "gateway.log", CC_GATEWAY_JWT_SECRET=OLD
    ) as gateway:
        for name, forged in forgeries.items():
            intruder = as_caller(gateway, forged)
            error = await refused(intruder.checkout.GetOrder(asked, metadata=intruder.metadata))
            assert (error.code, error.reason, error.message) == (
                grpc.StatusCode.UNAUTHENTICATED,
                "TOKEN_INVALID",
                "the token is not valid: bad signature",
            ), name
        ops = as_caller(gateway, minted(KeyRing.single(OLD), Role.OPS, "alice"))
        shown = await ops.checkout.GetOrder(asked, metadata=ops.metadata)
        assert shown.order.order_id == order.order_id


async def test_keys_rotate_with_no_gateway_down_and_nothing_refused_until_its_key_is_dropped(
    stack: Stack, gateway_channel: grpc.aio.Channel, tmp_path: Path
) -> None:
    await stocked_catalogue(stack)
    before = KeyRing({"2026-11": OLD}, "2026-11")
    during = KeyRing({"2026-11": OLD, "2026-12": NEW}, "2026-12")
    old_terminal = minted(before, Role.STORE, "terminal-001-a", "STORE-001")
    new_terminal = minted(during, Role.STORE, "terminal-001-b", "STORE-001")
    customer_id, customer = new_customer(gateway_channel)
    email = f"{customer_id}@example.com"
    await update(customer, a_profile(email, new_phone()))
    log = tmp_path / "gateways.log"

    async with production_gateway(stack, log, CC_GATEWAY_JWT_KEYS=f"2026-11:{OLD}") as first:
        terminal = as_caller(first, old_terminal)
        asked = aisle_order(email=email, payment_link=True, payment_method="")
        placed = await terminal.store_ops.PlaceOrderForCustomer(asked, metadata=terminal.metadata)
        order_id = placed.order.order_id
        code = link_code(OLD, order_id)  # its payment link, made under the key signing then
        async with production_gateway(
            stack,
            log,
            CC_GATEWAY_JWT_KEYS=f"2026-11:{OLD},2026-12:{NEW}",
            CC_GATEWAY_JWT_SIGNING_KEY_ID="2026-12",
        ) as second:  # started while the first still serves
            await signed_in(as_caller(second, old_terminal))
            await signed_in(as_caller(second, new_terminal))
            await signed_in(as_caller(first, old_terminal))
            paying = payment_links_pb2.PayOrderRequest(
                request_id=rid("pay"), order_id=order_id, code=code, payment_method="pm_card_visa"
            )
            paid = await second.checkout.PayOrder(paying)  # the workflow checks the code too
            assert paid.order.order_id == order_id

    async with production_gateway(stack, log, CC_GATEWAY_JWT_KEYS=f"2026-12:{NEW}") as third:
        await signed_in(as_caller(third, new_terminal))
        error = await refused(signed_in(as_caller(third, old_terminal)))
        assert (error.code, error.message) == (
            grpc.StatusCode.UNAUTHENTICATED,
            "the token is not valid: signed with a key this gateway does not have",
        )
        shown = payment_links_pb2.GetOrderToPayRequest(order_id=order_id, code=code)
        gone = await refused(third.checkout.GetOrderToPay(shown))
        assert (gone.code, gone.reason) == (grpc.StatusCode.NOT_FOUND, "ORDER_NOT_FOUND")


async def signed_in(terminal: Caller) -> None:
    """A call only a valid terminal token gets an answer to."""
    queue = store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_READY)
    await terminal.store_ops.ListStoreOrders(queue, metadata=terminal.metadata)


@pytest.mark.parametrize(
    ("process", "given"),
    [
        (GATEWAY, {"CC_GATEWAY_JWT_SECRET": OLD}),  # its token key is fine; no payload keys
        ([sys.executable, "-m", "workflows.worker"], {}),
    ],
    ids=["gateway", "worker"],
)
def test_outside_development_nothing_writes_workflow_payloads_unencrypted(
    process: list[str], given: dict[str, str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CC_")}
    nowhere = f"127.0.0.1:{free_port()}"  # it must not get as far as Temporal
    env.update(CC_GATEWAY_TEMPORAL_ADDRESS=nowhere, CC_WORKER_TEMPORAL_ADDRESS=nowhere)
    env.update(CC_GATEWAY_METRICS_PORT="0", CC_WORKER_METRICS_PORT="0")
    ended = subprocess.run(
        process, cwd=ROOT, env={**env, **given}, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode == 1, ended.stderr
    assert "not started: its settings are wrong\n  CC_TEMPORAL_CODEC_KEYS: required" in (
        ended.stderr
    )
    assert "Traceback" not in ended.stderr and OLD not in ended.stderr
