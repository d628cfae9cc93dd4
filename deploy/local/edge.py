"""The edge (Envoy) in the embedded stack: its settings, and when it serves."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from pathlib import Path

from services.edge.filters import HEALTH_PATH


def edge_environment(port: int, gateway_target: str, var_dir: Path) -> dict[str, str]:
    return {
        "CC_EDGE_PORT": str(port),
        "CC_EDGE_GATEWAY_TARGET": gateway_target,
        "CC_EDGE_CONFIG_PATH": str(var_dir / "edge" / "envoy.yaml"),
    }


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
