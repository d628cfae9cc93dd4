"""Ship-to-store on the time-skipping server, against the real services: routing, transfers,
late escalation, short picks."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from temporalio.client import WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from workflows.contracts.ids import transfer_id
from workflows.contracts.orders import (
    ConfirmPickupInput,
    MarkPickedInput,
    MissingLineInput,
    OrderLineInput,
)
from workflows.contracts.transfers import ReceiveInput, ShipInput, TransferStatus
from workflows.order.workflow import OrderWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow

LAMP = OrderLineInput("LAMP-DESK-01", "Desk lamp", 1, 3999)  # only the DC has lamps


async def transfer_handle(
    env: WorkflowEnvironment, order_id: str, number: int = 1
) -> WorkflowHandle[ShipToStoreWorkflow, TransferStatus]:
    """The order's transfer, once the order workflow has started it (just after accepting)."""
    handle = env.client.get_workflow_handle_for(
        ShipToStoreWorkflow.run, transfer_id(order_id, number)
    )
    deadline = time.monotonic() + 30  # a loaded machine may take seconds to start it
    while time.monotonic() < deadline:
        try:
            await handle.describe()
            return handle
        except RPCError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"transfer {number} of {order_id} never started")


async def test_an_empty_shelf_ships_from_the_dc_and_the_order_is_collected(
    env: WorkflowEnvironment, services: Services
) -> None:
    dc_before = await services.stock("DC-01", "LAMP-DESK-01")
    handle, decision = await place(env, an_order(lines=[LAMP]))
    assert decision.accepted
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_IN_TRANSIT
    assert record.fulfillment_type == orders_pb2.FULFILLMENT_TYPE_SHIP_TO_STORE
    assert [(a.location_id, a.quantity) for a in record.lines[0].allocations] == [("DC-01", 1)]
    assert any(c.location_id == "DC-01" and c.verdict == "CHOSEN" for c in record.route_explanation)
    transfer = await transfer_handle(env, decision.order_id)
    for _ in range(50):
        if (await services.stock("STORE-001", "LAMP-DESK-01")).in_transit == 1:
            break
        await asyncio.sleep(0.05)
    assert (await services.stock("STORE-001", "LAMP-DESK-01")).in_transit == 1

    shipped = await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-0001", "dc"))
    assert shipped.state == "SHIPPED"
    received = await transfer.execute_update(
        ShipToStoreWorkflow.receive, ReceiveInput("receive-0001", "terminal-001")
    )
    assert received.state == "RECEIVED"
    status = await handle.query(OrderWorkflow.state)
    for _ in range(50):
        if status.state == "AWAITING_PICK":
            break
        await env.sleep(timedelta(seconds=1))
        status = await handle.query(OrderWorkflow.state)
    assert status.state == "AWAITING_PICK"
    store = await services.stock("STORE-001", "LAMP-DESK-01")
    assert (store.on_hand, store.reserved, store.in_transit) == (1, 1, 0)
    assert (await services.stock("DC-01", "LAMP-DESK-01")).on_hand == dc_before.on_hand - 1

    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-s2s-1"))
    code = (await services.order(decision.order_id)).pickup_code
    done = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-s2s-1", code, "Ada")
    )
    assert done.state == "PICKED_UP"
    store = await services.stock("STORE-001", "LAMP-DESK-01")
    assert (store.on_hand, store.reserved) == (0, 0)
    await keep_history(handle, "ship_to_store_picked_up")
    await keep_history(transfer, "transfer_received")


async def test_a_transfer_later_than_promised_escalates_once(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[LAMP]))
    ready_by = (await handle.query(OrderWorkflow.state)).ready_by
    assert ready_by is not None
    await env.sleep(ready_by - await env.get_current_time() + timedelta(hours=5))
    record = await services.order(decision.order_id)
    assert record.transfer_late
    assert record.shipments[0].late
    assert (await handle.query(OrderWorkflow.state)).transfer_late
    assert (await services.templates_sent(decision.order_id)).count(
        "TRANSFER_LATE"
    ) == 2  # ops + store
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-late-1"))
    await transfer.execute_update(ShipToStoreWorkflow.receive, ReceiveInput("recv-late-1", "t"))
    assert (await services.templates_sent(decision.order_id)).count(
        "TRANSFER_LATE"
    ) == 2  # ops + store
    await keep_history(transfer, "transfer_late_then_received")


