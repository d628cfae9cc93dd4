"""Everything the Temporal UI offers on an order, a transfer and a return, sent by hand with
garbage: no input, too many inputs, the wrong types, bogus ids, text over limits. Signals drop
or ignore what does not fit; updates refuse it (nothing in the history); no workflow task ever
fails on it, and the order, transfer or return then goes on as if nothing had been sent."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from tests.support.services import Services
from tests.workflows.conftest import an_order, place
from tests.workflows.ops_support import task_failures, updates_accepted
from tests.workflows.returns_support import a_return, collected_order, start_return
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.contracts.orders import ConfirmPickupInput, MarkPickedInput
from workflows.contracts.returns import MAIL, ReturnItemInput
from workflows.contracts.transfers import ReceiveInput, ShipInput
from workflows.order.workflow import OrderWorkflow
from workflows.returns.workflow import ReturnWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow

GARBAGE_ARGS: list[list[Any]] = [[], [None], [42], [{"x": [1, 2]}], ["a", "b"], ["x" * 5000]]
A_REQUEST = {"request_id": "hand-0000001", "reason": "by hand"}
GARBAGE_UPDATES: dict[str, list[list[Any]]] = {
    "accept": [[{"x": 1}], [1, 2]],
    "mark_picked": [
        [],
        [{"request_id": 5}],
        ["pick"],
        [{"request_id": "hand-pick-01", "missing": [{"sku": "NOPE", "quantity": -1}]}],
        [{"request_id": "hand-pick-01", "associate": "a\x00b"}],
    ],
    "confirm_pickup": [
        [{"request_id": "hand-conf-01", "pickup_code": "1", "collector_name": ""}],
        [{"request_id": "hand-conf-01", "pickup_code": None, "collector_name": "x" * 900}],
    ],
    "cancel": [
        [{"request_id": "hand-cncl-01", "reason": "x", "requested_by": "the boss"}],
        [{"request_id": "hand-cncl-01", "reason": "\x07" * 600}],
        [{"request_id": "hand-cncl-01"}],
    ],
    "transfer_received": [[None], ["transfer-nope-1"], [{}]],
    "force_cancel": [[], [A_REQUEST, A_REQUEST], [{**A_REQUEST, "operator": "a b"}]],
    "reroute": [[A_REQUEST], [{**A_REQUEST, "transfer_id": 7}]],
    "resend_notification": [[{**A_REQUEST, "message": None}], [{**A_REQUEST, "message": "x"}]],
    "unlock": [[A_REQUEST], [{"request_id": None, "reason": "x"}]],
    "pay": [
        [],
        [None],
        [{"request_id": 7}],
        [{"request_id": "hand-pay-0001", "code": "0" * 32, "payment_method": "pm_card_visa"}],
    ],
    **{
        name: [[], [None], [{"x": 1}], [1, 2], [{"request_id": 7}]]
        for name in ("change_pickup_store", "extend_pickup", "announce_arrival", "set_collector")
    },
}


async def refused(handle: WorkflowHandle[Any, Any], name: str, args: list[Any]) -> None:
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(name, args=args)


async def test_an_order_takes_no_harm_from_any_signal_or_update_sent_by_hand(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order())
    reserved = (await services.stock("STORE-001", "TSHIRT-WHT-M")).reserved
    for name in ("unlock_pickup", "transfer_late"):
        for args in GARBAGE_ARGS:
            await handle.signal(name, args=args)
    for name, inputs in GARBAGE_UPDATES.items():
        for args in inputs:
            await refused(handle, name, args)

    status = await handle.query(OrderWorkflow.state)
    assert (status.state, status.transfer_late, status.pickup_locked) == (
        "AWAITING_PICK",
        False,
        False,
    )
    assert (await services.stock("STORE-001", "TSHIRT-WHT-M")).reserved == reserved
    assert await updates_accepted(handle) == ["accept"]
    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001"))
    code = (await services.order(decision.order_id)).pickup_code
    done = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0001", code, "Ada")
    )
    assert done.state == "PICKED_UP"
    assert await task_failures(handle) == []


async def test_a_transfer_takes_no_harm_from_scans_sent_by_hand(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[LAMP]))
    transfer = await transfer_handle(env, decision.order_id)
    ships: list[list[Any]] = [[], [None], [{"request_id": []}], ["ship"], [1, 2]]
    for args in ships:
        await refused(transfer, "ship", args)
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-hand-01"))
    scan = {"request_id": "recv-hand-01", "received_by": "t"}
    scans: list[list[Any]] = [
        [],
        [None],
        [{**scan, "lines": [{"sku": "NOPE-1", "quantity": 1}]}],
        [{**scan, "lines": [{"sku": "LAMP-DESK-01", "quantity": -5}]}],
        [{**scan, "lines": [{"sku": "LAMP-DESK-01", "quantity": 10**12}]}],
    ]
    for args in scans:
        await refused(transfer, "receive", args)
    assert (await transfer.query(ShipToStoreWorkflow.state)).state == "SHIPPED"
    received = await transfer.execute_update(
        ShipToStoreWorkflow.receive, ReceiveInput("recv-hand-02", "terminal-001")
    )
    assert received.state == "RECEIVED"
    assert await task_failures(transfer) == []
    assert await task_failures(handle) == []


async def test_a_return_takes_no_harm_from_anything_sent_by_hand(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    handle, decision = await start_return(
        env, a_return(order_id, MAIL, ReturnItemInput("TSHIRT-WHT-M", 1))
    )
    assert decision.accepted
    for args in GARBAGE_ARGS:
        await handle.signal("retry_refund", args=args)
    for args in ([{"x": 1}], [1, 2]):
        await refused(handle, "decision_made", args)
    parcel = {"request_id": "parcel-hand-1", "location_id": "DC-01"}
    item = {"sku": "TSHIRT-WHT-M", "quantity": 1}
    parcels: list[list[Any]] = [
        [],
        [None],
        [{**parcel, "items": "x"}],
        [{**parcel, "location_id": "nowhere", "items": [{**item, "condition": "RESELLABLE"}]}],
        [{**parcel, "items": [{**item, "condition": "BROKEN"}]}],
        [{**parcel, "items": [{**item, "condition": "DAMAGED"}], "location_name": "x" * 2000}],
    ]
    for args in parcels:
        await refused(handle, "receive", args)
    assert (await handle.query(ReturnWorkflow.state)).state == "AUTHORIZED"
    assert await task_failures(handle) == []
