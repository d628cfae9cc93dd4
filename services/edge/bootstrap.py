"""The Envoy configuration of the edge, built from EdgeSettings: one HTTP listener, the gateway
as an HTTP/2 upstream, a JSON access log on stdout and the admin interface (loopback only)."""

from __future__ import annotations

import ipaddress
from typing import Any

import yaml

from services.edge.config import EdgeSettings
from services.edge.filters import http_filters
from services.edge.metrics import HCM_TYPE, admin_address, admin_cluster, metrics_listener
from services.edge.refusals import json_api_refusals
from services.edge.routes import GATEWAY_CLUSTER, route_config

HTTP_OPTIONS_TYPE = "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
TLS_TYPES = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3"
UPSTREAM_TLS_TYPE = f"{TLS_TYPES}.UpstreamTlsContext"
DOWNSTREAM_TLS_TYPE = f"{TLS_TYPES}.DownstreamTlsContext"
STDOUT_LOG_TYPE = "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog"
CONNECTIONS_TYPE = (
    "type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3"
    ".DownstreamConnectionsConfig"
)
MAX_CONNECTIONS = 10_000
# One line per request, named like the services' log lines; never a header's secret.
ACCESS_LOG_FIELDS = {
    "timestamp": "%START_TIME(%Y-%m-%dT%H:%M:%S.%3fZ)%",
    "level": "info",
    "service": "edge",
    "event": "request_handled",
    "method": "%REQ(:METHOD)%",
    "path": "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
    "route": "%REQ(:PATH)%",
    "protocol": "%PROTOCOL%",
    "status": "%RESPONSE_CODE%",
    "grpc_status": "%GRPC_STATUS_NUMBER%",
    "details": "%RESPONSE_CODE_DETAILS%",
    "flags": "%RESPONSE_FLAGS%",
    "bytes_received": "%BYTES_RECEIVED%",
    "bytes_sent": "%BYTES_SENT%",
    "duration_ms": "%DURATION%",
    "upstream": "%UPSTREAM_HOST%",
    "client": "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
    "origin": "%REQ(ORIGIN)%",
    "user_agent": "%REQ(USER-AGENT)%",
    "request_id": "%REQ(X-REQUEST-ID)%",
}
# Envoy's own lines, in the same shape.
APPLICATION_LOG_FIELDS = {
    "timestamp": "%Y-%m-%dT%T.%eZ",
    "level": "%l",
    "service": "edge",
    "logger": "%n",
    "event": "%j",
}


class _Dumper(yaml.SafeDumper):
    """Text of several lines (the placeholder page) as a block, as a person would write it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render(settings: EdgeSettings) -> str:
    return yaml.dump(bootstrap(settings), Dumper=_Dumper, sort_keys=False, width=100)


def bootstrap(settings: EdgeSettings) -> dict[str, Any]:
    listeners, clusters = [_listener(settings)], [_gateway(settings)]
    if settings.metrics_port:
        listeners.append(metrics_listener(settings))
        clusters.append(admin_cluster(settings))
    config: dict[str, Any] = {
        "node": {"id": "edge", "cluster": "clickcollect-edge"},
        "application_log_config": {"log_format": {"json_format": APPLICATION_LOG_FIELDS}},
        "static_resources": {"listeners": listeners, "clusters": clusters},
        "overload_manager": _connection_limit(),
    }
    admin = admin_address(settings)
    if admin is not None:
        config["admin"] = {"address": admin}
    return config


def _listener(settings: EdgeSettings) -> dict[str, Any]:
    manager = {
        "@type": HCM_TYPE,
        "stat_prefix": "edge",
        "codec_type": "AUTO",
        # The edge of the network: the client's address is the peer's, x-envoy-* headers from
        # outside are not trusted.
        "use_remote_address": True,
        "normalize_path": True,
        "merge_slashes": True,
        "path_with_escaped_slashes_action": "REJECT_REQUEST",
        "common_http_protocol_options": {
            "headers_with_underscores_action": "REJECT_REQUEST",
            "idle_timeout": "300s",
        },
        "request_headers_timeout": "10s",
        "stream_idle_timeout": "300s",
        "access_log": [
            {
                "name": "envoy.access_loggers.stdout",
                "typed_config": {
                    "@type": STDOUT_LOG_TYPE,
                    "log_format": {"json_format": ACCESS_LOG_FIELDS},
                },
            }
        ],
        "route_config": route_config(settings),
        "http_filters": http_filters(settings),
        "local_reply_config": json_api_refusals(),
    }
    chain: dict[str, Any] = {
        "filters": [
            {"name": "envoy.filters.network.http_connection_manager", "typed_config": manager}
        ]
    }
    if settings.cert_file is not None:
        chain["transport_socket"] = _https(settings)
    return {
        "name": "edge",
        "address": _address(settings.host, settings.port),
        "filter_chains": [chain],
    }


def _https(settings: EdgeSettings) -> dict[str, Any]:
    """The edge's own certificate for browsers (CC_EDGE_CERT_FILE); HTTP/2 or HTTP/1.1."""
    context = {
        "@type": DOWNSTREAM_TLS_TYPE,
        "common_tls_context": {
            "alpn_protocols": ["h2", "http/1.1"],
            "tls_certificates": [
                {
                    "certificate_chain": {"filename": str(settings.cert_file)},
                    "private_key": {"filename": str(settings.key_file)},
                }
            ],
        },
    }
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}


