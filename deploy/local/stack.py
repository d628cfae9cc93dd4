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
from services.common.tls import TLSSettings
from services.gateway.auth import TokenAuthority
from services.gateway.config import GatewaySettings
from workflows.contracts import search

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

    async def kill(self, name: str) -> None:
        """Kills a process outright (SIGKILL: a crash, nothing cleaned up)."""
        process = self.processes[name]
        if process.returncode is None:
            process.kill()
            await process.wait()

    async def restart(self, name: str) -> None:
        """Kills a process outright (a crash) and starts it again the same way."""
        await self.kill(name)
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
        await wait_healthy(target, self._check_alive, timeout, self.credentials)


async def wait_healthy(
    target: str,
    check_alive: Callable[[], None],
    timeout: float = 60,
    credentials: grpc.ChannelCredentials | None = None,
) -> None:
    """Until the gRPC server at `target` answers its health check SERVING (dialled over TLS
    with `credentials`); `check_alive` raises when the process meant to serve it has exited."""
    async with asyncio.timeout(timeout), _dial(target, credentials) as channel:
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


def _dial(target: str, credentials: grpc.ChannelCredentials | None) -> grpc.aio.Channel:
    if credentials is None:
        return grpc.aio.insecure_channel(target)
    return grpc.aio.secure_channel(target, credentials)
