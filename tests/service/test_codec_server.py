"""The codec server over real HTTP on loopback: it decodes and encodes for a caller showing the
access token (as a bearer token, as the `temporal` CLI sends it, or in the path, as the Temporal
UI's endpoint names it) and refuses everyone else without a word about the payloads; browsers
on the UI's origin may call it."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from google.protobuf import json_format
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload, Payloads

from services.codec.config import CodecServerSettings
from services.codec.server import build_server
from services.common.codec import CodecSettings
from tests.support.codec import encrypted, key_entry

TOKEN = "codec-test-token-0123456789abcdef"
UI = "http://127.0.0.1:8233"
EMAIL = b'"ada@example.com"'


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def payloads(self) -> list[Payload]:
        return list(json_format.Parse(self.body, Payloads()).payloads)


@dataclass
class Codec:
    port: int

    def call(self, method: str, path: str, body: bytes = b"", **headers: str) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            sent = {name.replace("_", "-"): value for name, value in headers.items()}
            connection.request(method, path, body=body or None, headers=sent)
            reply = connection.getresponse()
            answer = {name.lower(): value for name, value in reply.getheaders()}
            return Answer(reply.status, answer, reply.read())
        finally:
            connection.close()

    def post(self, path: str, payloads: list[Payload], **headers: str) -> Answer:
        body = json_format.MessageToJson(Payloads(payloads=payloads)).encode()
        return self.call("POST", path, body, content_type="application/json", **headers)


@pytest.fixture
def codec() -> Iterator[Codec]:
    settings = CodecServerSettings(
        host="127.0.0.1",
        port=0,
        access_token=SecretStr(TOKEN),
        allowed_origins=(UI,),
        codec=CodecSettings(keys=SecretStr(key_entry("k1", 1))),
    )
    server, port = build_server(settings)
    serving = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    serving.start()
    yield Codec(port)
    server.shutdown()
    server.server_close()


def plain(data: bytes = EMAIL) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


def test_an_authorized_caller_gets_encrypted_payloads_back_decrypted(codec: Codec) -> None:
    sealed = codec.post("/encode", [plain()], authorization=f"Bearer {TOKEN}")
    assert sealed.status == 200
    assert all(encrypted(p) for p in sealed.payloads()) and EMAIL not in sealed.body

    opened = codec.post("/decode", sealed.payloads(), authorization=f"Bearer {TOKEN}")
    assert opened.status == 200
    assert opened.payloads() == [plain()]


def test_the_token_may_name_the_path_as_the_temporal_ui_endpoint_does(codec: Codec) -> None:
    sealed = codec.post(f"/{TOKEN}/encode", [plain()]).payloads()
    assert codec.post(f"/{TOKEN}/decode", sealed).payloads() == [plain()]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/decode", {}),
        ("/decode", {"authorization": "Bearer wrong-token-0123456789abcdef0123"}),
        ("/decode", {"authorization": f"Basic {TOKEN}"}),
        ("/decode", {"authorization": f"Bearer {TOKEN[:-1]}"}),
        ("/wrong-token-0123456789abcdef0123/decode", {}),
        (f"/{TOKEN}x/decode", {}),
    ],
    ids=["none", "wrong", "not-bearer", "cut", "wrong-path", "longer-path"],
)
def test_anyone_else_is_refused_and_sees_no_payload(
    codec: Codec, path: str, headers: dict[str, str]
) -> None:
    sealed = codec.post("/encode", [plain()], authorization=f"Bearer {TOKEN}").payloads()
    refused = codec.post(path, sealed, **headers)
    assert refused.status == 401
    assert EMAIL not in refused.body and json.loads(refused.body) == {"error": "not authorized"}
    assert refused.headers["www-authenticate"].startswith("Bearer")


def test_encoding_needs_the_token_too(codec: Codec) -> None:
    assert codec.post("/encode", [plain()]).status == 401


def test_no_payloads_are_answered_with_none(codec: Codec) -> None:
    answer = codec.call("POST", "/decode", b'{"payloads":[]}', authorization=f"Bearer {TOKEN}")
    assert (answer.status, answer.payloads()) == (200, [])


def test_a_payload_that_was_never_encrypted_decodes_as_it_is(codec: Codec) -> None:
    opened = codec.post("/decode", [plain()], authorization=f"Bearer {TOKEN}")
    assert opened.payloads() == [plain()]


def test_a_tampered_payload_is_a_bad_request_naming_only_the_key(codec: Codec) -> None:
    [sealed] = codec.post("/encode", [plain()], authorization=f"Bearer {TOKEN}").payloads()
    sealed.data = sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])
    answer = codec.post("/decode", [sealed], authorization=f"Bearer {TOKEN}")
    assert answer.status == 400
    assert json.loads(answer.body) == {"error": "payload under key id 'k1' fails authentication"}


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"payloads": 3}',
        b'{"payloads":[{"metadata":"x"}]}',
        b"\xff\xfe",
        b"3",
        b"[1]",
        b'"payloads"',
        b"null",
    ],
)
def test_a_body_that_is_no_payloads_document_is_a_bad_request(codec: Codec, body: bytes) -> None:
    answer = codec.call("POST", "/decode", body, authorization=f"Bearer {TOKEN}")
    assert (answer.status, json.loads(answer.body)) == (400, {"error": "not a payloads document"})


def test_a_body_over_the_limit_is_refused_unread(codec: Codec) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", codec.port, timeout=10)
    connection.putrequest("POST", "/decode")
    connection.putheader("authorization", f"Bearer {TOKEN}")
    connection.putheader("content-length", str(64 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


def test_the_temporal_ui_origin_may_call_it_from_a_browser(codec: Codec) -> None:
    preflight = codec.call(
        "OPTIONS",
        f"/{TOKEN}/decode",
        origin=UI,
        access_control_request_method="POST",
        access_control_request_headers="content-type,x-namespace",
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == UI
    assert "x-namespace" in preflight.headers["access-control-allow-headers"]
    answer = codec.post(f"/{TOKEN}/decode", [plain()], origin=UI, x_namespace="default")
    assert answer.headers["access-control-allow-origin"] == UI


def test_another_origin_is_not_let_in(codec: Codec) -> None:
    other = "https://evil.example"
    preflight = codec.call("OPTIONS", "/decode", origin=other, access_control_request_method="POST")
    assert "access-control-allow-origin" not in preflight.headers
    answer = codec.post("/decode", [plain()], origin=other)
    assert answer.status == 401 and "access-control-allow-origin" not in answer.headers


def test_health_answers_without_a_token_and_other_paths_are_not_found(codec: Codec) -> None:
    assert codec.call("GET", "/health").status == 200
    assert codec.call("GET", f"/{TOKEN}/decode").status == 404
    assert codec.post("/decrypt", [plain()], authorization=f"Bearer {TOKEN}").status == 404


def test_without_a_long_enough_token_or_keys_it_does_not_start() -> None:
    keys = CodecSettings(keys=SecretStr(key_entry("k1", 1)))
    with pytest.raises(ValueError, match="access token"):
        build_server(CodecServerSettings(port=0, access_token=SecretStr("short"), codec=keys))
    with pytest.raises(ValueError, match="needs the keys"):
        build_server(CodecServerSettings(port=0, access_token=SecretStr(TOKEN)))


def test_payload_data_goes_as_protobuf_json(codec: Codec) -> None:
    """What the UI sends: metadata values and data in base64."""
    body = json.dumps(
        {"payloads": [{"metadata": {"encoding": "anNvbi9wbGFpbg=="}, "data": "InhJIg=="}]}
    ).encode()
    answer = codec.call("POST", "/decode", body, authorization=f"Bearer {TOKEN}")
    assert json.loads(answer.body) == json.loads(body)
