"""A caller of the edge (Envoy) as a web shop or a browser is: JSON over HTTP/1.1, and gRPC-Web
frames built by hand (a length-prefixed message, then a trailer frame)."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import struct
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf.message import Message

from deploy.local.health import wait_until_serving
from deploy.local.stack_config import ROOT, free_port

TRAILER_FLAG = 0x80
GRPC_WEB = "application/grpc-web+proto"


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class GrpcWebAnswer:
    """What a gRPC-Web client reads: the HTTP status, the messages, the gRPC status (from the
    trailer frame, or from the headers of a trailers-only answer)."""

    http_status: int
    headers: dict[str, str]
    messages: list[bytes]
    trailers: dict[str, str] = field(default_factory=dict)

    @property
    def grpc_status(self) -> int:
        return int(self.trailers["grpc-status"])


async def http(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
) -> HttpAnswer:
    """One HTTP/1.1 request (`tls`: what an https URL's certificate is checked with); a dict or
    list body is sent as JSON, bytes as they are."""
    sent = dict(headers or {})
    data: bytes | None = None
    if isinstance(body, bytes):
        data = body
    elif body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("content-type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    return await asyncio.to_thread(_send, request, tls)


def _send(request: urllib.request.Request, tls: ssl.SSLContext | None = None) -> HttpAnswer:
    try:
        with urllib.request.urlopen(request, timeout=60, context=tls) as response:
            return HttpAnswer(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, _lower(error.headers.items()), error.read())


def _lower(items: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def bearer_header(signed: str) -> dict[str, str]:
    return {"authorization": f"Bearer {signed}"}


async def grpc_web_call(
    base_url: str, method: str, request: Message, headers: dict[str, str] | None = None
) -> GrpcWebAnswer:
    """A unary call as a browser's gRPC-Web client makes it, e.g. method
    "clickcollect.gateway.v1.StoreOpsService/ListStoreOrders"."""
    payload = request.SerializeToString()
    sent = {"content-type": GRPC_WEB, "x-grpc-web": "1", **(headers or {})}
    answer = await http("POST", f"{base_url}/{method}", frame(payload), sent)
    messages, trailers = unframe(answer.body)
    if "grpc-status" not in trailers and "grpc-status" in answer.headers:
        trailers = {k: v for k, v in answer.headers.items() if k.startswith("grpc-")}
    return GrpcWebAnswer(answer.status, answer.headers, messages, trailers)


def frame(payload: bytes, flags: int = 0) -> bytes:
    return struct.pack(">BI", flags, len(payload)) + payload


def unframe(body: bytes) -> tuple[list[bytes], dict[str, str]]:
    messages: list[bytes] = []
    trailers: dict[str, str] = {}
    offset = 0
    while offset + 5 <= len(body):
        flags, length = struct.unpack(">BI", body[offset : offset + 5])
        chunk = body[offset + 5 : offset + 5 + length]
        offset += 5 + length
        if flags & TRAILER_FLAG:
            for line in chunk.decode().split("\r\n"):
                name, colon, value = line.partition(":")
                if colon:
                    trailers[name.strip().lower()] = value.strip()
        else:
            messages.append(chunk)
    return messages, trailers


@asynccontextmanager
async def standalone_edge(
    folder: Path,
    static_dir: Path,
    settings: dict[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[str]:
    """An edge of its own serving static_dir (its gateway address leads nowhere), started as
    the stack starts it, with more `settings` (HTTPS: its certificate, and `tls` to check it);
    yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "CC_EDGE_PORT": str(port),
        "CC_EDGE_STATIC_DIR": str(static_dir),
        "CC_EDGE_CONFIG_PATH": str(folder / "envoy.yaml"),
        "CC_EDGE_GATEWAY_TARGET": f"127.0.0.1:{free_port()}",
        "CC_EDGE_METRICS_PORT": "0",
        **(settings or {}),
    }
    argv = [sys.executable, "-m", "deploy.local.guard", sys.executable, "-m", "services.edge"]
    log = open(folder / "edge.log", "wb")  # noqa: SIM115, ASYNC230
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=ROOT, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
    )

    def check_alive() -> None:
        if process.returncode is not None:
            raise RuntimeError(f"edge exited with {process.returncode}: {folder / 'edge.log'}")

    try:
        await wait_until_serving(port, check_alive, timeout=30, tls=tls)
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()
        log.close()
