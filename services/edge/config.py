"""Edge settings (env prefix CC_EDGE_): what the Envoy in front of the gateway is built from."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS, Origins, ServiceSettings
from services.common.tls import CertificateFile, KeyFile, require_pair

MIB = 1024 * 1024


class EdgeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CC_EDGE_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["edge"]
    # Envoy's own log (requests have their JSON access log at every level).
    log_level: str = "WARNING"
    # The public gRPC gateway, host:port (a service name in compose and Kubernetes).
    gateway_target: str = f"127.0.0.1:{DEFAULT_PORTS['gateway']}"
    # Browser origins allowed to call the API (CORS), comma-separated, e.g.
    # "https://tablets.example.com,http://localhost:5173". Empty: the edge's own origin on
    # this machine (http://localhost:<port> and http://127.0.0.1:<port>).
    allowed_origins: Origins = ()
    # The built store app; while it has no index.html, "/" answers a page saying so.
    static_dir: Path = Path("web/dist")
    # The public API's descriptor set with its google.api.http rules (`make gen`).
    descriptor_set: Path = Path("gen/clickcollect.pb")
    # Where the Envoy configuration is written before Envoy starts.
    config_path: Path = Path("var/edge/envoy.yaml")
    # Envoy's admin interface, on 127.0.0.1 only; 0: none (a Unix socket beside the
    # configuration while metrics are served).
    admin_port: int = 0
    # Envoy's statistics for Prometheus (GET /metrics); 0: none.
    metrics_port: int = METRICS_PORTS["edge"]
    # A request body larger than this is refused with 413.
    max_request_bytes: int = MIB
    # Longer than any command waits for its workflow (the gateway's place_order_timeout).
    upstream_timeout_seconds: float = 60.0
    # Envoy's worker threads; 0: one per CPU it sees (in a container: the node's, so set it).
    concurrency: int = 0
    # HTTPS for browsers and web shops: the edge's own certificate (PEM, leaf first; for the
    # names browsers use) and key. Unset: plain HTTP (TLS ends at a load balancer or ingress).
    # TLS to the gateway is CC_TLS_* (services/common/tls.py).
    cert_file: CertificateFile = None
    key_file: KeyFile = None

    @model_validator(mode="after")
    def _whole_pair(self) -> Self:
        require_pair(self.cert_file, self.key_file, "CC_EDGE_CERT_FILE", "CC_EDGE_KEY_FILE")
        return self

    @property
    def scheme(self) -> str:
        return "https" if self.cert_file is not None else "http"

    def origins(self) -> tuple[str, ...]:
        """The origins CORS lets in: the setting, or the edge's own on this machine."""
        if self.allowed_origins:
            return self.allowed_origins
        return (f"{self.scheme}://localhost:{self.port}", f"{self.scheme}://127.0.0.1:{self.port}")
