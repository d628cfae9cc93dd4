"""The stack under measurement: the embedded stack of `make run` on free ports under
var/bench/, plus the reference worker on the same Temporal dev server."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path
from typing import IO

from deploy.local.stack import Stack
from deploy.local.stack_config import ROOT, SERVICES, StackConfig

REFERENCE_QUEUE = "bench-reference"
REFERENCE_WORKER = "reference-worker"
TEMPORAL = "temporal"
# The processes of each side: Temporal serves both.
PROJECT_PROCESSES = [TEMPORAL, *SERVICES, "worker", "gateway"]
REFERENCE_PROCESSES = [TEMPORAL, REFERENCE_WORKER]


class BenchStack(Stack):
    """The embedded stack, each process writing its own log file (var/bench/…/<name>.log).

    Stack pipes every process's output through this process, which would cost the load
    generator CPU, and its reader stops at the first line over 64 KiB (asyncio's StreamReader
    limit), after which the writing process blocks once the pipe is full."""

    def __init__(self, config: StackConfig) -> None:
        super().__init__(config)
        self._files: list[IO[bytes]] = []

    async def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.config.var_dir / f"{name}.log", "ab")  # noqa: SIM115, ASYNC230
        self._files.append(log)
        guarded = [sys.executable, "-m", "deploy.local.guard", *argv]  # dies with us
        self.processes[name] = await asyncio.create_subprocess_exec(
            *guarded,
            cwd=ROOT,
            env={**self.environment(), **(env or {})},
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )

    async def start_reference_worker(self) -> None:
        argv = [sys.executable, "-m", "deploy.bench.reference"]
        argv += ["--temporal", self.config.temporal_address, "--task-queue", REFERENCE_QUEUE]
        await self._spawn(REFERENCE_WORKER, argv)

    async def stop(self) -> None:
        await super().stop()
        for log in self._files:
            log.close()

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}


def bench_config(var_dir: Path, **env: str) -> StackConfig:
    """Free ports and a fresh data directory; everything else as `make run` has it but the
    edge and the codec server: the load goes to the gateway, and the edge's health checks would
    only add noise (the worker and the gateway encrypt payloads as `make run`'s do). `env`:
    more settings for every process (the trace collector's endpoint)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    config = StackConfig.ephemeral(var_dir, **env)
    return replace(config, with_edge=False, with_codec_server=False)
