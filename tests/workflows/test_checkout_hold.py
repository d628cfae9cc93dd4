"""An order that converts a checkout hold (taken while the customer chose a pickup option), on
the time-skipping server against the real services."""

from __future__ import annotations

import json
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from clickcollect.stores.v1 import stores_pb2
from tests.support.inventory import new_id
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from workflows.contracts.orders import (
    CURRENT_VERSION,
    ConfirmPickupInput,
    MarkPickedInput,
    pickup_store_of,
)
from workflows.order.workflow import OrderWorkflow

STORE, SKU = "STORE-001", "TSHIRT-WHT-M"


async def a_hold(services: Services, quantity: int) -> str:
    """A checkout hold on the pickup store's shelf, for the test customer."""
    hold = inventory_pb2.ReserveRequest(
        reservation_id=new_id("hold"),
        lines=[inventory_pb2.ReservationLine(location_id=STORE, sku=SKU, quantity=quantity)],
        ttl_seconds=600,
        owner_id="cust-1001",
    )
    await services.inventory.Reserve(hold)
    return hold.reservation_id


async def steps_taken(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """The activities the order ran, in order (scheduled and local alike)."""
    steps = []
    for event in (await handle.fetch_history()).events:
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            steps.append(event.activity_task_scheduled_event_attributes.activity_type.name)
        elif event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            details = event.marker_recorded_event_attributes.details
            if "data" in details:
                steps.append(json.loads(details["data"].payloads[0].data)["activity_type"])
    return steps


@pytest.mark.parametrize(
    ("version", "store_read_again"), [(1, True), (CURRENT_VERSION, False)], ids=["v1", "current"]
)
async def test_an_order_converting_a_hold_keeps_the_pickup_store_the_checkout_read(
    env: WorkflowEnvironment, services: Services, version: int, store_read_again: bool
) -> None:
    location = await services.stores.GetLocation(stores_pb2.GetLocationRequest(location_id=STORE))
    hold_id = await a_hold(services, 2)
    before = await services.stock(STORE, SKU)
    order = an_order(
        hold_id=hold_id, store=pickup_store_of(location.location), workflow_version=version
    )
    handle, decision = await place(env, order)
    assert decision.accepted, decision
    assert (await services.stock(STORE, SKU)).reserved == before.reserved, "the hold converted"

    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-hold-1"))
    code = (await services.order(order.order_id)).pickup_code
    status = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-hold-1", code, "Ada")
    )

    assert status.state == "PICKED_UP"
    assert (await services.order(order.order_id)).state == orders_pb2.ORDER_STATE_PICKED_UP
    after = await services.stock(STORE, SKU)
    assert (after.on_hand, after.reserved) == (before.on_hand - 2, before.reserved - 2)
    steps = await steps_taken(handle)
    assert "convert_hold" in steps
    assert ("get_pickup_store" in steps) == store_read_again
    if version == CURRENT_VERSION:
        await keep_history(handle, "hold_converted_picked_up")
