"""The whole stack with TLS everywhere (certificates made by the test): the services under
mutual TLS, the gateway serving TLS to the public, the edge reaching the gateway over TLS, and
the gateway and the worker reaching Temporal through a proxy that asks for their client
certificate (the dev server serves plaintext only). An order placed through the gateway is
carried on by the worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import trustme
from temporalio.client import Client
from temporalio.service import TLSConfig

from clickcollect.gateway.v1 import order_views_pb2, store_ops_pb2
from deploy.local.stack import Stack
from deploy.local.stack_config import StackConfig
from services.gateway.domain import Role
from tests.e2e.conftest import seeded_stack
from tests.support.edge import bearer_header, http
from tests.support.gateway import Caller, bearer, token
from tests.support.tls import client_credentials, tls_files
from tests.support.tls_proxy import tls_proxy

SHIRT = "TSHIRT-WHT-M"


@dataclass(frozen=True)
class TlsStack:
    stack: Stack
    ours: trustme.CA  # signs every process's certificate
    temporal: trustme.CA  # signs the proxy's and the Temporal clients' certificates
    temporal_address: str  # the proxy


@pytest.fixture(scope="module")
async def tls_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TlsStack]:
    folder = Path(tmp_path_factory.mktemp("tls"))
    ours, temporal = trustme.CA(), trustme.CA()
    config = StackConfig.ephemeral(folder / "var")
    proxy_files = tls_files(folder, temporal, "temporal-proxy")
    async with tls_proxy(folder, config.temporal_port, proxy_files) as proxy:
        config.env.update(
            **tls_files(folder, ours, "processes"),
            CC_TLS_MUTUAL="true",
            **tls_files(folder, temporal, "temporal-clients", prefix="CC_TEMPORAL_TLS_"),
            CC_GATEWAY_TEMPORAL_ADDRESS=proxy,
            CC_WORKER_TEMPORAL_ADDRESS=proxy,
        )
        async with seeded_stack(config) as running:
            yield TlsStack(running, ours, temporal, proxy)


@pytest.fixture
async def public(tls_stack: TlsStack) -> AsyncIterator[grpc.aio.Channel]:
    """The gateway as the public dials it: TLS, trusting our CA, no certificate of its own."""
    credentials = client_credentials(tls_stack.ours)
    target = tls_stack.stack.config.target("gateway")
    async with grpc.aio.secure_channel(target, credentials) as channel:
        yield channel


async def test_an_order_placed_over_tls_is_carried_on_by_the_worker(
    tls_stack: TlsStack, public: grpc.aio.Channel
) -> None:
    customer = Caller(public, bearer(token(Role.CUSTOMER, "cust-1001")))
    terminal = Caller(public, bearer(token(Role.STORE, "terminal-001-a", "STORE-001")))
    order = await customer.place((SHIRT, 1), request_id="tls-0001")
    assert order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK

    picked = await terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(request_id="tls-pick-1", order_id=order.order_id),
        metadata=terminal.metadata,
    )
    assert picked.order.state == order_views_pb2.ORDER_STATE_READY_FOR_PICKUP

    edge = tls_stack.stack.config.edge_url  # the edge dials the gateway over TLS
    headers = bearer_header(token(Role.CUSTOMER, "cust-1001"))
    read = await http("GET", f"{edge}/v1/orders/{order.order_id}", headers=headers)
    assert read.status == 200, read.text
    assert read.json()["order"]["state"] == "ORDER_STATE_READY_FOR_PICKUP"


async def test_the_gateway_refuses_plaintext(tls_stack: TlsStack) -> None:
    target = tls_stack.stack.config.target("gateway")
    async with grpc.aio.insecure_channel(target) as channel:
        customer = Caller(channel, bearer(token(Role.CUSTOMER, "cust-1001")))
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await customer.place((SHIRT, 1), request_id="tls-plain")
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_temporal_behind_the_proxy_refuses_a_client_without_a_certificate(
    tls_stack: TlsStack,
) -> None:
    server_only = TLSConfig(server_root_ca_cert=tls_stack.temporal.cert_pem.bytes())
    with pytest.raises(RuntimeError):
        await Client.connect(tls_stack.temporal_address, tls=server_only)