async def test_cancel_in_transit_releases_the_source_and_stops_the_transfer(
    env: WorkflowEnvironment, services: Services
) -> None:
    from workflows.contracts.orders import CancelInput

    dc_before = await services.stock("DC-01", "LAMP-DESK-01")
    handle, decision = await place(env, an_order(lines=[LAMP]))
    status = await handle.execute_update(OrderWorkflow.cancel, CancelInput("cancel-s2s-1", "no"))
    assert status.state == "CANCELLED"
    dc = await services.stock("DC-01", "LAMP-DESK-01")
    assert (dc.on_hand, dc.reserved) == (dc_before.on_hand, dc_before.reserved)
    assert (await services.stock("STORE-001", "LAMP-DESK-01")).in_transit == 0
    assert (await (await transfer_handle(env, decision.order_id)).result()).state == "CANCELLED"
    await keep_history(handle, "cancelled_in_transit")


async def test_a_short_pick_ships_the_missing_unit_in_and_tells_the_customer(
    env: WorkflowEnvironment, services: Services
) -> None:
    shirt = OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 2, 1999)
    handle, decision = await place(env, an_order(lines=[shirt]))
    shelf_before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    status = await handle.execute_update(
        OrderWorkflow.mark_picked,
        MarkPickedInput("pick-short-1", "t", [MissingLineInput("TSHIRT-WHT-M", 1, "DAMAGED")]),
    )
    assert status.state == "IN_TRANSIT"
    record = await services.order(decision.order_id)  # the answer's read shows the new route
    assert record.state == orders_pb2.ORDER_STATE_IN_TRANSIT
    [shipment] = record.shipments
    allocations = {(a.location_id, a.quantity) for a in record.lines[0].allocations}
    assert allocations == {("STORE-001", 1), (shipment.source_id, 1)}
    assert record.fulfillment_type == orders_pb2.FULFILLMENT_TYPE_SHIP_TO_STORE
    shelf = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (shelf.on_hand, shelf.reserved) == (shelf_before.on_hand - 1, shelf_before.reserved - 1)
    assert "ORDER_DELAYED" in await services.templates_sent(decision.order_id)
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-short-1"))
    await transfer.execute_update(ShipToStoreWorkflow.receive, ReceiveInput("recv-short-1", "t"))
    for _ in range(50):
        if (await handle.query(OrderWorkflow.state)).state == "AWAITING_PICK":
            break
        await env.sleep(timedelta(seconds=1))
    status = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-short-2"))
    assert status.state == "READY_FOR_PICKUP"


async def test_a_short_pick_with_no_other_source_cancels_the_line_and_releases_its_money(
    env: WorkflowEnvironment, services: Services
) -> None:
    shirt = OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 1, 1999)
    handle, decision = await place(env, an_order(lines=[shirt, LAMP]))
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-cl-1"))
    await transfer.execute_update(ShipToStoreWorkflow.receive, ReceiveInput("recv-cl-1", "t"))
    for _ in range(50):
        if (await handle.query(OrderWorkflow.state)).state == "AWAITING_PICK":
            break
        await env.sleep(timedelta(seconds=1))
    # the DC ran out of lamps meanwhile, so the damaged lamp cannot come from anywhere
    await services.drain("DC-01", "LAMP-DESK-01")
    status = await handle.execute_update(
        OrderWorkflow.mark_picked,
        MarkPickedInput("pick-cl-1", "t", [MissingLineInput("LAMP-DESK-01", 1, "DAMAGED")]),
    )
    assert status.state == "READY_FOR_PICKUP"
    record = await services.order(decision.order_id)
    lamp = next(line for line in record.lines if line.sku == "LAMP-DESK-01")
    assert lamp.cancelled_quantity == 1
    assert record.total.amount_minor == 1999
    operations = [orders_pb2.PaymentOperation.Name(p.operation) for p in record.payments]
    assert operations == ["PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_OPERATION_REVERSE"]
    assert "LINES_CANCELLED" in await services.templates_sent(decision.order_id)


async def test_a_short_pick_of_everything_with_no_other_source_cancels_the_order_cleanly(
    env: WorkflowEnvironment, services: Services
) -> None:
    scarce = OrderLineInput("HEADPHONES-X1", "Wireless headphones X1", 2, 14999)  # STORE-001 only
    handle, decision = await place(env, an_order(lines=[scarce]))
    status = await handle.execute_update(
        OrderWorkflow.mark_picked,
        MarkPickedInput("pick-none-1", "t", [MissingLineInput("HEADPHONES-X1", 2, "NOT_FOUND")]),
    )
    assert status.state == "CANCELLED"
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_CANCELLED
    operations = [orders_pb2.PaymentOperation.Name(p.operation) for p in record.payments]
    assert operations == ["PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_OPERATION_VOID"]
    shelf = await services.stock("STORE-001", "HEADPHONES-X1")
    assert (shelf.on_hand, shelf.reserved) == (8, 0)  # two written off as not found
    await handle.result()  # the customer's mail goes after the answer
    sent = await services.templates_sent(decision.order_id)
    assert "LINES_CANCELLED" in sent and sent[-1] == "ORDER_CANCELLED"
    await keep_history(handle, "short_pick_nothing_left")
