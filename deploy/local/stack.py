"""The embedded stack: Temporal dev server, the four services, the worker, the gateway and the
edge (Envoy) as real processes on loopback. Used by `make run` and by the end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Final

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from temporalio.client import Client

from deploy.local.codec import DevCodec
from deploy.local.edge import edge_environment, wait_until_serving
from deploy.local.lines import LineSplitter
from services.codec.server import HEALTH_PATH as CODEC_HEALTH_PATH
from services.common.codec import CodecSettings, data_converter
from services.common.settings import DEFAULT_PORTS, METRICS_PORTS
from services.gateway.auth import TokenAuthority
from services.gateway.config import GatewaySettings
from workflows.contracts import search

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("stores", "inventory", "orders", "notifications")
# Started once the services serve; both answer grpc.health.v1 (the worker: workflows/health.py).
STARTED_LAST = ("gateway", "worker")
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
    # Ports of further inventory processes on the same database (several writers).
    extra_inventory_ports: list[int] = field(default_factory=list)
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

    def client_target(self, name: str) -> str:
        """What clients dial: several inventory processes are balanced round robin."""
        if name == "inventory" and self.extra_inventory_ports:
            ports = [self.ports[name], *self.extra_inventory_ports]
            return "ipv4:" + ",".join(f"127.0.0.1:{port}" for port in ports)
        return self.target(name)

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


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, asyncio.subprocess.Process] = {}
        self._commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}
        self._pumps: list[asyncio.Task[None]] = []
        self._logs: list[IO[str]] = []

    @cached_property
    def codec(self) -> DevCodec:
        """The stack's payload key and codec server token (made in var/ the first time)."""
        return DevCodec.in_folder(self.config.var_dir)

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
            await self._spawn(name, [sys.executable, "-m", f"services.{name}"])
        for number, port in enumerate(self.config.extra_inventory_ports, start=2):
            argv = [sys.executable, "-m", "services.inventory"]
            # a replica serves no metrics of its own here (one port per process name)
            extra = {"CC_INVENTORY_PORT": str(port), "CC_INVENTORY_METRICS_PORT": "0"}
            await self._spawn(f"inventory-{number}", argv, extra)
        replicas = [f"127.0.0.1:{port}" for port in self.config.extra_inventory_ports]
        targets = [self.config.target(n) for n in SERVICES] + replicas
        await asyncio.gather(*(self._wait_healthy(target) for target in targets))
        await self._spawn("worker", [sys.executable, "-m", "workflows.worker"])
        await self._spawn("gateway", [sys.executable, "-m", "services.gateway"])
        await asyncio.gather(*(self._wait_healthy(self.config.target(n)) for n in STARTED_LAST))
        if self.config.with_edge:
            await self._spawn("edge", [sys.executable, "-m", "services.edge"])
            await wait_until_serving(self.config.ports["edge"], self._check_alive)

    async def stop(self) -> None:
        """SIGTERM to every process, newest first; SIGKILL what is still up after 15 s."""
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        for pump in self._pumps:
            await pump
        for log in self._logs:
            log.close()

    def pause(self, name: str) -> None:
        """Freezes a process (SIGSTOP), as a stalled machine would."""
        self.processes[name].send_signal(signal.SIGSTOP)

    def resume(self, name: str) -> None:
        """Thaws a frozen process (nothing happens to one running or gone)."""
        process = self.processes[name]
        if process.returncode is None:
            process.send_signal(signal.SIGCONT)

    async def restart(self, name: str) -> None:
        """Kills a process outright (a crash) and starts it again the same way."""
        process = self.processes[name]
        if process.returncode is None:
            process.kill()
            await process.wait()
        argv, env = self._commands[name]
        await self._spawn(name, argv, env)

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

    async def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        self._commands[name] = (argv, env)
        guarded = [sys.executable, "-m", "deploy.local.guard", *argv]  # dies with us
        process = await asyncio.create_subprocess_exec(
            *guarded,
            cwd=ROOT,
            env={**self.environment(), **(env or {})},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops us in order
        )
        self.processes[name] = process
        self._pumps.append(asyncio.create_task(self._pump(name, process)))

    async def _pump(self, name: str, process: asyncio.subprocess.Process) -> None:
        """Copies a process's output to its log (or the terminal) until the process ends: read
        in chunks, so no line, however long, can stop it (a stopped reader would fill the pipe
        and block the process)."""
        assert process.stdout is not None
        sink: IO[str] | None = None
        if self.config.echo is None:
            sink = open(self.config.var_dir / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115, ASYNC230
            self._logs.append(sink)
        splitter = LineSplitter()
        while chunk := await process.stdout.read(READ_CHUNK_BYTES):
            self._write(name, sink, splitter.feed(chunk))
        self._write(name, sink, splitter.flush())

    def _write(self, name: str, sink: IO[str] | None, lines: list[str]) -> None:
        try:
            if sink is not None:
                sink.writelines(line + "\n" for line in lines)
                sink.flush()
            elif self.config.echo is not None:
                for line in lines:
                    self.config.echo(name, line)
        except OSError:  # a full disk or a closed terminal loses lines, never the pump
            pass

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.returncode is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see its log")

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
        await wait_healthy(target, self._check_alive, timeout)


async def wait_healthy(target: str, check_alive: Callable[[], None], timeout: float = 60) -> None:
    """Until the gRPC server at `target` answers its health check SERVING; `check_alive`
    raises when the process meant to serve it has exited."""
    async with asyncio.timeout(timeout), grpc.aio.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            check_alive()
            try:
                reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=2)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.aio.AioRpcError:
                pass
            await asyncio.sleep(0.2)
