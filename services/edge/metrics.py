"""Envoy's own statistics as Prometheus metrics (requests by response code, upstream errors and
retries, connections, the gateway cluster's health): a listener of their own on the edge's
metrics port answers GET /metrics with the admin interface's /stats/prometheus, and nothing
else of the admin interface, which stays on 127.0.0.1 or on a Unix socket beside the
configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.edge.config import EdgeSettings
from services.edge.filters import HTTP_FILTERS

ADMIN_CLUSTER = "envoy_admin"
METRICS_PATH = "/metrics"
HCM_TYPE = (
    "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
    ".HttpConnectionManager"
)


def admin_socket(settings: EdgeSettings) -> Path:
    return settings.config_path.parent / "admin.sock"


def admin_address(settings: EdgeSettings) -> dict[str, Any] | None:
    """Where the admin interface listens: the admin port on 127.0.0.1 when one is set, else a
    Unix socket (only the edge's own user opens it) when metrics are served; else nowhere."""
    if settings.admin_port:
        return {"socket_address": {"address": "127.0.0.1", "port_value": settings.admin_port}}
    if settings.metrics_port:
        return {"pipe": {"path": str(admin_socket(settings).resolve()), "mode": 0o600}}
    return None


def metrics_listener(settings: EdgeSettings) -> dict[str, Any]:
    address = {"socket_address": {"address": settings.host, "port_value": settings.metrics_port}}
    manager = {
        "@type": HCM_TYPE,
        "stat_prefix": "metrics",
        "codec_type": "AUTO",
        "route_config": {
            "virtual_hosts": [{"name": "metrics", "domains": ["*"], "routes": _routes()}]
        },
        "http_filters": [
            {
                "name": "envoy.filters.http.router",
                "typed_config": {"@type": f"{HTTP_FILTERS}.router.v3.Router"},
            }
        ],
    }
    return {
        "name": "metrics",
        "address": address,
        "filter_chains": [
            {
                "filters": [
                    {
                        "name": "envoy.filters.network.http_connection_manager",
                        "typed_config": manager,
                    }
                ]
            }
        ],
    }


def _routes() -> list[dict[str, Any]]:
    scrape = {
        "path": METRICS_PATH,
        "headers": [{"name": ":method", "string_match": {"exact": "GET"}}],
    }
    return [
        {
            "match": scrape,
            "route": {"cluster": ADMIN_CLUSTER, "prefix_rewrite": "/stats/prometheus"},
        },
        {"match": {"prefix": "/"}, "direct_response": {"status": 404}},
    ]


def admin_cluster(settings: EdgeSettings) -> dict[str, Any]:
    address = admin_address(settings)
    return {
        "name": ADMIN_CLUSTER,
        "type": "STATIC",
        "connect_timeout": "1s",
        "load_assignment": {
            "cluster_name": ADMIN_CLUSTER,
            "endpoints": [{"lb_endpoints": [{"endpoint": {"address": address}}]}],
        },
    }
