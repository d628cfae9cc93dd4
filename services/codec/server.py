"""The codec server: Temporal's remote codec protocol over HTTP, so that the Temporal UI and the
`temporal` CLI show workflow payloads decrypted to those allowed to see them.

POST /decode and POST /encode take and answer ``{"payloads": [...]}`` (payloads in protobuf's
JSON form). A caller shows the access token as ``Authorization: Bearer <token>`` or as the first
path segment (``/<token>/decode``: the Temporal UI without a sign-in of its own sends no header);
anyone else is answered 401 and learns nothing. Browsers on the Temporal UI's origins may call it
(CORS). GET /health answers 200 with nothing secret. One log line per request, never the path
(it may hold the token) nor a payload."""

from __future__ import annotations

import hmac
import json
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import structlog
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from services.codec.config import CodecServerSettings
from services.common.codec import CodecError, EncryptionCodec, codec_for

log = structlog.get_logger("codec")
OPERATIONS = ("encode", "decode")
HEALTH_PATH = "/health"
ALLOWED_HEADERS = "authorization, content-type, x-namespace"


class CodecServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, settings: CodecServerSettings, codec: EncryptionCodec) -> None:
        self.codec = codec
        self.token = settings.token().encode()
        self.origins = frozenset(settings.allowed_origins)
        self.max_request_bytes = settings.max_request_bytes
        super().__init__((settings.host, settings.port), CodecHandler)

    def authorized(self, presented: str) -> bool:
        return hmac.compare_digest(presented.encode(), self.token)


class CodecHandler(BaseHTTPRequestHandler):
    server: CodecServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle kept-alive connection holds its thread
    server_version = "codec"
    sys_version = ""

    def do_OPTIONS(self) -> None:  # a browser's preflight: no credentials are sent with it
        self._reply(HTTPStatus.NO_CONTENT, None, preflight=True)

    def do_GET(self) -> None:
        if self.path == HEALTH_PATH:
            self._reply(HTTPStatus.OK, {"status": "SERVING"})
        else:
            self._reply(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self) -> None:
        started = time.perf_counter()
        operation, status, answer, count = self._answer()
        self._reply(status, answer)
        log.info(
            "codec_request_served",
            operation=operation,
            status=int(status),
            payloads=count,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _answer(self) -> tuple[str, HTTPStatus, dict[str, Any], int]:
        route = self._route()
        if route is None:
            return "", HTTPStatus.NOT_FOUND, {"error": "not found"}, 0
        operation, presented = route
        body = self._body()  # read before answering: an unread body would reset the connection
        if isinstance(body, HTTPStatus):
            return operation, body, {"error": body.phrase.lower()}, 0
        if not self.server.authorized(presented):
            return operation, HTTPStatus.UNAUTHORIZED, {"error": "not authorized"}, 0
        payloads = _payloads(body)
        if payloads is None:
            return operation, HTTPStatus.BAD_REQUEST, {"error": "not a payloads document"}, 0
        code = self.server.codec.encrypt if operation == "encode" else self.server.codec.decrypt
        try:
            done = Payloads(payloads=[code(payload) for payload in payloads.payloads])
        except CodecError as error:
            return operation, HTTPStatus.BAD_REQUEST, {"error": str(error)}, 0
        return operation, HTTPStatus.OK, json_format.MessageToDict(done), len(done.payloads)

    def _route(self) -> tuple[str, str] | None:
        """(operation, the token the caller presented), or None for any other path."""
        parts = [part for part in self.path.split("?", 1)[0].split("/") if part]
        if len(parts) == 2 and parts[1] in OPERATIONS:
            return parts[1], parts[0]
        if len(parts) == 1 and parts[0] in OPERATIONS:
            scheme, _, presented = self.headers.get("authorization", "").partition(" ")
            return parts[0], presented.strip() if scheme.lower() == "bearer" else ""
        return None

    def _body(self) -> bytes | HTTPStatus:
        length = self.headers.get("content-length", "")
        if not length.isdigit():
            return HTTPStatus.LENGTH_REQUIRED
        if int(length) > self.server.max_request_bytes:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        return self.rfile.read(int(length))

    def _reply(
        self, status: HTTPStatus, answer: dict[str, Any] | None, preflight: bool = False
    ) -> None:
        body = b"" if answer is None else json.dumps(answer, separators=(",", ":")).encode()
        self.send_response(status)
        origin = self.headers.get("origin", "")
        if origin in self.server.origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Credentials", "true")
            if preflight:
                self.send_header("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Vary", "Origin")
        if status == HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", 'Bearer realm="codec"')
        if body:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if status in (HTTPStatus.LENGTH_REQUIRED, HTTPStatus.REQUEST_ENTITY_TOO_LARGE):
            self.send_header("Connection", "close")  # the body was not read
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """http.server's own line would hold the path (and so maybe the token): none."""


def _payloads(body: bytes) -> Payloads | None:
    """The payloads of a ``{"payloads": [...]}`` document; None for anything else."""
    try:
        document = json.loads(body)
        if not isinstance(document, dict):
            return None
        return json_format.ParseDict(document, Payloads(), ignore_unknown_fields=True)
    except (json_format.ParseError, ValueError, TypeError):  # bad JSON, UTF-8 or shape
        return None


def build_server(settings: CodecServerSettings) -> tuple[CodecServer, int]:
    """The server bound to the settings' address (port 0: a free one) and its port."""
    codec = codec_for(settings.codec)
    if codec is None:
        raise CodecError("the codec server needs the keys (CC_TEMPORAL_CODEC_KEYS or _KEYS_FILE)")
    server = CodecServer(settings, codec)
    return server, int(server.server_address[1])
