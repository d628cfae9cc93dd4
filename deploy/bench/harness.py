"""One benchmark run's world: a fresh stack under var/bench/stack/ seeded with the demo retailer
and the benchmark's products, the reference worker beside it, both sides' drivers, and CPU and
memory readings of their processes."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health_pb2_grpc
from temporalio.client import Client

from clickcollect.inventory.v1 import inventory_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from deploy.bench import data, procfs
from deploy.bench.drivers import Gateway, Placed, Reference
from deploy.bench.options import Options
from deploy.bench.stack import REFERENCE_QUEUE, BenchStack, bench_config
from deploy.local.otlp import span_receiver
from deploy.local.seed import seed

T = TypeVar("T")
QUIET_WINDOW = 0.5  # seconds
QUIET_CPU = 0.1  # of one core, all processes together: what idle pollers burn and a bit
QUIET_TIMEOUT = 60.0


class BenchFailure(Exception):
    """A result that must not be: more units sold than there were, an order lost."""


@dataclass
class Harness:
    stack: BenchStack
    options: Options
    gateway: Gateway
    reference: Reference
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub
    inventory_health: health_pb2_grpc.HealthAsyncStub
    stores: stores_pb2_grpc.StoreServiceAsyncStub
    details: dict[str, Any] = field(default_factory=lambda: {"seconds_waiting_for_quiet": 0.0})
    open_orders: int = 0  # accepted orders left waiting for their pick
    open_references: int = 0  # reference orders left waiting for their pick

    def count_open(self, results: list[object]) -> None:
        """PlaceOrder answers that must all be accepted orders, now waiting for their pick."""
        refused = [r for r in results if not isinstance(r, Placed) or r.order is None]
        if refused:
            raise BenchFailure(f"{len(refused)} orders with stock were refused: {refused[:3]}")
        self.open_orders += len(results)

    def usage(self) -> procfs.Usage:
        return procfs.usage(self.stack.pids(), alone={"load generator": os.getpid()})

    async def quiet(self) -> procfs.Usage:
        """Waits until the processes are idle (what an order does after its answer is done)."""
        names = list(self.stack.pids())
        now = self.usage()
        started = time.monotonic()
        while time.monotonic() < started + QUIET_TIMEOUT:
            await asyncio.sleep(QUIET_WINDOW)
            last, now = now, self.usage()
            if sum(now.cpu_since(last, names).values()) < QUIET_CPU * QUIET_WINDOW:
                break
        self.details["seconds_waiting_for_quiet"] += time.monotonic() - started
        return now

    async def cpu(self, names: list[str], work: Awaitable[T]) -> tuple[T, dict[str, float]]:
        """`work`'s result and the CPU seconds each named process spent on it (until quiet)."""
        before = await self.quiet()
        result = await work
        after = await self.quiet()
        return result, after.cpu_since(before, names)

    def rss_mb(self, names: list[str]) -> dict[str, float]:
        return self.usage().rss_mb(names)

    async def warm_up(self) -> None:
        """A few of everything on both sides; the reference worker is polling after this."""
        for number in range(self.options.warm_up):
            await self.gateway.lifecycle(number, data.LIFECYCLE_SKU)
            await asyncio.wait_for(self.reference.lifecycle(), 60)
            await self.reference.bare_accept()


@asynccontextmanager
async def running(options: Options) -> AsyncIterator[Harness]:
    async with AsyncExitStack() as exits:
        env = {}
        if options.traces:  # spans counted as they arrive, none kept
            receiver, env["CC_TRACING_OTLP_ENDPOINT"] = await exits.enter_async_context(
                span_receiver(keep=False)
            )
        async with _running(options, env) as harness:
            yield harness
        if options.traces:  # the stack stopped: every process sent its last spans
            harness.details["spans_received"] = receiver.count


@asynccontextmanager
async def _running(options: Options, env: dict[str, str]) -> AsyncIterator[Harness]:
    var_dir = options.out_dir / "stack"
    shutil.rmtree(var_dir, ignore_errors=True)
    config = bench_config(var_dir, **env)
    stack = BenchStack(config)
    try:
        await stack.start()
        await stack.start_reference_worker()
        await seed(config.target("stores"), config.target("inventory"))
        # The reference side stays bare Temporal, without the payload codec the product's
        # worker and gateway use: the comparison includes what encryption costs.
        client = await Client.connect(config.temporal_address)
        async with (
            grpc.aio.insecure_channel(config.target("gateway")) as gateway,
            grpc.aio.insecure_channel(config.target("inventory")) as inventory,
            grpc.aio.insecure_channel(config.target("stores")) as stores,
        ):
            harness = Harness(
                stack,
                options,
                Gateway(gateway),
                Reference(client, REFERENCE_QUEUE),
                inventory_pb2_grpc.InventoryServiceStub(inventory),
                health_pb2_grpc.HealthStub(inventory),
                stores_pb2_grpc.StoreServiceStub(stores),
            )
            await data.stock_products(harness.inventory)
            await harness.warm_up()
            yield harness
    finally:
        await stack.stop()
