"""Extending the pickup window (extend_pickup) on the time-skipping server, against the real
services: the running wait honours the new deadline to the minute, the reminder moves with it,
a customer extends once by the store's days, operations by the days they choose (sent the way
the Temporal UI and `temporal workflow update execute` send it: the update's name and JSON)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from tests.workflows.returns_support import TSHIRTS, picked_order
from workflows.contracts.orders import ConfirmPickupInput, ExtendPickupInput, OrderStatus
from workflows.order.workflow import OrderWorkflow

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


async def sleep_until(env: WorkflowEnvironment, moment: object) -> None:
    await env.sleep(moment - await env.get_current_time())  # type: ignore[operator]


async def updates_taken(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """The updates the workflow accepted (a validator's refusal leaves none in the history)."""
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    return [
        e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
        for e in (await handle.fetch_history()).events
        if e.event_type == accepted
    ]


async def refusal_of(
    handle: WorkflowHandle[OrderWorkflow, object], request: object
) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await handle.execute_update(OrderWorkflow.extend_pickup, request)  # type: ignore[arg-type]
    assert isinstance(failed.value.cause, ApplicationError)
    return failed.value.cause


async def test_a_customer_extension_moves_the_expiry_and_the_reminder_exactly(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, order_id = await picked_order(env, lines=[TSHIRTS])
    placed = (await handle.query(OrderWorkflow.state)).pickup_expire_time
    assert placed is not None

    status = await handle.execute_update(
        OrderWorkflow.extend_pickup, ExtendPickupInput("extend-0001", 0, "customer")
    )
    expires = placed + timedelta(days=3)  # the store's days (the demo stores keep the default)
    assert status.pickup_expire_time == expires
    record = await services.order(order_id)
    assert record.pickup_expire_time.ToDatetime(tzinfo=expires.tzinfo) == expires
    assert (record.pickup_extensions, record.timeline[-1].type) == (1, "pickup_extended")
    assert record.timeline[-1].client_request_id == "extend-0001"
    again = await handle.execute_update(
        OrderWorkflow.extend_pickup, ExtendPickupInput("extend-0001", 0, "customer")
    )
    assert again.pickup_expire_time == expires  # a repeat: the first answer, not 3 days more
    second = await refusal_of(handle, ExtendPickupInput("extend-0002", 0, "customer"))
    assert second.type == "PICKUP_ALREADY_EXTENDED"

    await sleep_until(env, placed + MINUTE)  # the old deadline passed: still at the counter
    assert (await handle.query(OrderWorkflow.state)).state == "READY_FOR_PICKUP"
    assert "PICKUP_REMINDER" not in await services.templates_sent(order_id)
    await sleep_until(env, expires - DAY + MINUTE)
    assert (await services.templates_sent(order_id)).count("PICKUP_REMINDER") == 1
    await sleep_until(env, expires - MINUTE)
    assert (await handle.query(OrderWorkflow.state)).state == "READY_FOR_PICKUP"
    await sleep_until(env, expires + MINUTE)
    outcome = await handle.result()
    assert (outcome.state, outcome.state_reason) == ("EXPIRED", "PICKUP_WINDOW_EXPIRED")
    assert (await services.templates_sent(order_id)).count("PICKUP_REMINDER") == 1
    await keep_history(handle, "extended_then_expired")


async def test_operations_extend_by_the_days_they_choose_after_the_reminder_went_out(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, order_id = await picked_order(env, lines=[TSHIRTS])
    placed = (await handle.query(OrderWorkflow.state)).pickup_expire_time
    assert placed is not None
    await sleep_until(env, placed - DAY + MINUTE)
    assert (await services.templates_sent(order_id)).count("PICKUP_REMINDER") == 1

    raw = env.client.get_workflow_handle(handle.id)  # as the Temporal UI / CLI send it
    answer = await raw.execute_update(
        "extend_pickup", {"request_id": "ops-extend-0001", "days": 2}, result_type=OrderStatus
    )
    expires = placed + timedelta(days=2)
    assert answer.pickup_expire_time == expires
    record = await services.order(order_id)
    assert "(operations)" in record.timeline[-1].detail
    too_long = await refusal_of(handle, ExtendPickupInput("ops-extend-0002", 15))
    assert too_long.type == "INVALID_REQUEST" and "days" in too_long.details[0]["violations"]

    await sleep_until(env, expires - DAY + MINUTE)  # a new reminder for the new deadline
    assert (await services.templates_sent(order_id)).count("PICKUP_REMINDER") == 2
    code = (await services.order(order_id)).pickup_code
    done = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-late-1", code, "Ada")
    )
    assert done.state == "PICKED_UP"
    assert (await services.order(order_id)).state == orders_pb2.ORDER_STATE_PICKED_UP
    await keep_history(handle, "extended_by_operations_then_picked_up")


async def test_an_order_not_at_the_counter_cannot_be_extended_and_nothing_enters_history(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[TSHIRTS]))
    refused = await refusal_of(handle, ExtendPickupInput("extend-early-1", 0, "customer"))
    assert refused.type == "ORDER_NOT_READY"
    assert refused.details[0]["metadata"]["state"] == "AWAITING_PICK"
    assert await updates_taken(handle) == ["accept"]
    assert (await services.order(decision.order_id)).pickup_extensions == 0
