"""Base settings: one frozen object per process, read from the environment (nothing else reads
``os.environ``). Defaults run the embedded stack from the repository root."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_PORTS = {
    "gateway": 50051,
    "stores": 50061,
    "inventory": 50062,
    "orders": 50063,
    "notifications": 50064,
    # The edge (Envoy): the store app, gRPC-Web and JSON over HTTP for browsers and web shops.
    "edge": 8088,
    # The codec server: the Temporal UI and CLI decrypt workflow payloads through it.
    "codec": 8089,
}
# What a browser sends as Origin: a scheme, a host and maybe a port; no path, no wildcard.
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def _split(value: object) -> object:
    if isinstance(value, str):
        return tuple(origin.strip() for origin in value.split(",") if origin.strip())
    return value


def _origins_only(origins: tuple[str, ...]) -> tuple[str, ...]:
    for origin in origins:
        if not ORIGIN.fullmatch(origin):
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    return origins


# Browser origins as a setting: comma-separated, each checked to be an origin.
Origins = Annotated[
    tuple[str, ...], NoDecode, BeforeValidator(_split), AfterValidator(_origins_only)
]


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
