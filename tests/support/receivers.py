"""Real receivers of what the notifications service sends, for service and end-to-end tests:
an SMTP server (aiosmtpd) and an SMS gateway speaking SMSEagle's JSON-RPC API over HTTP (what
apprise's ``smseagle://`` plugin posts to). Each runs in this process on a free loopback port
and collects what it received. Settings of the notifications service that point at them:

    async with smtp_receiver() as inbox, sms_receiver() as phone:
        NotificationsSettings(smtp_host=inbox.host, smtp_port=inbox.port, sms_url=phone.url)
        # or, for a process: {**inbox.env(), **phone.env()} (CC_NOTIFICATIONS_* variables)
        ...
        mail = await inbox.wait_for(1)     # EmailMessage list
        texts = await phone.wait_for(1)    # ReceivedSms list

``phone.answer_next(...)`` makes the gateway fail or refuse the next messages.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller

T = TypeVar("T")
SMS_TOKEN = "test-gateway-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _wait(found: Callable[[], list[T]], count: int, seconds: float) -> list[T]:
    for _ in range(int(seconds / 0.05)):
        if len(found()) >= count:
            break
        await asyncio.sleep(0.05)
    return list(found())


class SmtpReceiver:
    """What a real SMTP server received (messages, and each one's envelope recipients)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []
        self.reply = "250 Message accepted for delivery"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append(list(envelope.rcpt_tos))
        return self.reply

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    async def wait_for(self, count: int, seconds: float = 10) -> list[EmailMessage]:
        """The messages received, once there are ``count`` (or after ``seconds``)."""
        return await _wait(lambda: self.messages, count, seconds)

    def env(self) -> dict[str, str]:
        prefix = "CC_NOTIFICATIONS_SMTP_"
        return {prefix + "HOST": self.host, prefix + "PORT": str(self.port)}


@dataclass(frozen=True)
class ReceivedSms:
    to: str
    text: str
    message_id: int


class SmsReceiver:
    """An SMS gateway that speaks SMSEagle's API (``POST /jsonrpc/sms``, ``sms.send_sms``):
    it checks the access token, keeps each text and answers ``{"result": {"message_id": n,
    "status": "ok"}}``, or what ``answer_next`` says."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.messages: list[ReceivedSms] = []
        self.requests = 0
        self._ids = itertools.count(4700)
        self._scripted: list[tuple[int, object]] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The apprise URL of this gateway (the notifications service's ``sms_url``)."""
        return f"smseagle://{SMS_TOKEN}@{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        return {"CC_NOTIFICATIONS_SMS_URL": self.url}

    def answer_next(self, times: int = 1, status: int = 500, result: object = "busy") -> None:
        """The next ``times`` messages get this HTTP status and result and are not kept
        (500: down for now; 200 with ``{"status": "error", ...}``: refused)."""
        with self._lock:
            self._scripted.extend([(status, result)] * times)

    def to(self, phone: str) -> list[ReceivedSms]:
        return [m for m in self.messages if m.to == phone]

    async def wait_for(self, count: int, seconds: float = 10) -> list[ReceivedSms]:
        return await _wait(lambda: self.messages, count, seconds)

    def answer(self, payload: dict[str, Any]) -> tuple[int, object]:
        params = payload.get("params", {})
        with self._lock:
            self.requests += 1
            if payload.get("method") != "sms.send_sms" or params.get("access_token") != SMS_TOKEN:
                return 200, {"error_text": "Invalid login or password", "status": "error"}
            if self._scripted:
                return self._scripted.pop(0)
            message_id = next(self._ids)
            for number in str(params["to"]).split(","):
                self.messages.append(ReceivedSms(number, str(params["message"]), message_id))
        return 200, {"message_id": message_id, "status": "ok"}


def _handler(receiver: SmsReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status: int
            result: object
            if self.path != "/jsonrpc/sms":
                status, result = 404, "not found"
            else:
                status, result = receiver.answer(json.loads(body or b"{}"))
            data = json.dumps({"result": result}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@asynccontextmanager
async def smtp_receiver(port: int = 0) -> AsyncIterator[SmtpReceiver]:
    """A real SMTP server on loopback (``port`` 0: a free one)."""
    receiver = SmtpReceiver("127.0.0.1", port or free_port())
    controller = Controller(receiver, hostname=receiver.host, port=receiver.port)
    await asyncio.to_thread(controller.start)
    try:
        yield receiver
    finally:
        await asyncio.to_thread(controller.stop)


@asynccontextmanager
async def sms_receiver(port: int = 0) -> AsyncIterator[SmsReceiver]:
    """A real HTTP server on loopback speaking SMSEagle's API (``port`` 0: a free one)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
    receiver = SmsReceiver("127.0.0.1", int(server.server_address[1]))
    server.RequestHandlerClass = _handler(receiver)
    thread = threading.Thread(target=server.serve_forever, name="sms-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        await asyncio.to_thread(server.shutdown)
        server.server_close()


@pytest.fixture
async def smtp_inbox() -> AsyncIterator[SmtpReceiver]:
    """A real SMTP server for the test (import the fixture into a test module or conftest)."""
    async with smtp_receiver() as inbox:
        yield inbox


@pytest.fixture
async def sms_gateway() -> AsyncIterator[SmsReceiver]:
    """A real SMSEagle-speaking HTTP gateway for the test."""
    async with sms_receiver() as gateway:
        yield gateway
