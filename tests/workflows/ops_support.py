"""Building blocks for operations' tests on the time-skipping server: stock put somewhere, the
order's timeline, refusals, search attributes and the history of a workflow."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import SearchAttributeKey
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from workflows.contracts.refusal import Refusal
from workflows.order.workflow import OrderWorkflow

LAMP_SKU = "LAMP-DESK-01"  # only the DC has lamps


async def stock_up(services: Services, location_id: str, sku: str, units: int) -> None:
    """A delivery: `units` more on the shelf at `location_id`."""
    await services.inventory.AdjustStock(
        inventory_pb2.AdjustStockRequest(
            request_id=f"delivery-{location_id}-{sku}-{units}",
            location_id=location_id,
            sku=sku,
            on_hand_delta=units,
            kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
            reason="delivery",
        )
    )


def timeline(order: orders_pb2.Order) -> list[tuple[str, str]]:
    return [(event.type, event.detail) for event in order.timeline]


async def refusal_of(update: Awaitable[Any]) -> Refusal:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await update
    assert isinstance(failed.value.cause, ApplicationError), failed.value.cause
    return Refusal.of(failed.value.cause)


async def attribute(handle: WorkflowHandle[Any, Any], key: SearchAttributeKey[Any]) -> Any:
    return (await handle.describe()).typed_search_attributes.get(key)


async def updates_accepted(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """The names of the updates the workflow took (a validator's refusal leaves none)."""
    history = await handle.fetch_history()
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    return [
        e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
        for e in history.events
        if e.event_type == accepted
    ]


async def task_failures(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """Workflow tasks that failed (a handler that crashed on its input): none, ever."""
    history = await handle.fetch_history()
    failed = EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
    return [
        e.workflow_task_failed_event_attributes.failure.message
        for e in history.events
        if e.event_type == failed
    ]


async def until_state(
    env: WorkflowEnvironment, handle: WorkflowHandle[OrderWorkflow, Any], state: str
) -> None:
    for _ in range(100):
        if (await handle.query(OrderWorkflow.state)).state == state:
            return
        await env.sleep(timedelta(seconds=1))
        await asyncio.sleep(0)
    raise AssertionError(f"never {state}: {await handle.query(OrderWorkflow.state)}")
