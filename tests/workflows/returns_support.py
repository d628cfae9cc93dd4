"""Building blocks for return and money tests on the time-skipping server."""

from __future__ import annotations

import uuid
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from services.common.ids import return_id_for
from tests.support.services import Services
from tests.workflows.conftest import TASK_QUEUE, an_order, place
from workflows.contracts.ids import return_workflow_id
from workflows.contracts.orders import ConfirmPickupInput, MarkPickedInput, OrderLineInput
from workflows.contracts.returns import ReturnDecision, ReturnInput, ReturnItemInput, ReturnStatus
from workflows.order.workflow import OrderWorkflow
from workflows.returns.workflow import ReturnWorkflow

TSHIRTS = OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 2, 1999)


def operations(order: orders_pb2.Order) -> list[str]:
    return [
        orders_pb2.PaymentOperation.Name(p.operation).removeprefix("PAYMENT_OPERATION_")
        for p in order.payments
    ]


async def picked_order(env: WorkflowEnvironment, **overrides: Any) -> tuple[Any, str]:
    """An accepted order, picked and waiting at the counter: (handle, order id)."""
    handle, decision = await place(env, an_order(**overrides))
    assert decision.accepted, decision
    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001"))
    return handle, decision.order_id


async def collected_order(
    env: WorkflowEnvironment, services: Services, lines: list[OrderLineInput] | None = None
) -> str:
    """An order handed over at STORE-001 (the return window starts now)."""
    handle, order_id = await picked_order(env, lines=lines or [TSHIRTS])
    code = (await services.order(order_id)).pickup_code
    await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0001", code, "Ada")
    )
    return order_id


def a_return(order_id: str, method: str, *items: ReturnItemInput, **fields: Any) -> ReturnInput:
    return ReturnInput(
        return_id=return_id_for(order_id, uuid.uuid4().hex),
        order_id=order_id,
        customer_id="cust-1001",
        customer_email="ada@example.com",
        method=method,
        items=list(items),
        **fields,
    )


async def start_return(
    env: WorkflowEnvironment, ret: ReturnInput
) -> tuple[WorkflowHandle[ReturnWorkflow, ReturnStatus], ReturnDecision]:
    handle = await env.client.start_workflow(
        ReturnWorkflow.run, ret, id=return_workflow_id(ret.return_id), task_queue=TASK_QUEUE
    )
    return handle, await handle.execute_update(ReturnWorkflow.decision_made)
