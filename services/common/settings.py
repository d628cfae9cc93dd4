"""Base settings: one frozen object per process, read from the environment (nothing else reads
``os.environ``). Defaults run the embedded stack from the repository root."""

from __future__ import annotations

import re
import sys
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.common.tls import TLSSettings

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
    # The worker's health (grpc.health.v1; it serves no API).
    "worker": 50065,
}
# Each process's Prometheus metrics (GET /metrics), on a port of its own.
METRICS_PORTS = {
    "gateway": 9451,
    "edge": 9452,
    "stores": 9461,
    "inventory": 9462,
    "orders": 9463,
    "notifications": 9464,
    "worker": 9465,
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

    # CC_ENV (no prefix: one variable for every process): `development`, set by `make run` and
    # the local stacks only, allows development defaults such as the gateway's public token
    # secret; unset is production, and any other value stops the process.
    environment: Literal["development", "production"] = Field(
        default="production", validation_alias="CC_ENV"
    )
    host: str = "127.0.0.1"
    port: int = 0
    log_level: str = "INFO"
    log_json: bool | None = None
    grace_seconds: float = 5.0
    # Where the process serves its Prometheus metrics (0: none; each service sets its default
    # from METRICS_PORTS). Served by the process entry point only, never by a test's in-process
    # server.
    metrics_port: int = 0
    # TLS on the process's port and to our services (CC_TLS_*, services/common/tls.py).
    tls: TLSSettings = Field(default_factory=TLSSettings)

    @property
    def development(self) -> bool:
        return self.environment == "development"


class DatabaseSettings(ServiceSettings):
    database_url: str = ""


Settings = TypeVar("Settings", bound=BaseSettings)


def load(kind: type[Settings], process: str) -> Settings:
    """The process's settings from its environment. Wrong ones end the process (status 1) with
    a line per problem naming the variable to set, and never the value given (a secret)."""
    try:
        return kind()
    except ValidationError as error:
        problems = "\n".join(f"  {line}" for line in settings_problems(kind, error))
        sys.exit(f"{process} not started: its settings are wrong\n{problems}")


def settings_problems(kind: type[BaseSettings], error: ValidationError) -> list[str]:
    """A line per problem: the environment variable and what is wrong (no value quoted)."""
    prefix = str(kind.model_config.get("env_prefix", ""))
    lines = []
    for problem in error.errors(include_url=False, include_input=False):
        message = problem["msg"].removeprefix("Value error, ")
        name = str(problem["loc"][0]) if problem["loc"] else ""
        field = kind.model_fields.get(name)
        if field is not None and isinstance(field.validation_alias, str):
            name = field.validation_alias
        elif field is not None:
            name = prefix + name
        lines.append(f"{name.upper()}: {message}" if name else message)
    return lines
