"""The image's healthcheck (`python -m services.common.healthcheck`) against real processes: it
finds which process it is asked about from that process's command, as in a container, says
healthy while it serves and unhealthy once it is stopped; the worker is ready only while
Temporal answers, alive apart from that, and NOT_SERVING from the moment it drains."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

from deploy.local.codec import DevCodec
from deploy.local.edge import edge_environment
from deploy.local.stack_config import BIN, ROOT, free_port
from services.codec.server import HEALTH_PATH as CODEC_HEALTH
from services.common.healthcheck import HTTP_PATHS
from services.edge.filters import HEALTH_PATH as EDGE_HEALTH
from workflows.health import LIVENESS, WorkerHealth

pytestmark = pytest.mark.e2e
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CC_")}
    return {**env, "CC_ENV": "development", "PYTHONUNBUFFERED": "1", **settings}


@contextmanager
def running(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "ab") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def healthcheck(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "services.common.healthcheck", *args]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def until(want: int, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The healthcheck's answer once it exits `want` (within a minute, else the test fails)."""
    deadline = time.monotonic() + 60
    while True:
        answer = healthcheck(env, *args)
        if answer.returncode == want or time.monotonic() > deadline:
            assert answer.returncode == want, answer.stdout + answer.stderr
            return answer
        time.sleep(0.3)


def health_of(port: int, service: str = "") -> int:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        request = health_pb2.HealthCheckRequest(service=service)
        return int(health_pb2_grpc.HealthStub(channel).Check(request, timeout=5).status)


@contextmanager
def temporal_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Temporal dev server on a free port, until it answers its health check."""
    port = free_port()
    argv = [str(BIN / "temporal"), "server", "start-dev", "--headless", "--ip", "127.0.0.1"]
    argv += ["--port", str(port), "--db-filename", str(folder / "temporal.db")]
    argv += ["--log-level", "warn"]
    with running(argv, environment(), folder / "temporal.log") as server:
        for _ in range(200):
            try:
                health_of(port, "temporal.api.workflowservice.v1.WorkflowService")
                break
            except grpc.RpcError:
                time.sleep(0.3)
        yield f"127.0.0.1:{port}", server


@pytest.fixture(scope="module")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with temporal_server(tmp_path_factory.mktemp("temporal")) as (address, _):
        yield address


def test_health_paths_are_the_ones_the_servers_answer() -> None:
    assert HTTP_PATHS == {"codec": CODEC_HEALTH, "edge": EDGE_HEALTH}


def test_running_processes_are_healthy_and_stopped_ones_are_not(
    temporal: str, tmp_path: Path
) -> None:
    ports = {name: free_port() for name in ("stores", "worker", "codec", "edge")}
    env = environment(
        CC_STORES_PORT=str(ports["stores"]),
        CC_STORES_DATABASE_URL=f"sqlite:///{tmp_path / 'stores.db'}",
        CC_STORES_METRICS_PORT="0",
        CC_WORKER_TEMPORAL_ADDRESS=temporal,
        CC_WORKER_HEALTH_PORT=str(ports["worker"]),
        CC_WORKER_METRICS_PORT="0",
        **DevCodec.in_folder(tmp_path).environment(ports["codec"], free_port()),
        **edge_environment(ports["edge"], f"127.0.0.1:{free_port()}", tmp_path),
    )
    commands = {
        "stores": ["-m", "services.stores"],
        "worker": ["-m", "workflows.worker"],
        "codec": ["-m", "services.codec"],
        "edge": ["-m", "services.edge"],  # becomes Envoy
    }
    with (
        running([sys.executable, *commands["stores"]], env, tmp_path / "stores.log") as stores,
        running([sys.executable, *commands["worker"]], env, tmp_path / "worker.log") as worker,
        running([sys.executable, *commands["codec"]], env, tmp_path / "codec.log") as codec,
        running([sys.executable, *commands["edge"]], env, tmp_path / "edge.log") as edge,
    ):
        processes = {"stores": stores, "worker": worker, "codec": codec, "edge": edge}
        for name, process in processes.items():
            answer = until(0, env, "--pid", str(process.pid))
            assert answer.stdout.startswith(f"{name} healthy at "), answer.stdout
            assert str(ports[name]) in answer.stdout
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            process.wait(30)
    for name in processes:
        answer = healthcheck(env, name)
        assert answer.returncode == 1
        assert answer.stderr.startswith(f"{name} unhealthy at "), answer.stderr
        assert "no answer" in answer.stderr and str(ports[name]) in answer.stderr


def test_the_worker_is_unready_but_alive_while_temporal_is_down(tmp_path: Path) -> None:
    port = free_port()
    with temporal_server(tmp_path) as (address, server):
        env = environment(
            CC_WORKER_TEMPORAL_ADDRESS=address,
            CC_WORKER_HEALTH_PORT=str(port),
            CC_WORKER_METRICS_PORT="0",
        )
        argv = [sys.executable, "-m", "workflows.worker"]
        with running(argv, env, tmp_path / "worker.log") as worker:
            until(0, env, "worker")
            assert health_of(port, LIVENESS) == SERVING
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            answer = until(1, env, "worker")
            assert answer.stderr == f"worker unhealthy at 127.0.0.1:{port}: NOT_SERVING\n"
            assert health_of(port, LIVENESS) == SERVING and worker.poll() is None


@activity.defn
async def nothing() -> None:
    """The least a worker can poll for."""


async def test_a_draining_worker_answers_not_serving(temporal: str) -> None:
    client = await Client.connect(temporal)
    worker = Worker(client, task_queue="health-check", activities=[nothing])
    health = WorkerHealth(client, worker)
    async with health.serving("127.0.0.1", free_port()) as port, worker:
        assert port is not None
        await health.update()
        assert await answers(port) == (SERVING, SERVING)
        await health.drain()
        assert await answers(port) == (NOT_SERVING, NOT_SERVING)
        await health.update()  # nothing turns it back
        assert await answers(port) == (NOT_SERVING, NOT_SERVING)


async def answers(port: int) -> tuple[int, int]:
    """What the worker's health says: ready (""), alive (LIVENESS)."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        statuses = []
        for service in ("", LIVENESS):
            request = health_pb2.HealthCheckRequest(service=service)
            statuses.append(int((await stub.Check(request, timeout=5)).status))
    return statuses[0], statuses[1]
