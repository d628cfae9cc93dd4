"""Mutual TLS on a real service (certificates made by the test): the stores service under
CC_TLS_MUTUAL answers a caller showing a certificate of our CA, and no one else; the gateway's
kind of port (public) serves TLS to callers without a certificate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
import trustme
from grpc_health.v1 import health_pb2, health_pb2_grpc

from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from services.common.clients import channel
from services.common.healthcheck import check_grpc
from services.common.server import build_server
from services.common.settings import ServiceSettings
from services.common.tls import TLSSettings
from services.stores.config import StoresSettings
from services.stores.server import create_server
from tests.support.databases import fresh_sqlite_url
from tests.support.tls import client_credentials, tls_files


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def mutual(tmp_path: Path, ca: trustme.CA) -> TLSSettings:
    return TLSSettings.of({**tls_files(tmp_path, ca, "stores"), "CC_TLS_MUTUAL": "true"})


@pytest.fixture
async def stores(tmp_path: Path, mutual: TLSSettings) -> AsyncIterator[str]:
    """The stores service under mutual TLS on a free loopback port: its target."""
    settings = StoresSettings(
        host="127.0.0.1", port=0, database_url=fresh_sqlite_url(tmp_path, "stores"), tls=mutual
    )
    service = await create_server(settings)
    await service.start()
    try:
        yield f"127.0.0.1:{service.port}"
    finally:
        await service.stop()


async def list_locations(target: str, credentials: grpc.ChannelCredentials | None) -> int:
    async with channel(target, credentials) as opened:
        stub = stores_pb2_grpc.StoreServiceStub(opened)
        answer = await stub.ListLocations(stores_pb2.ListLocationsRequest(), timeout=10)
        return len(answer.locations)


async def test_a_caller_with_a_certificate_of_our_ca_is_answered(
    stores: str, mutual: TLSSettings
) -> None:
    assert await list_locations(stores, mutual.channel_credentials()) == 0


@pytest.mark.parametrize(
    "caller", ["plaintext", "no certificate", "certificate of another CA"], ids=str
)
async def test_a_caller_without_a_certificate_of_our_ca_is_refused(
    stores: str, ca: trustme.CA, caller: str
) -> None:
    credentials = {
        "plaintext": None,
        "no certificate": client_credentials(ca),
        "certificate of another CA": client_credentials(ca, presented=trustme.CA()),
    }[caller]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await list_locations(stores, credentials)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_the_container_probe_checks_health_over_mutual_tls(
    stores: str, mutual: TLSSettings
) -> None:
    assert await asyncio.to_thread(check_grpc, stores, 3, mutual) is None
    plaintext = await asyncio.to_thread(check_grpc, stores, 3, TLSSettings.of({}))
    assert plaintext == "no answer (UNAVAILABLE)"


async def test_a_public_port_serves_tls_to_callers_without_a_certificate(
    mutual: TLSSettings, ca: trustme.CA
) -> None:
    settings = ServiceSettings(host="127.0.0.1", port=0, tls=mutual)
    service = build_server(settings, [], [], public=True)
    await service.start()
    target = f"127.0.0.1:{service.port}"
    request = health_pb2.HealthCheckRequest()
    try:
        async with channel(target, client_credentials(ca)) as opened:
            reply = await health_pb2_grpc.HealthStub(opened).Check(request, timeout=10)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        async with channel(target) as plaintext:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await health_pb2_grpc.HealthStub(plaintext).Check(request, timeout=10)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        await service.stop()
