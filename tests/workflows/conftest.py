"""Workflow tests: the order workflow on Temporal's time-skipping test server, its activities
calling the real services over gRPC on loopback."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from deploy.local.stack_config import BIN
from services.common.ids import order_id_for
from services.orders.payments.provider import PaymentProvider
from tests.support.codec import with_test_key
from tests.support.databases import fresh_sqlite_url
from tests.support.services import Services, running_services
from workflows.config import WorkerSettings
from workflows.contracts import search
from workflows.contracts.ids import order_workflow_id
from workflows.contracts.orders import (
    CURRENT_VERSION,
    Decision,
    OrderLineInput,
    OrderOutcome,
    PlaceOrderInput,
    request_fingerprint,
)
from workflows.order.workflow import OrderWorkflow
from workflows.worker import all_activities, build_worker

TASK_QUEUE = "orders-test"
HISTORIES = Path(__file__).parent / "histories"


# The release the recorded histories belong to (tests/workflows/histories/<release>_<name>.json);
# raised when a change to the workflows ships, so earlier releases' histories stay and replay.
RECORDING = "v8"


async def keep_history(handle: WorkflowHandle[Any, Any], name: str) -> None:
    """With CC_RECORD_HISTORIES=1, saves the finished workflow's history for the replay test
    (done once per shipped version of the workflow; the files are committed; their payloads
    are encrypted with the test key, which the replay test has)."""
    if os.environ.get("CC_RECORD_HISTORIES") != "1":
        return
    await handle.result()
    history = await handle.fetch_history()
    (HISTORIES / f"{RECORDING}_{name}.json").write_text(history.to_json())


@pytest.fixture
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh server per test: virtual time is global to a server, and workflows left waiting
    by one test must not hold the clock for the next. Payloads are encrypted (the test key), as
    the worker and the gateway encrypt theirs."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"), data_converter=with_test_key()
    )
    await search.register(env.client)
    yield env
    await env.shutdown()


@pytest.fixture
def payment_provider() -> PaymentProvider | None:
    """What the orders service pays through: the sandbox, unless a test file overrides this
    fixture with a provider that refuses or fails on purpose."""
    return None


@pytest.fixture
async def services(
    tmp_path: Path, payment_provider: PaymentProvider | None
) -> AsyncIterator[Services]:
    async with running_services(
        lambda name: fresh_sqlite_url(tmp_path, name), tmp_path, payment_provider
    ) as running:
        yield running


@pytest.fixture
async def env(
    time_skipping: WorkflowEnvironment, services: Services
) -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping environment with a worker running against the real services."""
    settings = WorkerSettings(
        stores_target=services.targets["stores"],
        inventory_target=services.targets["inventory"],
        orders_target=services.targets["orders"],
        notifications_target=services.targets["notifications"],
    )
    async with (
        all_activities(settings) as activities,
        build_worker(time_skipping.client, activities, TASK_QUEUE),
    ):
        yield time_skipping


def an_order(**overrides: object) -> PlaceOrderInput:
    fields: dict[str, object] = {
        "order_id": order_id_for("cust-1001", uuid.uuid4().hex),
        "customer_id": "cust-1001",
        "customer_email": "ada@example.com",
        "channel": "WEB",
        "pickup_store_id": "STORE-001",
        "currency_code": "EUR",
        "payment_method": "pm_card_visa",
        "lines": [OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 2, 1999)],
        "workflow_version": CURRENT_VERSION,
    }
    fields.update(overrides)
    return PlaceOrderInput(**fields)  # type: ignore[arg-type]


async def place(
    env: WorkflowEnvironment, order: PlaceOrderInput
) -> tuple[WorkflowHandle[OrderWorkflow, OrderOutcome], Decision]:
    handle = await env.client.start_workflow(
        OrderWorkflow.run, order, id=order_workflow_id(order.order_id), task_queue=TASK_QUEUE
    )
    decision = await handle.execute_update(OrderWorkflow.accept, request_fingerprint(order))
    return handle, decision
