"""Base settings: one frozen object per process, read from the environment (nothing else reads
``os.environ``). Defaults run the embedded stack from the repository root."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORTS = {
    "gateway": 50051,
    "stores": 50061,
    "inventory": 50062,
    "orders": 50063,
    "notifications": 50064,
    # The edge (Envoy): the store app, gRPC-Web and JSON over HTTP for browsers and web shops.
    "edge": 8088,
}
# Each process's Prometheus metrics (GET /metrics), on a port of its own.
METRICS_PORTS = {
    "gateway": 9451,
    "stores": 9461,
    "inventory": 9462,
    "orders": 9463,
    "notifications": 9464,
    "worker": 9465,
}


def sqlite_url(name: str) -> str:
    return f"sqlite:///var/{name}.db"


class ServiceSettings(BaseSettings):
    """Common to every gRPC service. Subclasses set ``env_prefix`` (e.g. ``CC_ORDERS_``)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = 0
    log_level: str = "INFO"
    log_json: bool | None = None
    grace_seconds: float = 5.0
    # Where the process serves its Prometheus metrics (0: none; each service sets its default
    # from METRICS_PORTS). Served by the process entry point only, never by a test's in-process
    # server.
    metrics_port: int = 0


class DatabaseSettings(ServiceSettings):
    database_url: str = ""
