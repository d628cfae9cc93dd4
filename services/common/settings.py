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


class DatabaseSettings(ServiceSettings):
    database_url: str = ""
