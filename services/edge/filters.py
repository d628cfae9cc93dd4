"""The HTTP filters every request passes, in order: health answer, CORS, size limit, JSON field
names, gRPC-Web, JSON transcoding, routing."""

from __future__ import annotations

from typing import Any

from services.edge.config import EdgeSettings
from services.edge.json_fields import lua_filter_code
from services.edge.routes import CORS, TRANSCODER

HEALTH_PATH = "/healthz"
CHECKOUT_SERVICE = "clickcollect.gateway.v1.CheckoutService"
HTTP_FILTERS = "type.googleapis.com/envoy.extensions.filters.http"


def http_filters(settings: EdgeSettings) -> list[dict[str, Any]]:
    return [
        _filter("envoy.filters.http.health_check", "health_check.v3.HealthCheck", _health()),
        _filter(CORS, "cors.v3.Cors", {}),
        _filter(
            "envoy.filters.http.buffer",
            "buffer.v3.Buffer",
            {"max_request_bytes": settings.max_request_bytes},
        ),
        _filter("envoy.filters.http.lua", "lua.v3.Lua", _json_field_check(settings)),
        _filter("envoy.filters.http.grpc_web", "grpc_web.v3.GrpcWeb", {}),
        _filter(TRANSCODER, "grpc_json_transcoder.v3.GrpcJsonTranscoder", _transcoder(settings)),
        # No x-envoy-* headers in answers: nothing of the inside leaks to callers.
        _filter("envoy.filters.http.router", "router.v3.Router", {"suppress_envoy_headers": True}),
    ]


def _filter(name: str, message: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "typed_config": {"@type": f"{HTTP_FILTERS}.{message}", **config}}


def _health() -> dict[str, Any]:
    """GET /healthz: 200 while Envoy serves (503 once it drains): readiness for the stack and
    for Kubernetes."""
    return {
        "pass_through_mode": False,
        "headers": [{"name": ":path", "string_match": {"exact": HEALTH_PATH}}],
    }


def _json_field_check(settings: EdgeSettings) -> dict[str, Any]:
    """A JSON body naming a field its message does not have: 400 naming it (the transcoder
    would drop it)."""
    code = lua_filter_code(settings.descriptor_set, [CHECKOUT_SERVICE])
    return {"default_source_code": {"inline_string": code}}


def _transcoder(settings: EdgeSettings) -> dict[str, Any]:
    """JSON over HTTP for the checkout API, by its google.api.http rules: only those paths,
    only the fields and query parameters the request messages have; answers with the proto
    field names; a refusal's google.rpc.Status (with ErrorInfo and BadRequest) as the body."""
    return {
        "proto_descriptor": str(settings.descriptor_set.resolve()),
        "services": [CHECKOUT_SERVICE],
        "print_options": {
            "preserve_proto_field_names": True,
            "always_print_primitive_fields": True,
        },
        "convert_grpc_status": True,
        "request_validation_options": {
            "reject_unknown_method": True,
            "reject_unknown_query_parameters": True,
            "reject_binding_body_field_collisions": True,
        },
    }
