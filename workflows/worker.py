"""The worker process (`python -m workflows.worker`): order, transfer, return and store-sale
workflows and their activities."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from clickcollect.inventory.v1 import inventory_pb2_grpc
from clickcollect.notifications.v1 import notifications_pb2_grpc
from clickcollect.orders.v1 import customers_pb2_grpc, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.clients import channel
from services.common.codec import connect, require_keys
from services.common.logging import configure_logging
from services.common.settings import load
from services.common.tracing import TracingSettings, start_tracing, stop_tracing
from workflows.config import WorkerSettings
from workflows.health import WorkerHealth
from workflows.order.activities.checkout import CheckoutActivities
from workflows.order.activities.operations import OperationsActivities
from workflows.order.activities.order import OrderActivities
from workflows.order.activities.payment import PaymentActivities
from workflows.order.activities.routing import RoutingActivities
from workflows.order.activities.short_pick import ShortPickActivities
from workflows.order.workflow import OrderWorkflow
from workflows.returns.activities import ReturnActivities
from workflows.returns.workflow import ReturnWorkflow
from workflows.shared.activities import SharedActivities
from workflows.shared.recipients import Contacts
from workflows.ship_to_store.activities import TransferActivities
from workflows.ship_to_store.workflow import ShipToStoreWorkflow
from workflows.store_sale.activities import StoreSaleActivities
from workflows.store_sale.workflow import StoreSaleWorkflow

log = structlog.get_logger("worker")
WORKFLOWS = [OrderWorkflow, ShipToStoreWorkflow, ReturnWorkflow, StoreSaleWorkflow]


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox with our own packages imported once, not again for every workflow run (the
    sandbox's checks on non-deterministic calls still apply to them). The worker and the replay
    test use the same."""
    passthrough = (
        *("workflows", "services", "clickcollect", "google.protobuf", "google.rpc"),
        "opentelemetry",  # the tracing interceptor's workflow side, as the SDK's docs ask
    )
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*passthrough)
    return SandboxedWorkflowRunner(restrictions=restrictions)


@asynccontextmanager
async def all_activities(settings: WorkerSettings) -> AsyncIterator[list[Callable[..., Any]]]:
    """Every activity, wired to our services over gRPC; channels closed on exit."""
    credentials = settings.tls.channel_credentials()
    channels = [
        channel(target, credentials)
        for target in (
            settings.stores_target,
            settings.inventory_target,
            settings.orders_target,
            settings.notifications_target,
        )
    ]
    stores = stores_pb2_grpc.StoreServiceStub(channels[0])
    inventory = inventory_pb2_grpc.InventoryServiceStub(channels[1])
    orders = orders_pb2_grpc.OrderServiceStub(channels[2])
    notifications = notifications_pb2_grpc.NotificationServiceStub(channels[3])
    contacts = Contacts(customers_pb2_grpc.CustomerServiceStub(channels[2]))
    checkout = CheckoutActivities(stores, inventory, orders, settings.max_sources, contacts)
    try:
        yield [
            *OrderActivities(stores, inventory, orders, contacts).all(),
            *SharedActivities(orders, notifications, settings.operations_email, contacts).all(),
            *RoutingActivities.all(checkout),
            *checkout.all(),
            *TransferActivities(inventory, orders).all(),
            *ShortPickActivities(inventory, orders).all(),
            *PaymentActivities(inventory, orders).all(),
            *ReturnActivities(inventory, orders).all(),
            *StoreSaleActivities(inventory).all(),
            *OperationsActivities(
                inventory,
                int(settings.transfer_lost_after_hours * 3600),
                settings.reroute_promise_days,
            ).all(),
        ]
    finally:
        for open_channel in channels:
            await open_channel.close(None)


def build_worker(
    client: Client,
    activities: list[Callable[..., Any]],
    task_queue: str,
    max_cached_workflows: int = 500,
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        workflow_runner=workflow_runner(),
        activities=activities,
        max_concurrent_activities=100,
        max_cached_workflows=max_cached_workflows,
    )


def runtime_of(settings: WorkerSettings) -> Runtime | None:
    """The Temporal SDK's runtime with its Prometheus metrics (task latencies, slots, the
    sticky cache, polls) on the worker's metrics port; None (the default runtime) without one."""
    if settings.metrics_port <= 0:
        return None
    prometheus = PrometheusConfig(bind_address=f"{settings.metrics_host}:{settings.metrics_port}")
    return Runtime(telemetry=TelemetryConfig(metrics=prometheus))


async def main(settings: WorkerSettings) -> None:
    client = await connect(
        settings.temporal_address,
        settings.temporal_namespace,
        settings.codec,
        runtime=runtime_of(settings),
        tls=settings.temporal_tls.config(),
    )
    async with all_activities(settings) as activities:
        worker = build_worker(
            client, activities, settings.task_queue, settings.max_cached_workflows
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        health = WorkerHealth(client, worker)
        tls = settings.tls.server_credentials(public=False)
        async with health.serving(settings.health_host, settings.health_port, tls) as port, worker:
            await health.update()
            log.info(
                "worker_started",
                task_queue=settings.task_queue,
                metrics_port=settings.metrics_port,
                health_port=port,
            )
            await stop.wait()
            log.info("worker_stopping")
            await health.drain()
    log.info("worker_stopped")


if __name__ == "__main__":
    worker_settings = load(WorkerSettings, "worker")
    require_keys("worker", worker_settings.codec, worker_settings.environment == "development")
    start_tracing("worker", load(TracingSettings, "worker"))
    configure_logging("worker", worker_settings.log_level, worker_settings.log_json)
    try:
        asyncio.run(main(worker_settings))
    finally:
        stop_tracing()
