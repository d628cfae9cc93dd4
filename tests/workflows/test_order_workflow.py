"""The pick-up-in-store lifecycle on the time-skipping server, against the real services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from workflows.contracts.orders import (
    CancelInput,
    ConfirmPickupInput,
    MarkPickedInput,
    OrderLineInput,
)
from workflows.order.workflow import OrderWorkflow

HEADPHONES = OrderLineInput("HEADPHONES-X1", "Wireless headphones X1", 1, 14999)


def payments(order: orders_pb2.Order) -> list[str]:
    return [
        orders_pb2.PaymentOperation.Name(p.operation).removeprefix("PAYMENT_OPERATION_")
        for p in order.payments
    ]


async def test_bopis_order_goes_from_accepted_to_picked_up(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    handle, decision = await place(env, an_order())
    assert decision.accepted
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_AWAITING_PICK
    assert record.ready_by.seconds > 0
    assert (await services.stock("STORE-001", "TSHIRT-WHT-M")).reserved == before.reserved + 2

    status = await handle.execute_update(
        OrderWorkflow.mark_picked, MarkPickedInput("pick-0001", "terminal-1")
    )
    assert status.state == "READY_FOR_PICKUP"
    code = (await services.order(decision.order_id)).pickup_code
    assert len(code) == 6

    status = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0001", code, "Ada Lovelace")
    )
    assert status.state == "PICKED_UP"
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_PICKED_UP
    assert record.collected_by == "Ada Lovelace"
    assert payments(record) == ["AUTHORIZE", "CAPTURE"]
    after = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (after.on_hand, after.reserved) == (before.on_hand - 2, before.reserved)
    assert (await handle.result()).state == "PICKED_UP"  # the last mail goes after the answer
    assert await services.templates_sent(decision.order_id) == [
        "ORDER_CONFIRMED",
        "READY_FOR_PICKUP",
        "ORDER_PICKED_UP",
    ]
    await keep_history(handle, "picked_up")


async def test_order_for_more_than_the_shelf_holds_is_rejected_with_nothing_reserved(
    env: WorkflowEnvironment, services: Services
) -> None:
    eleven = OrderLineInput("HEADPHONES-X1", "Wireless headphones X1", 11, 14999)
    handle, decision = await place(env, an_order(lines=[eleven]))
    assert not decision.accepted
    assert decision.reason == "OUT_OF_STOCK"
    assert decision.metadata["sku"] == "HEADPHONES-X1"
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 0
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_REJECTED
    assert record.state_reason == "OUT_OF_STOCK"
    await keep_history(handle, "rejected_out_of_stock")


async def test_declined_card_rejects_the_order_and_gives_the_stock_back(
    env: WorkflowEnvironment, services: Services
) -> None:
    _, decision = await place(env, an_order(lines=[HEADPHONES], payment_method="pm_card_declined"))
    assert (decision.accepted, decision.reason) == (False, "PAYMENT_DECLINED")
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 0
    assert (await services.order(decision.order_id)).state == orders_pb2.ORDER_STATE_REJECTED


async def test_missed_pick_deadline_escalates_and_the_order_stays_pickable(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order())
    deadline = (await handle.query(OrderWorkflow.state)).pick_deadline
    assert deadline is not None
    await env.sleep(deadline - await env.get_current_time() + timedelta(minutes=1))
    status = await handle.query(OrderWorkflow.state)
    assert status.pick_overdue and status.state == "AWAITING_PICK"
    assert (await services.order(decision.order_id)).pick_overdue
    assert (await services.templates_sent(decision.order_id)).count(
        "PICK_OVERDUE"
    ) == 2  # ops + store
    status = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("late-pick-1"))
    assert status.state == "READY_FOR_PICKUP"
    code = (await services.order(decision.order_id)).pickup_code
    await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("late-handover-1", code, "Bo")
    )
    await keep_history(handle, "pick_overdue_then_picked_up")


async def test_uncollected_order_expires_after_the_pickup_window_and_releases_everything(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[HEADPHONES]))
    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0002"))
    await env.sleep(timedelta(days=6, hours=12))
    assert "PICKUP_REMINDER" in await services.templates_sent(decision.order_id)
    assert (await handle.query(OrderWorkflow.state)).state == "READY_FOR_PICKUP"
    await env.sleep(timedelta(days=1))
    assert (await handle.result()).state == "EXPIRED"
    record = await services.order(decision.order_id)
    assert record.state == orders_pb2.ORDER_STATE_EXPIRED
    # the 7-day hold was renewed before it lapsed (the old one voided); expiry voids the new one
    assert payments(record) == ["AUTHORIZE", "AUTHORIZE", "VOID", "VOID"]
    assert record.payments[-1].authorization_id == record.payments[1].payment_id
    stock = await services.stock("STORE-001", "HEADPHONES-X1")
    assert (stock.on_hand, stock.reserved) == (10, 0)
    assert (await services.templates_sent(decision.order_id))[-1] == "ORDER_EXPIRED"
    await keep_history(handle, "expired_after_reminder")


async def test_customer_cancel_releases_stock_voids_and_notifies(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[HEADPHONES]))
    status = await handle.execute_update(
        OrderWorkflow.cancel, CancelInput("cancel-0001", "changed my mind")
    )
    assert status.state == "CANCELLED"
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 0
    record = await services.order(decision.order_id)
    assert payments(record) == ["AUTHORIZE", "VOID"]
    await handle.result()  # the customer's mail goes after the answer
    assert (await services.templates_sent(decision.order_id))[-1] == "ORDER_CANCELLED"
    await keep_history(handle, "cancelled")


async def test_five_wrong_codes_lock_the_handover_until_operations_unlock_it(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order())
    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0003"))
    code = (await services.order(decision.order_id)).pickup_code
    wrong = "000000" if code != "000000" else "111111"
    reasons = []
    for attempt in range(5):
        with pytest.raises(WorkflowUpdateFailedError) as failed:
            await handle.execute_update(
                OrderWorkflow.confirm_pickup, ConfirmPickupInput(f"wrong-{attempt}-0", wrong, "Eve")
            )
        assert isinstance(failed.value.cause, ApplicationError)
        reasons.append(failed.value.cause.type)
    assert reasons == ["INVALID_PICKUP_CODE"] * 4 + ["PICKUP_LOCKED"]
    with pytest.raises(WorkflowUpdateFailedError) as locked:
        await handle.execute_update(
            OrderWorkflow.confirm_pickup, ConfirmPickupInput("right-00", code, "Ada")
        )
    assert (
        isinstance(locked.value.cause, ApplicationError)
        and locked.value.cause.type == "PICKUP_LOCKED"
    )
    assert (await services.order(decision.order_id)).pickup_locked

    await handle.signal(OrderWorkflow.unlock_pickup, "customer showed id")
    status = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("right-01", code, "Ada")
    )
    assert status.state == "PICKED_UP"
    await keep_history(handle, "locked_unlocked_picked_up")


async def test_picked_order_cannot_be_picked_twice_but_a_repeat_is_answered(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, _ = await place(env, an_order())
    first = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0004"))
    repeat = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0004"))
    assert first.state == repeat.state == "READY_FOR_PICKUP"
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0005"))
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "ORDER_NOT_AWAITING_PICK"


async def test_an_update_with_a_malformed_request_id_is_refused_and_changes_nothing(
    env: WorkflowEnvironment, services: Services
) -> None:
    """What an operator types by hand in the Temporal UI meets the same request_id rule as the
    gateway's callers, before the order moves."""
    handle, _ = await place(env, an_order())
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("p 1"))
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "INVALID_REQUEST"
    status = await handle.query(OrderWorkflow.state)
    assert status.state == "AWAITING_PICK"
    picked = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0006"))
    assert picked.state == "READY_FOR_PICKUP"