def _gateway(settings: EdgeSettings) -> dict[str, Any]:
    """The gateway over HTTP/2, health-checked (grpc.health.v1); a name is resolved again
    every few seconds, so every address behind it (a headless Service) takes requests."""
    host, _, port = settings.gateway_target.rpartition(":")
    resolved: dict[str, Any] = {"type": "STATIC"}
    if not _is_ip(host):
        resolved = {"type": "STRICT_DNS", "dns_refresh_rate": "5s"}
    cluster: dict[str, Any] = {
        "name": GATEWAY_CLUSTER,
        **resolved,
        "connect_timeout": "2s",
        "lb_policy": "ROUND_ROBIN",
        "load_assignment": {
            "cluster_name": GATEWAY_CLUSTER,
            "endpoints": [{"lb_endpoints": [{"endpoint": {"address": _address(host, int(port))}}]}],
        },
        "typed_extension_protocol_options": {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": HTTP_OPTIONS_TYPE,
                "explicit_http_config": {"http2_protocol_options": {}},
            }
        },
        "health_checks": [
            {
                "timeout": "2s",
                "interval": "5s",
                "unhealthy_threshold": 2,
                "healthy_threshold": 1,
                "grpc_health_check": {},
            }
        ],
    }
    if settings.tls.on:
        cluster["transport_socket"] = _gateway_tls(settings, host)
    return cluster


def _gateway_tls(settings: EdgeSettings, host: str) -> dict[str, Any]:
    """TLS to the gateway (CC_TLS_*): its certificate checked against the CA and the host
    dialled; the edge's own certificate presented, as every caller of our services does."""
    tls = settings.tls
    name_kind = "IP_ADDRESS" if _is_ip(host) else "DNS"
    context: dict[str, Any] = {
        "@type": UPSTREAM_TLS_TYPE,
        "common_tls_context": {
            "alpn_protocols": ["h2"],
            "tls_certificates": [
                {
                    "certificate_chain": {"filename": str(tls.cert_file)},
                    "private_key": {"filename": str(tls.key_file)},
                }
            ],
            "validation_context": {
                "trusted_ca": {"filename": str(tls.ca_file)},
                "match_typed_subject_alt_names": [
                    {"san_type": name_kind, "matcher": {"exact": host}}
                ],
            },
        },
    }
    if name_kind == "DNS":
        context["sni"] = host
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}


def _connection_limit() -> dict[str, Any]:
    return {
        "resource_monitors": [
            {
                "name": "envoy.resource_monitors.global_downstream_max_connections",
                "typed_config": {
                    "@type": CONNECTIONS_TYPE,
                    "max_active_downstream_connections": MAX_CONNECTIONS,
                },
            }
        ]
    }


def _address(host: str, port: int) -> dict[str, Any]:
    return {"socket_address": {"address": host, "port_value": port}}


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
