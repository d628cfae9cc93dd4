"""Returns on the time-skipping server, against the real services: goods come back at any
store or by mail, money follows them, an RMA lapses on its own."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import keep_history
from tests.workflows.returns_support import (
    a_return,
    collected_order,
    operations,
    start_return,
)
from workflows.contracts.returns import IN_STORE, MAIL, ReceiveReturnInput, ReturnItemInput
from workflows.returns.workflow import ReturnWorkflow

ONE_RESELLABLE = ReturnItemInput("TSHIRT-WHT-M", 1, "RESELLABLE")


async def test_online_order_returned_at_another_store_restocks_there_and_refunds(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    before = await services.stock("STORE-002", "TSHIRT-WHT-M")

    ret = a_return(order_id, IN_STORE, ONE_RESELLABLE, receiving_location_id="STORE-002")
    handle, decision = await start_return(env, ret)

    assert decision.accepted
    status = await handle.result()
    assert status.state == "REFUNDED"
    after = await services.stock("STORE-002", "TSHIRT-WHT-M")
    assert after.on_hand == before.on_hand + 1
    order = await services.order(order_id)
    assert operations(order) == ["AUTHORIZE", "CAPTURE", "REFUND"]
    refund = order.payments[-1]
    assert (refund.amount.amount_minor, refund.return_id) == (1999, ret.return_id)
    assert [r.state for r in order.returns] == [orders_pb2.RETURN_STATE_REFUNDED]
    assert order.lines[0].returned_quantity == 1
    assert "RETURN_REFUNDED" in await services.templates_sent(order_id)
    await keep_history(handle, "return_in_store")


async def test_damaged_return_is_written_off_and_still_refunded(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    before = await services.stock("STORE-003", "TSHIRT-WHT-M")
    damaged = ReturnItemInput("TSHIRT-WHT-M", 2, "DAMAGED")

    handle, decision = await start_return(
        env, a_return(order_id, IN_STORE, damaged, receiving_location_id="STORE-003")
    )

    assert decision.accepted
    assert (await handle.result()).state == "REFUNDED"
    assert (await services.stock("STORE-003", "TSHIRT-WHT-M")).on_hand == before.on_hand
    order = await services.order(order_id)
    assert order.payments[-1].amount.amount_minor == 2 * 1999


async def test_returning_more_than_was_handed_over_is_refused_and_nothing_recorded(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    three = ReturnItemInput("TSHIRT-WHT-M", 3, "RESELLABLE")

    handle, decision = await start_return(
        env, a_return(order_id, IN_STORE, three, receiving_location_id="STORE-002")
    )

    assert (decision.accepted, decision.reason) == (False, "QUANTITY_NOT_RETURNABLE")
    assert (await handle.result()).state == "REJECTED"
    order = await services.order(order_id)
    assert list(order.returns) == []
    assert operations(order) == ["AUTHORIZE", "CAPTURE"]


async def test_mail_return_is_authorized_then_refunded_when_the_dc_receives_it(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    before = await services.stock("DC-01", "TSHIRT-WHT-M")
    handle, decision = await start_return(
        env, a_return(order_id, MAIL, ReturnItemInput("TSHIRT-WHT-M", 1))
    )
    assert decision.accepted
    status = await handle.query(ReturnWorkflow.state)
    assert status.state == "AUTHORIZED" and status.rma_number.startswith("RMA-")
    assert await services.template_sent(order_id, "RETURN_AUTHORIZED")

    await env.sleep(timedelta(days=3))
    parcel = ReceiveReturnInput("parcel-0001", "DC-01", [ONE_RESELLABLE], "dc-dock-1")
    status = await handle.execute_update(ReturnWorkflow.receive, parcel)

    assert status.state == "REFUNDED"
    assert (await services.stock("DC-01", "TSHIRT-WHT-M")).on_hand == before.on_hand + 1
    assert operations(await services.order(order_id))[-1] == "REFUND"
    assert (await handle.result()).state == "REFUNDED"
    assert operations(await services.order(order_id)).count("REFUND") == 1
    await keep_history(handle, "return_by_mail")


async def test_rma_lapses_when_the_parcel_never_arrives_and_the_units_are_returnable_again(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    handle, decision = await start_return(
        env, a_return(order_id, MAIL, ReturnItemInput("TSHIRT-WHT-M", 2), rma_valid_days=14)
    )
    assert decision.accepted
    assert (await services.order(order_id)).lines[0].returned_quantity == 2

    await env.sleep(timedelta(days=14, minutes=1))

    status = await handle.result()
    assert (status.state, status.state_reason) == ("EXPIRED", "RMA_LAPSED")
    order = await services.order(order_id)
    assert order.lines[0].returned_quantity == 0
    assert [r.state for r in order.returns] == [orders_pb2.RETURN_STATE_EXPIRED]
    assert operations(order) == ["AUTHORIZE", "CAPTURE"]
    assert "RETURN_EXPIRED" in await services.templates_sent(order_id)
    again = a_return(order_id, IN_STORE, ONE_RESELLABLE, receiving_location_id="STORE-001")
    assert (await start_return(env, again))[1].accepted
    await keep_history(handle, "return_rma_expired")
