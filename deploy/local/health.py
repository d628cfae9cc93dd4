"""Waiting for the embedded stack's servers: a gRPC server until its health check answers
SERVING, an HTTP server (the edge, the codec server) until its health path answers 200."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.edge.filters import HEALTH_PATH


async def wait_healthy(
    target: str,
    check_alive: Callable[[], None],
    timeout: float = 60,
    credentials: grpc.ChannelCredentials | None = None,
) -> None:
    """Until the gRPC server at `target` answers its health check SERVING (dialled over TLS
    with `credentials`); `check_alive` raises when the process meant to serve it has exited."""
    async with asyncio.timeout(timeout), _dial(target, credentials) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            check_alive()
            try:
                reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=2)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.aio.AioRpcError:
                pass
            await asyncio.sleep(0.2)


def _dial(target: str, credentials: grpc.ChannelCredentials | None) -> grpc.aio.Channel:
    if credentials is None:
        return grpc.aio.insecure_channel(target)
    return grpc.aio.secure_channel(target, credentials)


async def wait_until_serving(
    port: int,
    check_alive: Callable[[], None],
    timeout: float = 60,
    path: str = HEALTH_PATH,
    tls: ssl.SSLContext | None = None,
) -> None:
    """Until the edge (or another HTTP server of the stack) answers its health path with 200
    (Envoy listens once its clusters are up; over HTTPS with `tls`); check_alive raises when a
    process of the stack has exited."""
    async with asyncio.timeout(timeout):
        while True:
            check_alive()
            if await _answers_ok(port, path, tls):
                return
            await asyncio.sleep(0.1)


async def _answers_ok(port: int, path: str, tls: ssl.SSLContext | None) -> bool:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls)
    except OSError:
        return False
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        status_line = await reader.readline()
        return status_line.split(b" ")[1:2] == [b"200"]
    except OSError:
        return False
    finally:
        writer.close()
