"""The edge's configuration, as its settings make it: every checkout method has a JSON path, the
transcoder can render every error detail the gateway sends, browsers reach the public services
only, and CORS lets in exactly the configured origins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from google.api import annotations_pb2
from google.protobuf import descriptor_pb2
from pydantic import ValidationError

from clickcollect.gateway.v1 import checkout_pb2
from deploy.local.stack_config import ROOT
from services.edge.bootstrap import bootstrap
from services.edge.config import EdgeSettings
from services.edge.routes import PUBLIC_SERVICES
from tests.support.gateway import PUBLIC_METHODS

CHECKOUT = checkout_pb2.DESCRIPTOR.services_by_name["CheckoutService"]


def settings(**values: Any) -> EdgeSettings:
    return EdgeSettings(**values)


def routes(config: dict[str, Any]) -> list[dict[str, Any]]:
    listener = config["static_resources"]["listeners"][0]
    manager = listener["filter_chains"][0]["filters"][0]["typed_config"]
    return list(manager["route_config"]["virtual_hosts"][0]["routes"])


def cors_origins(config: dict[str, Any]) -> list[str]:
    listener = config["static_resources"]["listeners"][0]
    manager = listener["filter_chains"][0]["filters"][0]["typed_config"]
    host = manager["route_config"]["virtual_hosts"][0]
    policy = host["typed_per_filter_config"]["envoy.filters.http.cors"]
    return [match["exact"] for match in policy["allow_origin_string_match"]]


@pytest.mark.parametrize("method", list(CHECKOUT.methods), ids=lambda m: m.name)
def test_every_checkout_method_has_a_json_path(method: Any) -> None:
    rule = method.GetOptions().Extensions[annotations_pb2.http]
    assert rule.WhichOneof("pattern") is not None
    pattern = getattr(rule, rule.WhichOneof("pattern"))
    assert pattern.startswith("/v1/")
    if rule.WhichOneof("pattern") in ("post", "patch"):
        assert rule.body == "*"


def test_the_descriptor_set_carries_the_error_details_the_gateway_sends() -> None:
    found = descriptor_pb2.FileDescriptorSet.FromString(
        (ROOT / "gen" / "clickcollect.pb").read_bytes()
    )
    messages = {f"{file.package}.{m.name}" for file in found.file for m in file.message_type}
    assert {"google.rpc.Status", "google.rpc.ErrorInfo", "google.rpc.BadRequest"} <= messages
    assert f"{CHECKOUT.full_name}" in {
        f"{file.package}.{s.name}" for file in found.file for s in file.service
    }


def test_browsers_reach_the_public_services_and_nothing_else_of_the_gateway() -> None:
    public = {method.containing_service.full_name for method in PUBLIC_METHODS}
    assert set(PUBLIC_SERVICES) == public
    to_gateway = [r["match"]["prefix"] for r in routes(bootstrap(settings())) if "route" in r]
    assert sorted(to_gateway) == sorted(f"/{service}/" for service in public)


def test_cors_lets_in_the_configured_origins() -> None:
    config = bootstrap(settings(allowed_origins="https://a.example, http://localhost:5173"))
    assert cors_origins(config) == ["https://a.example", "http://localhost:5173"]


def test_cors_defaults_to_the_edges_own_origin() -> None:
    assert cors_origins(bootstrap(settings(port=9000))) == [
        "http://localhost:9000",
        "http://127.0.0.1:9000",
    ]


@pytest.mark.parametrize("origin", ["*", "https://a.example/path", "a.example", "null"])
def test_anything_but_an_origin_is_refused_as_a_setting(origin: str) -> None:
    with pytest.raises(ValidationError):
        settings(allowed_origins=origin)


def test_an_app_not_built_gets_a_page_saying_so(tmp_path: Path) -> None:
    pages = [r for r in routes(bootstrap(settings(static_dir=tmp_path))) if "path" in r["match"]]
    assert [page["match"]["path"] for page in pages] == ["/", "/index.html"]
    assert "not built" in pages[0]["direct_response"]["body"]["inline_string"]


def test_a_built_app_answers_each_file_with_its_content_type(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app 1.js").write_text("x" * 10_000)
    (tmp_path / ".env").write_text("SECRET=1")
    config = bootstrap(settings(static_dir=tmp_path))
    served = {
        r["match"]["path"]: (r["direct_response"]["body"]["filename"], _content_type(r))
        for r in routes(config)
        if "path" in r["match"]
    }
    index = str((tmp_path / "index.html").resolve())
    assert served == {
        "/": (index, "text/html; charset=utf-8"),
        "/index.html": (index, "text/html; charset=utf-8"),
        "/assets/app%201.js": (
            str((tmp_path / "assets" / "app 1.js").resolve()),
            "text/javascript; charset=utf-8",
        ),
    }
    listener = config["static_resources"]["listeners"][0]
    manager = listener["filter_chains"][0]["filters"][0]["typed_config"]
    assert manager["route_config"]["max_direct_response_body_size_bytes"] == 10_000


def _content_type(route: dict[str, Any]) -> str:
    headers = {h["header"]["key"]: h["header"]["value"] for h in route["response_headers_to_add"]}
    return headers["content-type"]


def test_the_admin_interface_listens_on_loopback_only_when_asked() -> None:
    assert "admin" not in bootstrap(settings(metrics_port=0))
    admin = bootstrap(settings(admin_port=9901, metrics_port=0))["admin"]
    assert admin["address"]["socket_address"] == {"address": "127.0.0.1", "port_value": 9901}


def test_metrics_come_from_the_admin_interface_on_a_socket_only_envoy_opens() -> None:
    config = bootstrap(settings(metrics_port=9452))
    pipe = config["admin"]["address"]["pipe"]
    assert pipe["path"].endswith("admin.sock") and pipe["mode"] == 0o600
    [metrics] = [x for x in config["static_resources"]["listeners"] if x["name"] == "metrics"]
    manager = metrics["filter_chains"][0]["filters"][0]["typed_config"]
    [host] = manager["route_config"]["virtual_hosts"]
    scrape, other = host["routes"]
    assert scrape["match"]["path"] == "/metrics"
    assert scrape["route"]["prefix_rewrite"] == "/stats/prometheus"
    assert other == {"match": {"prefix": "/"}, "direct_response": {"status": 404}}
    assert "metrics" not in str(bootstrap(settings(metrics_port=0))["static_resources"])
