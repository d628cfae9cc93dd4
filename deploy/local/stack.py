"""The embedded stack: Temporal dev server, the four services, the worker, the gateway and the
edge (Envoy) as real processes on loopback. Used by `make run` and by the end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import sys
from functools import cached_property

import grpc
from temporalio.client import Client

from deploy.local.codec import DevCodec
from deploy.local.edge import edge_environment
from deploy.local.health import wait_healthy, wait_until_serving
from deploy.local.processes import Processes
from deploy.local.stack_config import (
    BIN,
    DEVELOPMENT,
    PORT_SETTING,
    SERVICES,
    STARTED_LAST,
    TEMPORAL_MEMORY_LIMIT,
)
from services.codec.server import HEALTH_PATH as CODEC_HEALTH_PATH
from services.common.codec import CodecSettings, data_converter
from services.common.tls import TLSSettings
from workflows.contracts import search


class Stack(Processes):
    """The whole stack: start() brings every process up in order, each once it can serve."""

    @cached_property
    def codec(self) -> DevCodec:
        """The stack's payload key and codec server token (made in var/ the first time)."""
        return DevCodec.in_folder(self.config.var_dir)

    @property
    def credentials(self) -> grpc.ChannelCredentials | None:
        """What the stack's own calls to its services dial with: the TLS its processes are
        given (CC_TLS_*), or None (plaintext)."""
        return TLSSettings.of(self.environment()).channel_credentials()

    async def client(self) -> Client:
        """A Temporal client that reads and writes payloads as the worker does."""
        keys = CodecSettings(keys_file=self.codec.keys_file)
        return await Client.connect(
            self.config.temporal_address, data_converter=data_converter(keys)
        )

    async def start(self) -> None:
        self.config.var_dir.mkdir(parents=True, exist_ok=True)
        temporal = [str(BIN / "temporal"), *self._temporal_args()]
        await self._spawn("temporal", temporal, {"GOMEMLIMIT": TEMPORAL_MEMORY_LIMIT})
        await self._wait_for_temporal()
        if self.config.with_codec_server:
            await self._spawn("codec", [sys.executable, "-m", "services.codec"])
            port = self.config.ports["codec"]
            await wait_until_serving(port, self._check_alive, path=CODEC_HEALTH_PATH)
        for name in SERVICES:
            await self._spawn_copies(name, f"services.{name}")
        await self._wait_copies_healthy(*SERVICES)
        await self._spawn_copies("worker", "workflows.worker")
        await self._spawn_copies("gateway", "services.gateway")
        await self._wait_copies_healthy(*STARTED_LAST)
        if self.config.with_edge:
            await self._spawn("edge", [sys.executable, "-m", "services.edge"])
            await wait_until_serving(self.config.ports["edge"], self._check_alive)

    def _temporal_args(self) -> list[str]:
        return [
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.config.temporal_port),
            "--ui-port",
            str(self.config.temporal_ui_port),
            "--db-filename",
            str(self.config.var_dir / "temporal.db"),
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
            "--log-level",
            "warn",
            # The UI decrypts payloads in the browser through the codec server.
            "--ui-codec-endpoint",
            f"{self.config.codec_url}/{self.codec.token}",
            # Task queues polled as work arrives (the default, 20 polls a second, makes every
            # workflow task wait for the next 50 ms tick).
            "--dynamic-config-value",
            "history.transferProcessorMaxPollRPS=1000",
            "--dynamic-config-value",
            "history.timerProcessorMaxPollRPS=1000",
            *search.cli_flags(),
        ]

    def environment(self) -> dict[str, str]:
        c = self.config
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "CC_ENV": DEVELOPMENT}
        for name in (*SERVICES, "gateway"):
            prefix = f"CC_{name.upper()}_"
            env[prefix + "PORT"] = str(c.ports[name])
            if name != "gateway":
                env.setdefault(prefix + "DATABASE_URL", f"sqlite:///{c.var_dir / name}.db")
        for name, port in c.metrics_ports.items():
            env[f"CC_{name.upper()}_METRICS_PORT"] = str(port)
        env["CC_WORKER_HEALTH_PORT"] = str(c.ports["worker"])
        for prefix in ("CC_WORKER_", "CC_GATEWAY_"):
            env[prefix + "TEMPORAL_ADDRESS"] = c.temporal_address
            for name in SERVICES:
                env[f"{prefix}{name.upper()}_TARGET"] = c.client_target(name)
        env.update(edge_environment(c.ports["edge"], c.target("gateway"), c.var_dir))
        env.update(self.codec.environment(c.ports["codec"], c.temporal_ui_port))
        env.setdefault("CC_GATEWAY_PAYMENT_PAGE_URL", f"{c.edge_url}/#/pay")
        env.setdefault(
            "CC_NOTIFICATIONS_OUTBOX_PATH", str(c.var_dir / "outbox" / "notifications.txt")
        )
        env.setdefault("CC_NOTIFICATIONS_SMS_OUTBOX_PATH", str(c.var_dir / "outbox" / "sms.txt"))
        env.update(c.env)
        return env

    async def _spawn_copies(self, name: str, module: str) -> None:
        """Every copy of a process; a copy after the first on its own port, without metrics
        (one metrics port per process name)."""
        prefix = f"CC_{name.upper()}_"
        for copy in self.config.names(name):
            own = {prefix + "METRICS_PORT": "0"} if copy != name else {}
            if copy != name and copy in self.config.ports:
                own[prefix + PORT_SETTING.get(name, "PORT")] = str(self.config.ports[copy])
            await self._spawn(copy, [sys.executable, "-m", module], own)

    async def _wait_copies_healthy(self, *names: str) -> None:
        copies = [copy for name in names for copy in self.config.names(name)]
        await asyncio.gather(*(self._wait_healthy(self.config.target(c)) for c in copies))

    async def _wait_for_temporal(self, timeout: float = 60) -> None:
        async with asyncio.timeout(timeout):
            while True:
                self._check_alive()
                try:
                    await Client.connect(self.config.temporal_address)
                    return
                except RuntimeError:
                    await asyncio.sleep(0.3)

    async def _wait_healthy(self, target: str, timeout: float = 60) -> None:
        await wait_healthy(target, self._check_alive, timeout, self.credentials)
