"""The yardstick: bare Temporal workflows on the same dev server as the stack, in their own
worker process (`python -m deploy.bench.reference`) and task queue.

ReferenceOrderWorkflow has the fixed shape of one pick-up-in-store order as it was when the
benchmark was written: 15 no-op activities, 3 updates (the first through update-with-start, as
PlaceOrder does) and the order's timers, set the way OrderWorkflow sets them (a timer is only
started when its condition is not already met):
  create_order, get_pickup_store, plan_route, reserve_stock, authorize_payment
  → card-hold renewal timer (runs until the money is settled)
  → record_route, plan_pickup_times, transition_order → `accept` answered → send_notification
  → pick-deadline timer; `mark_picked` → transition_order (answered), send_notification
  → pickup-window reminder timer, then expiry timer; `confirm_pickup` → capture_payment,
    commit_stock, transition_order (answered), send_notification.
It stays this shape when the product changes: every step the product drops shows as a gain.
No search attributes, no validators, no payloads beyond ids.

BareAcceptWorkflow answers its `accept` update at once (no activity): the floor under PlaceOrder.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.worker import Worker

STEP_TIMEOUT = timedelta(seconds=15)
STEP_RETRIES = RetryPolicy(maximum_interval=timedelta(seconds=10))
PICK_DEADLINE = timedelta(hours=2)
PICKUP_WINDOW = timedelta(days=7)
REMINDER_BEFORE_EXPIRY = timedelta(days=1)
HOLD_LIFETIME = timedelta(hours=168)
RENEW_AHEAD = timedelta(hours=12)


@dataclass
class ReferenceLine:
    sku: str
    quantity: int


@dataclass
class ReferenceOrder:
    order_id: str
    lines: list[ReferenceLine] = field(default_factory=list)


@dataclass
class ReferenceAnswer:
    order_id: str
    state: str


@activity.defn
async def reference_step(step: str) -> None:
    """Does nothing: what remains is Temporal's own work for one activity."""


async def _until(condition: Callable[[], bool], until: datetime) -> bool:
    """As OrderWorkflow waits: no timer when the condition already holds."""
    if condition():
        return True
    remaining = (until - workflow.now()).total_seconds()
    if remaining <= 0:
        return False
    try:
        await workflow.wait_condition(condition, timeout=remaining)
    except TimeoutError:
        return condition()
    return True


@workflow.defn
class ReferenceOrderWorkflow:
    def __init__(self) -> None:
        self.order_id = ""
        self.state = "PENDING"
        self.picked = False
        self.handed_over = False
        self.settling = False
        self.settled = False
        self.keeper: asyncio.Task[None] | None = None

    @workflow.run
    async def run(self, order: ReferenceOrder) -> ReferenceAnswer:
        self.order_id = order.order_id
        await self._steps("create_order", "get_pickup_store", "plan_route", "reserve_stock")
        await self._steps("authorize_payment")
        self.keeper = asyncio.create_task(self._keep_hold())
        await self._steps("record_route", "plan_pickup_times", "transition_order")
        self.state = "AWAITING_PICK"
        await self._steps("send_notification")
        if not await _until(lambda: self.picked, workflow.now() + PICK_DEADLINE):
            await workflow.wait_condition(lambda: self.picked)
        await self._steps("transition_order")
        self.state = "READY_FOR_PICKUP"
        expires = workflow.now() + PICKUP_WINDOW
        await self._steps("send_notification")
        await _until(lambda: self.handed_over, expires - REMINDER_BEFORE_EXPIRY)
        if not await _until(lambda: self.handed_over, expires):
            await workflow.wait_condition(lambda: self.handed_over)
        self.settling = True
        await self._steps("capture_payment", "commit_stock", "transition_order")
        self.state = "PICKED_UP"
        self.settled = True
        await self._steps("send_notification")
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._answer()

    async def _steps(self, *steps: str) -> None:
        for step in steps:
            await workflow.execute_activity(
                reference_step, step, start_to_close_timeout=STEP_TIMEOUT, retry_policy=STEP_RETRIES
            )

    async def _keep_hold(self) -> None:
        renew_at = workflow.now() + HOLD_LIFETIME - RENEW_AHEAD
        while not self.settled:
            if await _until(lambda: self.settling, renew_at):
                await workflow.wait_condition(lambda: self.settled)
            else:
                renew_at = workflow.now() + HOLD_LIFETIME - RENEW_AHEAD

    def _answer(self) -> ReferenceAnswer:
        return ReferenceAnswer(self.order_id, self.state)

    @workflow.update
    async def accept(self) -> ReferenceAnswer:
        await workflow.wait_condition(lambda: self.state != "PENDING")
        return self._answer()

    @workflow.update
    async def mark_picked(self, request_id: str) -> ReferenceAnswer:
        self.picked = True
        await workflow.wait_condition(lambda: self.state != "AWAITING_PICK")
        return self._answer()

    @workflow.update
    async def confirm_pickup(self, request_id: str) -> ReferenceAnswer:
        self.handed_over = True
        await workflow.wait_condition(lambda: self.state == "PICKED_UP")
        return self._answer()


@workflow.defn
class BareAcceptWorkflow:
    def __init__(self) -> None:
        self.answered = False

    @workflow.run
    async def run(self, order: ReferenceOrder) -> None:
        await workflow.wait_condition(lambda: self.answered)

    @workflow.update
    def accept(self) -> ReferenceAnswer:
        self.answered = True
        return ReferenceAnswer("", "ACCEPTED")


async def serve(temporal_address: str, task_queue: str) -> None:
    """Polls until SIGTERM, configured like the order worker."""
    client = await Client.connect(temporal_address)
    worker = Worker(
        client,
        task_queue=task_queue,
        workflows=[ReferenceOrderWorkflow, BareAcceptWorkflow],
        activities=[reference_step],
        max_concurrent_activities=100,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The benchmark's reference worker.")
    parser.add_argument("--temporal", default="127.0.0.1:7233")
    parser.add_argument("--task-queue", default="bench-reference")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.temporal, arguments.task_queue))
