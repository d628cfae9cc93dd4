"""An order paid by a link (endless aisle) on the time-skipping server, against the real
services: it waits AWAITING_PAYMENT with its stock reserved and nothing authorized; a declined
card is refused and the link still works; paid, it goes on as any order (picked at the shelf, or
its transfer started only then); unpaid when the link lapses, or cancelled first, the stock goes
back and nothing was charged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from tests.workflows.ops_support import (
    LAMP_SKU,
    refusal_of,
    task_failures,
    timeline,
    updates_accepted,
)
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.contracts.operations import ForceCancelInput, ResendNotificationInput
from workflows.contracts.orders import (
    ConfirmPickupInput,
    MarkPickedInput,
    PayInput,
    PaymentLink,
    PlaceOrderInput,
)
from workflows.order.workflow import OrderWorkflow

CODE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
WINDOW = timedelta(hours=24)


async def by_link(env: WorkflowEnvironment, **overrides: object) -> PlaceOrderInput:
    """An order an associate placed for the customer, to be paid by the link sent to them."""
    due = await env.get_current_time() + WINDOW
    link = PaymentLink(CODE, f"http://localhost:8088/#/pay/x/{CODE}", due)
    fields: dict[str, object] = {
        "channel": "STORE",
        "payment_method": "",
        "payment_link": link,
        "placed_by_associate": "Sam",
        "placed_by_terminal": "terminal-001-a",
    }
    return an_order(**{**fields, **overrides})


def payments(order: orders_pb2.Order) -> list[tuple[str, str]]:
    return [
        (
            orders_pb2.PaymentOperation.Name(p.operation).removeprefix("PAYMENT_OPERATION_"),
            orders_pb2.PaymentStatus.Name(p.status).removeprefix("PAYMENT_STATUS_"),
        )
        for p in order.payments
    ]


async def test_an_order_paid_by_link_waits_with_its_stock_and_goes_on_once_paid(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    handle, decision = await place(env, await by_link(env))
    assert decision.accepted
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_AWAITING_PAYMENT
    assert record.payment_due_time.seconds > 0
    assert payments(record) == []
    assert (await services.stock("STORE-001", "TSHIRT-WHT-M")).reserved == before.reserved + 2
    assert await services.template_sent(decision.order_id, "PAYMENT_LINK")

    wrong = handle.execute_update(OrderWorkflow.pay, PayInput("pay-0001", "0" * 32, "pm_card_visa"))
    assert (await refusal_of(wrong)).reason == "ORDER_NOT_FOUND"
    declined = handle.execute_update(
        OrderWorkflow.pay, PayInput("pay-0002", CODE, "pm_card_declined")
    )
    assert (await refusal_of(declined)).reason == "PAYMENT_DECLINED"
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_AWAITING_PAYMENT
    assert payments(record) == [("AUTHORIZE", "DECLINED")]

    await env.sleep(timedelta(hours=3))
    status = await handle.execute_update(
        OrderWorkflow.pay, PayInput("pay-0003", CODE, "pm_card_visa")
    )
    assert status.state == "AWAITING_PICK"
    again = await handle.execute_update(
        OrderWorkflow.pay, PayInput("pay-0003", CODE, "pm_card_visa")
    )
    assert again.state == "AWAITING_PICK"  # a repeat answers as the first time
    other = handle.execute_update(OrderWorkflow.pay, PayInput("pay-0004", CODE, "pm_card_visa"))
    assert (await refusal_of(other)).reason == "ORDER_NOT_AWAITING_PAYMENT"
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_AWAITING_PICK
    assert not record.HasField("payment_due_time")
    assert record.pick_deadline.ToDatetime() > (await env.get_current_time()).replace(tzinfo=None)
    accepted = [e for e in record.timeline if e.type == "order_accepted"]
    assert [e.client_request_id for e in accepted] == ["pay-0003"]

    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001", "t-1"))
    code = (await services.order(decision.order_id)).pickup_code
    status = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0001", code, "Ada")
    )
    assert status.state == "PICKED_UP"
    record = await services.order(decision.order_id)
    assert payments(record) == [
        ("AUTHORIZE", "DECLINED"),
        ("AUTHORIZE", "SUCCEEDED"),
        ("CAPTURE", "SUCCEEDED"),
    ]
    await handle.result()
    assert await services.templates_sent(decision.order_id) == [
        "PAYMENT_LINK",
        "ORDER_CONFIRMED",
        "READY_FOR_PICKUP",
        "ORDER_PICKED_UP",
    ]
    await keep_history(handle, "paid_by_link_picked_up")


async def test_an_unpaid_link_lapses_into_a_cancellation_with_the_stock_back(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    handle, decision = await place(env, await by_link(env))
    assert await services.template_sent(decision.order_id, "PAYMENT_LINK")
    await env.sleep(WINDOW - timedelta(minutes=1))
    assert (await services.order(decision.order_id)).state == (
        orders_pb2.ORDER_STATE_AWAITING_PAYMENT
    )

    await env.sleep(timedelta(minutes=2))
    outcome = await handle.result()
    assert (outcome.state, outcome.state_reason) == ("CANCELLED", "PAYMENT_LINK_EXPIRED")
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_CANCELLED
    assert record.state_reason == "PAYMENT_LINK_EXPIRED"
    assert ("order_cancelled", "not paid by the payment link before it lapsed") in timeline(record)
    assert payments(record) == []  # nothing was ever held
    after = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (after.on_hand, after.reserved) == (before.on_hand, before.reserved)
    assert await services.templates_sent(decision.order_id) == ["PAYMENT_LINK", "ORDER_CANCELLED"]
    await keep_history(handle, "payment_link_lapsed")


async def test_a_ship_to_store_order_paid_by_link_starts_its_transfer_only_once_paid(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, await by_link(env, lines=[LAMP]))
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_AWAITING_PAYMENT
    planned_ready_by = record.ready_by.ToDatetime()
    assert (await services.stock("STORE-001", LAMP_SKU)).in_transit == 0
    assert (await services.stock("DC-01", LAMP_SKU)).reserved >= 1

    await env.sleep(timedelta(hours=5))
    status = await handle.execute_update(
        OrderWorkflow.pay, PayInput("pay-0001", CODE, "pm_card_visa")
    )
    assert status.state == "IN_TRANSIT"
    transfer = await transfer_handle(env, decision.order_id)
    assert (await transfer.describe()).status is not None
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_IN_TRANSIT
    assert record.ready_by.ToDatetime() >= planned_ready_by + timedelta(hours=5)
    await handle.execute_update(OrderWorkflow.force_cancel, ForceCancelInput("fc-0001-x", "test"))
    await handle.result()


async def test_operations_resend_the_link_and_cancel_an_order_awaiting_payment(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    handle, decision = await place(env, await by_link(env))
    resend = ResendNotificationInput("resend-0001", "payment_link", "customer lost it", "ops-anna")
    status = await handle.execute_update(OrderWorkflow.resend_notification, resend)
    assert status.state == "AWAITING_PAYMENT"
    confirm = ResendNotificationInput("resend-0002", "order_confirmed", "asked", "ops-anna")
    refused = await refusal_of(handle.execute_update(OrderWorkflow.resend_notification, confirm))
    assert refused.reason == "MESSAGE_NOT_DUE"

    status = await handle.execute_update(
        OrderWorkflow.force_cancel, ForceCancelInput("fc-0001-y", "customer changed their mind")
    )
    assert (status.state, status.state_reason) == ("CANCELLED", "CANCELLED_BY_OPERATIONS")
    late = handle.execute_update(OrderWorkflow.pay, PayInput("pay-0001", CODE, "pm_card_visa"))
    assert (await refusal_of(late)).reason == "ORDER_NOT_AWAITING_PAYMENT"
    after = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (after.on_hand, after.reserved) == (before.on_hand, before.reserved)
    await handle.result()
    assert payments(await services.order(decision.order_id)) == []
    sent = await services.templates_sent(decision.order_id)
    assert sent == ["PAYMENT_LINK", "PAYMENT_LINK", "ORDER_CANCELLED"]
    assert await updates_accepted(handle) == ["accept", "resend_notification", "force_cancel"]
    await keep_history(handle, "payment_link_resent_then_force_cancelled")


async def test_a_cancel_request_from_the_temporal_ui_cancels_an_order_awaiting_payment(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, await by_link(env))
    await handle.cancel()
    outcome = await handle.result()
    assert (outcome.state, outcome.state_reason) == ("CANCELLED", "CANCELLED_BY_OPERATIONS")
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_CANCELLED


async def test_a_pay_update_sent_by_hand_with_garbage_is_refused_without_a_trace(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, await by_link(env))
    garbage: list[list[Any]] = [
        [{"request_id": "hand-pay-0001", "code": CODE, "payment_method": "cash please"}],
        [{"request_id": "x", "code": CODE, "payment_method": "pm_card_visa"}],
        [{"request_id": "hand-pay-0002", "code": CODE.upper(), "payment_method": "pm_card_visa"}],
        [{"request_id": "hand-pay-0003", "code": None, "payment_method": "pm_card_visa"}],
        [{"code": CODE}],
    ]
    for args in garbage:
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update("pay", args=args)
    assert await updates_accepted(handle) == ["accept"]
    assert await task_failures(handle) == []
    status = await handle.execute_update(
        OrderWorkflow.pay, PayInput("pay-0001", CODE, "pm_card_visa")
    )
    assert status.state == "AWAITING_PICK"
    await handle.execute_update(OrderWorkflow.force_cancel, ForceCancelInput("fc-0001-z", "test"))
    assert (await services.order(decision.order_id)).state == orders_pb2.ORDER_STATE_CANCELLED
