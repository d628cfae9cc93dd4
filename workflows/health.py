"""The worker's health, as every server of ours answers it (grpc.health.v1, on the worker's
CC_WORKER_HEALTH_HOST:CC_WORKER_HEALTH_PORT; 0: none), so one kind of probe fits every process:

- service "" (readiness, the image's HEALTHCHECK): SERVING while the worker polls its task
  queue and Temporal answers its own health check; NOT_SERVING otherwise;
- service "liveness": SERVING while the worker polls, whether Temporal answers or not (an
  outage of Temporal is no reason to restart every worker).

Both turn NOT_SERVING for good once the worker starts draining (SIGTERM)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta

import grpc
import structlog
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from temporalio.client import Client
from temporalio.worker import Worker

from services.common.server import bind_port

log = structlog.get_logger("worker")
LIVENESS = "liveness"
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
STARTING_POLL_SECONDS = 0.05


class WorkerHealth:
    """Keeps the health statuses of one worker up to date, every `interval` seconds."""

    def __init__(self, client: Client, worker: Worker, interval: float = 2.0) -> None:
        self._client = client
        self._worker = worker
        self._interval = interval
        self.servicer = HealthServicer()
        self._ready: bool | None = None

    async def update(self) -> None:
        """Asks the worker (once it has started, or failed to, within an interval) and Temporal
        now, and sets both statuses from their answers."""
        for _ in range(int(self._interval / STARTING_POLL_SECONDS)):
            if self._worker.is_running or self._worker.is_shutdown:
                break
            await asyncio.sleep(STARTING_POLL_SECONDS)
        polling = self._worker.is_running
        ready = polling and await self._temporal_answers()
        if ready != self._ready:
            log.info("worker_health_changed", ready=ready, polling=polling)
            self._ready = ready
        await self.servicer.set(LIVENESS, SERVING if polling else NOT_SERVING)
        await self.servicer.set("", SERVING if ready else NOT_SERVING)

    async def drain(self) -> None:
        """NOT_SERVING from now on (the worker finishes its tasks and stops)."""
        await self.servicer.enter_graceful_shutdown()

    @asynccontextmanager
    async def serving(
        self, host: str, port: int, credentials: grpc.ServerCredentials | None = None
    ) -> AsyncIterator[int | None]:
        """The health server on host:port while the block runs, over TLS with `credentials`
        as every server of ours (yields the bound port; None and no server when port is 0)."""
        if port <= 0:
            yield None
            return
        server = grpc.aio.server()
        health_pb2_grpc.add_HealthServicer_to_server(self.servicer, server)
        try:
            bound = bind_port(server, f"{host}:{port}", credentials)
        except RuntimeError:
            sys.exit(f"worker not started: its health port {host}:{port} cannot be bound")
        await self.servicer.set("", NOT_SERVING)
        await self.servicer.set(LIVENESS, NOT_SERVING)
        await server.start()
        watch = asyncio.create_task(self._watch())
        try:
            yield bound
        finally:
            watch.cancel()
            with suppress(asyncio.CancelledError):
                await watch
            await self.drain()
            await server.stop(0)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self.update()

    async def _temporal_answers(self) -> bool:
        timeout = timedelta(seconds=max(self._interval, 1.0))
        try:
            return await self._client.service_client.check_health(timeout=timeout)
        except Exception:  # unreachable, refused, timed out: not ready
            return False
