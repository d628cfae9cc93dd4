"""Money over an order's life on the time-skipping server: the card hold is renewed before it
lapses, a partial pickup charges only what the customer took, a till sale is an order too."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from services.common.ids import order_id_for
from tests.support.services import Services
from tests.workflows.conftest import TASK_QUEUE, keep_history
from tests.workflows.returns_support import TSHIRTS, operations, picked_order
from workflows.contracts.ids import sale_workflow_id
from workflows.contracts.orders import (
    CollectedLineInput,
    ConfirmPickupInput,
    OrderLineInput,
    PlaceOrderInput,
)
from workflows.order.workflow import OrderWorkflow
from workflows.store_sale.workflow import StoreSaleWorkflow


async def test_hold_is_reauthorized_before_it_lapses_and_the_capture_uses_the_new_one(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, order_id = await picked_order(env, lines=[TSHIRTS])
    first = (await services.order(order_id)).payments[0]
    lifetime = first.expire_time.ToDatetime() - first.time.ToDatetime()
    assert lifetime == timedelta(hours=168)

    await env.sleep(timedelta(hours=168 - 11))

    order = await services.order(order_id)
    assert operations(order) == ["AUTHORIZE", "AUTHORIZE", "VOID"]
    renewed = order.payments[1]
    assert order.payments[2].authorization_id == first.payment_id
    assert renewed.amount.amount_minor == 2 * 1999
    await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-01", order.pickup_code, "Ada")
    )
    order = await services.order(order_id)
    assert operations(order)[-1] == "CAPTURE"
    assert order.payments[-1].authorization_id == renewed.payment_id
    await keep_history(handle, "reauthorized_then_picked_up")


async def test_partial_pickup_captures_what_was_taken_and_shelves_the_rest(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    handle, order_id = await picked_order(env, lines=[TSHIRTS])
    code = (await services.order(order_id)).pickup_code

    status = await handle.execute_update(
        OrderWorkflow.confirm_pickup,
        ConfirmPickupInput("handover-02", code, "Ada", [CollectedLineInput("TSHIRT-WHT-M", 1)]),
    )

    assert status.state == "PICKED_UP"
    order = await services.order(order_id)
    assert operations(order) == ["AUTHORIZE", "CAPTURE", "REVERSE"]
    assert [p.amount.amount_minor for p in order.payments] == [3998, 1999, 1999]
    assert (order.lines[0].cancelled_quantity, order.lines[0].cancel_reason) == (
        1,
        "NOT_COLLECTED",
    )
    after = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (after.on_hand, after.reserved) == (before.on_hand - 1, before.reserved)
    await keep_history(handle, "partial_pickup")


def a_sale(payment_method: str = "pm_card_visa", quantity: int = 2) -> PlaceOrderInput:
    return PlaceOrderInput(
        order_id=order_id_for("till.STORE-002", uuid.uuid4().hex),
        customer_id="cust-1001",
        customer_email="ada@example.com",
        channel="STORE",
        pickup_store_id="STORE-002",
        currency_code="EUR",
        payment_method=payment_method,
        lines=[OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", quantity, 1999)],
        receipt_number="R-2002-0001",
    )


async def test_till_sale_is_an_order_paid_and_handed_over_with_its_stock_gone(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-002", "TSHIRT-WHT-M")
    sale = a_sale()

    handle = await env.client.start_workflow(
        StoreSaleWorkflow.run, sale, id=sale_workflow_id(sale.order_id), task_queue=TASK_QUEUE
    )

    assert (await handle.result()).accepted
    await keep_history(handle, "store_sale")
    order = await services.order(sale.order_id)
    assert order.channel == orders_pb2.CHANNEL_STORE
    assert order.state == orders_pb2.ORDER_STATE_PICKED_UP
    assert order.receipt_number == "R-2002-0001"
    assert operations(order) == ["AUTHORIZE", "CAPTURE"]
    assert (await services.stock("STORE-002", "TSHIRT-WHT-M")).on_hand == before.on_hand - 2
    assert "STORE_SALE_RECEIPT" in await services.templates_sent(sale.order_id)


async def test_till_sale_with_a_declined_card_is_rejected_and_keeps_the_stock(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-002", "TSHIRT-WHT-M")
    sale = a_sale("pm_card_declined")

    decision = await env.client.execute_workflow(
        StoreSaleWorkflow.run, sale, id=sale_workflow_id(sale.order_id), task_queue=TASK_QUEUE
    )

    assert (decision.accepted, decision.reason) == (False, "PAYMENT_DECLINED")
    assert (await services.order(sale.order_id)).state == orders_pb2.ORDER_STATE_REJECTED
    assert (await services.stock("STORE-002", "TSHIRT-WHT-M")).on_hand == before.on_hand
