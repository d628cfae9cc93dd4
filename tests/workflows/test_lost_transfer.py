"""A transfer that never arrives, on the time-skipping server: after its late escalation a
second deadline (24 h by default); then the order is re-routed automatically when another
source can have it ready within 3 days, otherwise operations are mailed, the customer told the
order is delayed, the order marked TransferLost, and it waits for reroute or force_cancel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from tests.workflows.ops_support import LAMP_SKU, attribute, stock_up, task_failures, timeline
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.config import WorkerSettings
from workflows.contracts import search
from workflows.contracts.operations import ForceCancelInput, RerouteInput
from workflows.contracts.transfers import ReceiveInput, ShipInput
from workflows.order.workflow import OrderWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow

LOST_AFTER = timedelta(hours=WorkerSettings().transfer_lost_after_hours)


async def past_the_second_deadline(
    env: WorkflowEnvironment, handle: WorkflowHandle[OrderWorkflow, Any]
) -> None:
    """Sleeps through the late escalation (ready-by plus 4 h grace), then the lost deadline."""
    ready_by = (await handle.query(OrderWorkflow.state)).ready_by
    assert ready_by is not None
    await env.sleep(ready_by - await env.get_current_time() + timedelta(hours=4, minutes=1))
    late = await handle.query(OrderWorkflow.state)
    assert late.transfer_late and not late.transfer_lost
    assert [a.location_id for a in late.allocations] == ["DC-01"]  # late, not lost yet
    await env.sleep(LOST_AFTER + timedelta(minutes=1))


async def test_a_lost_transfer_is_rerouted_automatically_when_another_source_can_promise(
    env: WorkflowEnvironment, services: Services
) -> None:
    dc_before = await services.stock("DC-01", LAMP_SKU)
    handle, decision = await place(env, an_order(lines=[LAMP]))
    await stock_up(services, "STORE-002", LAMP_SKU, 3)
    first_ready_by = (await handle.query(OrderWorkflow.state)).ready_by
    await past_the_second_deadline(env, handle)

    status = await handle.query(OrderWorkflow.state)
    assert status.state == "IN_TRANSIT"
    assert [(a.location_id, a.quantity) for a in status.allocations] == [("STORE-002", 1)]
    assert status.ready_by is not None and first_ready_by is not None
    assert status.ready_by > first_ready_by
    assert (await services.stock("DC-01", LAMP_SKU)).reserved == dc_before.reserved
    record = await services.order(decision.order_id)
    rerouted = [d for e, d in timeline(record) if e == "order_rerouted"]
    assert len(rerouted) == 1 and "automatically" in rerouted[0] and "lost" in rerouted[0]
    assert "ORDER_REROUTED" in await services.templates_sent(decision.order_id)
    assert (await (await transfer_handle(env, decision.order_id, 1)).result()).state == "CANCELLED"

    new = await transfer_handle(env, decision.order_id, 2)
    await new.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-lost-01"))
    await new.execute_update(ShipToStoreWorkflow.receive, ReceiveInput("recv-lost-01", "t"))
    for _ in range(50):
        if (await handle.query(OrderWorkflow.state)).state == "AWAITING_PICK":
            break
        await env.sleep(timedelta(seconds=1))
    assert (await handle.query(OrderWorkflow.state)).state == "AWAITING_PICK"
    assert await task_failures(handle) == []


async def test_with_no_other_source_operations_decide_and_the_customer_is_told(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[LAMP]))
    await services.drain("DC-01", LAMP_SKU)  # the DC holds only this order's lamp now
    await past_the_second_deadline(env, handle)

    status = await handle.query(OrderWorkflow.state)
    assert (status.state, status.transfer_lost) == ("IN_TRANSIT", True)
    assert await attribute(handle, search.TRANSFER_LOST) is True
    sent = await services.templates_sent(decision.order_id)
    assert "TRANSFER_LOST" in sent and "ORDER_UNDER_REVIEW" in sent
    record = await services.order(decision.order_id)
    assert any(e == "transfer_lost" and "operations" in d for e, d in timeline(record))

    await stock_up(services, "STORE-003", LAMP_SKU, 2)  # operations found one
    request = RerouteInput("reroute-lost-1", "found one at Oost", source_id="STORE-003")
    status = await handle.execute_update(OrderWorkflow.reroute, request)
    assert (status.state, status.transfer_lost) == ("IN_TRANSIT", False)
    assert await attribute(handle, search.TRANSFER_LOST) is False
    assert (await services.stock("STORE-003", LAMP_SKU)).reserved == 1


async def test_a_lost_transfer_waiting_for_operations_can_be_force_cancelled(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[LAMP]))
    await services.drain("DC-01", LAMP_SKU)
    await past_the_second_deadline(env, handle)
    assert (await handle.query(OrderWorkflow.state)).transfer_lost
    request = ForceCancelInput("fc-lost-0001", "nothing left anywhere")
    status = await handle.execute_update(OrderWorkflow.force_cancel, request)
    assert status.state == "CANCELLED"
    assert (await services.stock("DC-01", LAMP_SKU)).reserved == 0
    assert (await services.stock("STORE-001", LAMP_SKU)).in_transit == 0
    await handle.result()
    assert (await services.templates_sent(decision.order_id))[-1] == "ORDER_CANCELLED"
    await keep_history(handle, "lost_transfer_force_cancelled")


async def test_a_transfer_stopped_by_hand_is_rerouted_like_a_lost_one(
    env: WorkflowEnvironment, services: Services
) -> None:
    """`cancel` sent to a transfer from the Temporal UI (with any input) stops it; the order
    does not take it as arrived: it re-routes the units (or asks operations)."""
    handle, decision = await place(env, an_order(lines=[LAMP]))
    await stock_up(services, "STORE-002", LAMP_SKU, 3)
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.signal("cancel", args=[{"by": "someone"}, 42])
    assert (await transfer.result()).state == "CANCELLED"
    for _ in range(50):
        status = await handle.query(OrderWorkflow.state)
        if status.allocations[0].location_id == "STORE-002":
            break
        await env.sleep(timedelta(seconds=1))
    assert status.state == "IN_TRANSIT"
    assert [(a.location_id, a.quantity) for a in status.allocations] == [("STORE-002", 1)]
    dc = await services.stock("DC-01", LAMP_SKU)
    assert dc.reserved == 0
    assert (await services.stock("STORE-001", LAMP_SKU)).in_transit == 1  # the new one only
    assert await task_failures(transfer) == []
