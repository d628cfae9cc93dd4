"""The worker process (`python -m workflows.worker`): order workflows and their activities."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from temporalio.client import Client
from temporalio.worker import Worker

from clickcollect.inventory.v1 import inventory_pb2_grpc
from clickcollect.notifications.v1 import notifications_pb2_grpc
from clickcollect.orders.v1 import orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.clients import channel
from services.common.logging import configure_logging
from workflows.config import WorkerSettings
from workflows.order.activities import OrderActivities
from workflows.order.workflow import OrderWorkflow

log = structlog.get_logger("worker")
WORKFLOWS = [OrderWorkflow]


@asynccontextmanager
async def order_activities(settings: WorkerSettings) -> AsyncIterator[OrderActivities]:
    """Activities wired to our services over gRPC; channels closed on exit."""
    channels = [
        channel(target)
        for target in (
            settings.stores_target,
            settings.inventory_target,
            settings.orders_target,
            settings.notifications_target,
        )
    ]
    stores, inventory, orders, notifications = channels
    try:
        yield OrderActivities(
            stores_pb2_grpc.StoreServiceStub(stores),
            inventory_pb2_grpc.InventoryServiceStub(inventory),
            orders_pb2_grpc.OrderServiceStub(orders),
            notifications_pb2_grpc.NotificationServiceStub(notifications),
            settings.operations_email,
        )
    finally:
        for open_channel in channels:
            await open_channel.close(None)


def build_worker(client: Client, activities: OrderActivities, task_queue: str) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities.all(),
        max_concurrent_activities=100,
    )


async def main(settings: WorkerSettings) -> None:
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    async with order_activities(settings) as activities:
        worker = build_worker(client, activities, settings.task_queue)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with worker:
            log.info("worker_started", task_queue=settings.task_queue)
            await stop.wait()
            log.info("worker_stopping")
    log.info("worker_stopped")


if __name__ == "__main__":
    worker_settings = WorkerSettings()
    configure_logging("worker", worker_settings.log_level, worker_settings.log_json)
    asyncio.run(main(worker_settings))
