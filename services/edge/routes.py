"""Where each request goes: gRPC (from gRPC-Web, or transcoded from JSON) to the gateway's public
services, a read of one of the store app's files to that file, and nothing else anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.edge.config import EdgeSettings
from services.edge.static import CONTENT_TYPES, INDEX, app_files, app_is_built, placeholder_page

GATEWAY_CLUSTER = "gateway"
# What browsers may call (gRPC-Web); the JSON paths of CheckoutService lead to it too.
PUBLIC_SERVICES = (
    "clickcollect.gateway.v1.CheckoutService",
    "clickcollect.gateway.v1.StoreOpsService",
    "clickcollect.gateway.v1.OpsService",
)
JSON_API_PREFIX = "/v1/"
CORS = "envoy.filters.http.cors"
TRANSCODER = "envoy.filters.http.grpc_json_transcoder"
FILTER_CONFIG_TYPE = "type.googleapis.com/envoy.config.route.v3.FilterConfig"
CORS_POLICY_TYPE = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"
# gRPC-Web clients send these; the JSON API takes authorization and content-type.
ALLOWED_HEADERS = (
    "authorization,content-type,x-grpc-web,x-user-agent,grpc-timeout,"
    "x-accept-content-transfer-encoding,x-accept-response-streaming"
)
# A browser script may read a gRPC answer's status and its details (ErrorInfo, BadRequest).
EXPOSED_HEADERS = "grpc-status,grpc-message,grpc-status-details-bin"
PREFLIGHT_CACHE_SECONDS = 86400
# What Envoy lets a direct answer carry unless told more.
DIRECT_ANSWER_DEFAULT_BYTES = 4096
# The store app's files answer reads only.
READS_ONLY = {"name": ":method", "string_match": {"safe_regex": {"regex": "GET|HEAD"}}}


def route_config(settings: EdgeSettings) -> dict[str, Any]:
    static_dir = settings.static_dir.resolve()
    return {
        "name": "edge",
        "max_direct_response_body_size_bytes": largest_answer(static_dir),
        "virtual_hosts": [
            {
                "name": "edge",
                "domains": ["*"],
                "typed_per_filter_config": {CORS: cors_policy(settings)},
                "routes": [
                    *(_grpc_route(service, settings) for service in PUBLIC_SERVICES),
                    _json_api_route(),
                    *_static_routes(static_dir),
                ],
            }
        ],
    }


def cors_policy(settings: EdgeSettings) -> dict[str, Any]:
    return {
        "@type": CORS_POLICY_TYPE,
        "allow_origin_string_match": [{"exact": origin} for origin in settings.origins()],
        "allow_methods": "GET,POST,PATCH,OPTIONS",
        "allow_headers": ALLOWED_HEADERS,
        "expose_headers": EXPOSED_HEADERS,
        "max_age": str(PREFLIGHT_CACHE_SECONDS),
        "allow_credentials": False,
    }


def largest_answer(static_dir: Path) -> int:
    """What the route table's direct answers must be allowed to carry: the largest file."""
    return max([DIRECT_ANSWER_DEFAULT_BYTES, *(f.size for f in app_files(static_dir))])


def _grpc_route(service: str, settings: EdgeSettings) -> dict[str, Any]:
    timeout = f"{settings.upstream_timeout_seconds:g}s"
    return {
        "match": {"prefix": f"/{service}/"},
        "route": {
            "cluster": GATEWAY_CLUSTER,
            "timeout": timeout,
            # A gRPC-Web client's grpc-timeout is honoured, up to the same bound.
            "max_stream_duration": {"grpc_timeout_header_max": timeout},
        },
    }


def _json_api_route() -> dict[str, Any]:
    """JSON requests are turned into gRPC before routing (and routed as such); what reaches
    this route is a gRPC request to a JSON path."""
    return {
        "match": {"prefix": JSON_API_PREFIX},
        "direct_response": {"status": 404, "body": {"inline_string": "no such method\n"}},
    }


def _static_routes(static_dir: Path) -> list[dict[str, Any]]:
    """One route per file of the built app (GET and HEAD), its body read when Envoy starts;
    while the app has no index.html, "/" answers a page saying so. Anything else: 404."""
    routes = [
        _answer(f.path, {"filename": str(f.file)}, f.content_type) for f in app_files(static_dir)
    ]
    if not app_is_built(static_dir):
        page = {"inline_string": placeholder_page(static_dir)}
        routes += [_answer(path, page, CONTENT_TYPES["html"]) for path in ("/", f"/{INDEX}")]
    nothing = {"inline_string": "not found\n"}
    return [*routes, _answer("/", nothing, CONTENT_TYPES["txt"], status=404, prefix=True)]


def _answer(
    path: str, body: dict[str, str], content_type: str, status: int = 200, prefix: bool = False
) -> dict[str, Any]:
    match: dict[str, Any] = {"prefix": path} if prefix else {"path": path, "headers": [READS_ONLY]}
    return {
        "match": match,
        "direct_response": {"status": status, "body": body},
        "response_headers_to_add": [
            _header("content-type", content_type),
            _header("x-content-type-options", "nosniff"),
        ],
        # Not a JSON path: the transcoder (which refuses unknown paths) stays out of it.
        "typed_per_filter_config": {TRANSCODER: {"@type": FILTER_CONFIG_TYPE, "disabled": True}},
    }


def _header(name: str, value: str) -> dict[str, Any]:
    return {
        "header": {"key": name, "value": value},
        "append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
    }
