"""Where the embedded stack's processes listen and what they are given: ports (fixed for `make
run`, free ones for tests), copies of a process, the Temporal server's ports, extra environment."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS
from services.gateway.auth import TokenAuthority
from services.gateway.config import GatewaySettings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("stores", "inventory", "orders", "notifications")
# Started once the services serve; both answer grpc.health.v1 (the worker: workflows/health.py).
STARTED_LAST = ("gateway", "worker")
# The setting naming the port a process serves, where it is not CC_<NAME>_PORT.
PORT_SETTING = {"worker": "HEALTH_PORT"}
# The embedded Temporal server's heap: collected harder as it nears this (a laptop's demo stack).
TEMPORAL_MEMORY_LIMIT = "256MiB"
BIN = Path(sys.executable).parent
READ_CHUNK_BYTES = 64 * 1024
# CC_ENV of every process of this stack (StackConfig.env may say otherwise): a laptop's or a
# test's stack, where the gateway signs with the public development secret.
DEVELOPMENT: Final = "development"


def local_token_authority() -> TokenAuthority:
    """Mints the tokens this stack's gateway accepts (its settings, as in development)."""
    return TokenAuthority.of(GatewaySettings(CC_ENV=DEVELOPMENT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class StackConfig:
    var_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    # Extra environment for every process (database URLs, SMTP, secrets).
    env: dict[str, str] = field(default_factory=dict)
    # Called with (process name, line) for each line a process prints; None writes log files.
    echo: Callable[[str, str], None] | None = None
    # How many processes of a name run (1 when absent): {"worker": 2} runs worker and worker-2.
    # A copy of a gRPC server listens on ports["<name>-<n>"] (see scale); callers dial every copy.
    copies: dict[str, int] = field(default_factory=dict)
    # The edge (Envoy) in front of the gateway, for browsers and JSON.
    with_edge: bool = True
    # Each process's Prometheus metrics (gateway, services, worker).
    metrics_ports: dict[str, int] = field(default_factory=lambda: dict(METRICS_PORTS))
    # The codec server the Temporal UI and CLI decrypt payloads through.
    with_codec_server: bool = True

    @classmethod
    def ephemeral(cls, var_dir: Path, **env: str) -> StackConfig:
        """Free ports everywhere (tests)."""
        ports = {name: free_port() for name in DEFAULT_PORTS}
        config = cls(var_dir, ports, free_port(), free_port(), dict(env))
        config.metrics_ports = {name: free_port() for name in METRICS_PORTS}
        return config

    def metrics_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.metrics_ports[name]}/metrics"

    def target(self, name: str) -> str:
        return f"127.0.0.1:{self.ports[name]}"

    def scale(self, name: str, count: int) -> None:
        """Runs `count` processes of `name` (a service, the gateway or the worker); the copies
        of a gRPC server listen on free ports (the first keeps its own)."""
        self.copies[name] = count
        if name in self.ports:
            for copy in self.names(name)[1:]:
                self.ports.setdefault(copy, free_port())

    def names(self, name: str) -> list[str]:
        """The process names of `name`'s copies: name, name-2, name-3, …"""
        return [name] + [f"{name}-{n}" for n in range(2, self.copies.get(name, 1) + 1)]

    def client_target(self, name: str) -> str:
        """What clients dial: every copy of the server, balanced round robin."""
        copies = self.names(name)
        if len(copies) == 1:
            return self.target(name)
        return "ipv4:" + ",".join(self.target(copy) for copy in copies)

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.temporal_port}"

    @property
    def codec_url(self) -> str:
        """The codec server (callers show its access token: DevCodec.token)."""
        return f"http://127.0.0.1:{self.ports['codec']}"

    @property
    def edge_url(self) -> str:
        """The edge (Envoy): the store app, gRPC-Web, and the JSON API under /v1/."""
        return f"http://127.0.0.1:{self.ports['edge']}"
