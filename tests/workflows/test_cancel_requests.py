"""What a cancel request (the Temporal UI's "Request Cancellation") does to each workflow, on the
time-skipping server against the real services: an order compensates like CancelOrder by
operations; transfers, returns and till sales run on and note the request on the timeline."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from services.common.ids import order_id_for
from tests.support.services import Services
from tests.workflows.conftest import TASK_QUEUE, an_order, keep_history, place
from tests.workflows.returns_support import a_return, collected_order, operations, start_return
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.contracts.ids import order_workflow_id, sale_workflow_id
from workflows.contracts.orders import MarkPickedInput, OrderLineInput, request_fingerprint
from workflows.contracts.returns import MAIL, ReceiveReturnInput, ReturnItemInput
from workflows.contracts.transfers import ReceiveInput, ShipInput
from workflows.order.workflow import OrderWorkflow
from workflows.returns.workflow import ReturnWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow
from workflows.store_sale.workflow import StoreSaleWorkflow

HEADPHONES = OrderLineInput("HEADPHONES-X1", "Wireless headphones X1", 1, 14999)


def events(order: orders_pb2.Order) -> list[str]:
    return [event.type for event in order.timeline]


async def test_a_cancel_request_on_an_order_compensates_like_cancel_order_by_operations(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[HEADPHONES]))
    await handle.cancel()
    await handle.cancel()  # a second request cannot cut the compensation short
    outcome = await handle.result()
    assert (outcome.state, outcome.state_reason) == ("CANCELLED", "CANCELLED_BY_OPERATIONS")
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_CANCELLED
    assert record.state_reason == "CANCELLED_BY_OPERATIONS"
    assert operations(record) == ["AUTHORIZE", "VOID"]
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 0
    assert (await services.templates_sent(decision.order_id))[-1] == "ORDER_CANCELLED"
    await keep_history(handle, "cancel_requested")


async def test_a_cancel_request_before_the_answer_refuses_the_order_and_undoes_everything(
    env: WorkflowEnvironment, services: Services
) -> None:
    order = an_order(lines=[HEADPHONES])
    handle = await env.client.start_workflow(
        OrderWorkflow.run, order, id=order_workflow_id(order.order_id), task_queue=TASK_QUEUE
    )
    await handle.cancel()
    decision = await handle.execute_update(OrderWorkflow.accept, request_fingerprint(order))
    if decision.accepted:  # the request came after the answer: cancelled like any order
        assert (await handle.result()).state_reason == "CANCELLED_BY_OPERATIONS"
    else:
        assert decision.reason == "ORDER_CANCELLED"
        assert (await handle.result()).state == "CANCELLED"
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 0
    assert operations(await services.order(order.order_id)) == ["AUTHORIZE", "VOID"]


async def test_a_request_id_used_again_for_another_basket_is_refused(
    env: WorkflowEnvironment,
) -> None:
    handle, decision = await place(env, an_order())
    assert decision.accepted
    other = an_order(order_id=decision.order_id, lines=[HEADPHONES])
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(OrderWorkflow.accept, request_fingerprint(other))
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "REQUEST_ID_REUSED"


async def test_a_cancel_request_on_a_transfer_is_noted_and_the_transfer_goes_on(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[LAMP]))
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.cancel()
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-c-1"))
    received = await transfer.execute_update(
        ShipToStoreWorkflow.receive, ReceiveInput("recv-c-1", "t")
    )
    assert received.state == "RECEIVED"
    await handle.execute_update(OrderWorkflow.transfer_received, transfer.id)
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_AWAITING_PICK
    assert "cancel_ignored" in events(record)
    status = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-c-1"))
    assert status.state == "READY_FOR_PICKUP"
    await keep_history(transfer, "transfer_cancel_ignored")


async def test_a_cancel_request_on_a_mail_return_is_noted_and_the_parcel_still_refunded(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    handle, decision = await start_return(
        env, a_return(order_id, MAIL, ReturnItemInput("TSHIRT-WHT-M", 1))
    )
    assert decision.accepted
    await handle.cancel()
    parcel = ReceiveReturnInput(
        "parcel-c-1", "DC-01", [ReturnItemInput("TSHIRT-WHT-M", 1, "RESELLABLE")], "dc"
    )
    status = await handle.execute_update(ReturnWorkflow.receive, parcel)
    assert status.state == "REFUNDED"
    assert "return_cancel_ignored" in events(await services.order(order_id))


async def test_a_cancel_request_on_a_till_sale_lets_it_finish(
    env: WorkflowEnvironment, services: Services
) -> None:
    sale = an_order(
        order_id=order_id_for("anonymous", "till-c-0001"),
        customer_id="anonymous",
        customer_email="",
        channel="STORE",
        receipt_number="R-CANCEL-1",
    )
    handle = await env.client.start_workflow(
        StoreSaleWorkflow.run, sale, id=sale_workflow_id(sale.order_id), task_queue=TASK_QUEUE
    )
    await handle.cancel()
    decision = await handle.result()
    assert decision.accepted
    record = await services.order(sale.order_id)
    assert record.state == orders_pb2.ORDER_STATE_PICKED_UP
    assert operations(record) == ["AUTHORIZE", "CAPTURE"]
