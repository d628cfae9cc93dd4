"""Operations' updates on the time-skipping server, against the real services: force_cancel,
unlock (with the lock-out mail and PickupLocked), resend_notification and reroute. Each is
refused by its validator without a trace, answers with the order as it left it, lands on the
timeline with who and why, and answers a repeat of its request id the same."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from tests.workflows.ops_support import (
    LAMP_SKU,
    attribute,
    refusal_of,
    stock_up,
    task_failures,
    timeline,
    until_state,
    updates_accepted,
)
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.contracts import search
from workflows.contracts.operations import (
    ForceCancelInput,
    RerouteInput,
    ResendNotificationInput,
    UnlockInput,
)
from workflows.contracts.orders import (
    ConfirmPickupInput,
    MarkPickedInput,
    MissingLineInput,
    OrderLineInput,
)
from workflows.contracts.transfers import ReceiveInput, ShipInput
from workflows.order.workflow import OrderWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow


def payments(order: orders_pb2.Order) -> list[str]:
    return [
        orders_pb2.PaymentOperation.Name(p.operation).removeprefix("PAYMENT_OPERATION_")
        for p in order.payments
    ]


async def test_force_cancel_in_transit_releases_the_source_stops_the_transfer_and_voids(
    env: WorkflowEnvironment, services: Services
) -> None:
    dc_before = await services.stock("DC-01", LAMP_SKU)
    handle, decision = await place(env, an_order(lines=[LAMP]))
    no_reason = handle.execute_update(OrderWorkflow.force_cancel, ForceCancelInput("fc-0001-a", ""))
    refused = await refusal_of(no_reason)
    assert (refused.code.value, list(refused.violations)) == ("INVALID_ARGUMENT", ["reason"])

    status = await handle.execute_update(
        OrderWorkflow.force_cancel, ForceCancelInput("fc-0001-b", "suspected fraud", "ops-anna")
    )
    assert (status.state, status.state_reason) == ("CANCELLED", "CANCELLED_BY_OPERATIONS")
    dc = await services.stock("DC-01", LAMP_SKU)
    assert (dc.on_hand, dc.reserved) == (dc_before.on_hand, dc_before.reserved)
    assert (await services.stock("STORE-001", LAMP_SKU)).in_transit == 0
    assert (await (await transfer_handle(env, decision.order_id)).result()).state == "CANCELLED"
    record = await services.order(decision.order_id)
    assert payments(record) == ["AUTHORIZE", "VOID"]
    assert ("force_cancel_requested", "ops-anna: suspected fraud") in timeline(record)
    assert record.timeline[-1].client_request_id == "fc-0001-b"
    await handle.result()
    assert (await services.templates_sent(decision.order_id))[-1] == "ORDER_CANCELLED"
    assert await updates_accepted(handle) == ["accept", "force_cancel"]  # the refusal: no trace
    await keep_history(handle, "force_cancelled_in_transit")


async def test_a_lock_out_mails_operations_and_unlock_lets_the_counter_try_again(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order())
    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001"))
    too_early = handle.execute_update(OrderWorkflow.unlock, UnlockInput("unlock-0001", "id ok"))
    refused = await refusal_of(too_early)
    assert (refused.reason, refused.metadata["state"]) == ("PICKUP_NOT_LOCKED", "READY_FOR_PICKUP")
    code = (await services.order(decision.order_id)).pickup_code
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(5):
        await refusal_of(
            handle.execute_update(
                OrderWorkflow.confirm_pickup, ConfirmPickupInput(f"wrong-{attempt}-00", wrong, "E")
            )
        )
    assert "PICKUP_LOCKED" in await services.templates_sent(decision.order_id)
    assert await attribute(handle, search.PICKUP_LOCKED) is True

    unlock = UnlockInput("unlock-0002", "id checked", "ops-anna")
    status = await handle.execute_update(OrderWorkflow.unlock, unlock)
    assert (status.pickup_locked, status.failed_pickup_attempts) == (False, 0)
    assert await handle.execute_update(OrderWorkflow.unlock, unlock) == status  # a repeat
    assert await attribute(handle, search.PICKUP_LOCKED) is False
    record = await services.order(decision.order_id)
    assert not record.pickup_locked
    assert ("pickup_unlocked", "by ops-anna: id checked") in timeline(record)
    done = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("right-0001", code, "Ada")
    )
    assert done.state == "PICKED_UP"
    await keep_history(handle, "locked_unlocked_by_update_picked_up")


async def test_resend_sends_a_due_message_again_once_per_request(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order())
    not_yet = ResendNotificationInput("resend-0001", "ready_for_pickup")
    refused = await refusal_of(handle.execute_update(OrderWorkflow.resend_notification, not_yet))
    assert (refused.reason, refused.metadata["state"]) == ("MESSAGE_NOT_DUE", "AWAITING_PICK")
    unknown = ResendNotificationInput("resend-0002", "love_letter")
    refused = await refusal_of(handle.execute_update(OrderWorkflow.resend_notification, unknown))
    assert list(refused.violations) == ["message"]

    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001"))
    again = ResendNotificationInput("resend-0003", "ready_for_pickup", "lost in spam", "ops-bo")
    status = await handle.execute_update(OrderWorkflow.resend_notification, again)
    assert status.state == "READY_FOR_PICKUP"
    await handle.execute_update(OrderWorkflow.resend_notification, again)  # a repeat
    confirmed = ResendNotificationInput("resend-0004", "order_confirmed")
    await handle.execute_update(OrderWorkflow.resend_notification, confirmed)
    sent = await services.templates_sent(decision.order_id)
    assert sent.count("READY_FOR_PICKUP") == 2
    assert sent.count("ORDER_CONFIRMED") == 2
    record = await services.order(decision.order_id)
    assert ("notification_resent", "ready_for_pickup sent again by ops-bo: lost in spam") in (
        timeline(record)
    )
    await keep_history(handle, "resent_then_expired")


async def test_reroute_reserves_the_new_source_before_giving_up_the_old_one(
    env: WorkflowEnvironment, services: Services
) -> None:
    dc_before = await services.stock("DC-01", LAMP_SKU)
    handle, decision = await place(env, an_order(lines=[LAMP]))
    nowhere = RerouteInput("reroute-0001", "DC van broke down", source_id="STORE-003")
    refused = await refusal_of(handle.execute_update(OrderWorkflow.reroute, nowhere))
    assert (refused.reason, refused.code.value) == ("NO_OTHER_SOURCE", "FAILED_PRECONDITION")
    assert "STORE-003" in refused.message
    assert (await services.stock("DC-01", LAMP_SKU)).reserved == dc_before.reserved + 1

    await stock_up(services, "STORE-002", LAMP_SKU, 3)
    request = RerouteInput("reroute-0002", "DC van broke down", operator="ops-anna")
    status = await handle.execute_update(OrderWorkflow.reroute, request)
    assert status.state == "IN_TRANSIT"
    assert [(a.location_id, a.quantity) for a in status.allocations] == [("STORE-002", 1)]
    assert await handle.execute_update(OrderWorkflow.reroute, request) == status  # a repeat
    dc = await services.stock("DC-01", LAMP_SKU)
    assert (dc.on_hand, dc.reserved) == (dc_before.on_hand, dc_before.reserved)
    assert (await services.stock("STORE-002", LAMP_SKU)).reserved == 1
    assert (await (await transfer_handle(env, decision.order_id, 1)).result()).state == "CANCELLED"
    record = await services.order(decision.order_id)
    assert any(e == "order_rerouted" and "ops-anna" in d for e, d in timeline(record))
    assert [(a.location_id, a.quantity) for a in record.lines[0].allocations] == [("STORE-002", 1)]
    assert "ORDER_REROUTED" in await services.templates_sent(decision.order_id)

    new = await transfer_handle(env, decision.order_id, 2)
    await new.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-rr-0001"))
    await new.execute_update(ShipToStoreWorkflow.receive, ReceiveInput("recv-rr-0001", "t"))
    await until_state(env, handle, "AWAITING_PICK")
    late = RerouteInput("reroute-0003", "too late")
    refused = await refusal_of(handle.execute_update(OrderWorkflow.reroute, late))
    assert (refused.reason, refused.metadata["state"]) == ("ORDER_NOT_IN_TRANSIT", "AWAITING_PICK")


async def test_a_short_pick_after_a_reroute_takes_each_unit_from_the_reservation_holding_it(
    env: WorkflowEnvironment, services: Services
) -> None:
    shirt = OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 1, 1999)
    await services.drain("DC-01", "TSHIRT-WHT-M")  # the shirt from the shelf, the lamp shipped
    handle, decision = await place(env, an_order(lines=[shirt, LAMP]))
    allocations = (await handle.query(OrderWorkflow.state)).allocations
    assert {(a.location_id, a.sku) for a in allocations} == {
        ("STORE-001", "TSHIRT-WHT-M"),
        ("DC-01", LAMP_SKU),
    }
    await stock_up(services, "STORE-002", LAMP_SKU, 3)
    await handle.execute_update(OrderWorkflow.reroute, RerouteInput("reroute-sp-01", "van"))
    new = await transfer_handle(env, decision.order_id, 2)
    await new.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-sp-0001"))
    await new.execute_update(ShipToStoreWorkflow.receive, ReceiveInput("recv-sp-0001", "t"))
    await until_state(env, handle, "AWAITING_PICK")
    store_before = await services.stock("STORE-001", LAMP_SKU)
    shirts_before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    missing = [
        MissingLineInput("TSHIRT-WHT-M", 1, "DAMAGED"),
        MissingLineInput(LAMP_SKU, 1, "DAMAGED"),
    ]
    status = await handle.execute_update(
        OrderWorkflow.mark_picked, MarkPickedInput("pick-sp-0001", "t", missing)
    )
    assert status.state == "IN_TRANSIT"  # both shipped in from elsewhere
    store = await services.stock("STORE-001", LAMP_SKU)
    assert (store.on_hand, store.reserved) == (store_before.on_hand - 1, store_before.reserved - 1)
    shirts = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (shirts.on_hand, shirts.reserved) == (
        shirts_before.on_hand - 1,
        shirts_before.reserved - 1,
    )
    assert await task_failures(handle) == []
