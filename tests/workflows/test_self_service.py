"""A customer's self-service before hand-over on the time-skipping server, against the real
services: a store change reserves at the new store before the old stock goes back (or ships the
stock in), and is refused with the reason when the new store cannot promise the order; an
arrival is on the store's queue before the update answers; a named collector is checked at the
counter."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from tests.support.services import Services
from tests.workflows.conftest import an_order, keep_history, place
from tests.workflows.returns_support import TSHIRTS
from tests.workflows.test_checkout_hold import steps_taken
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.contracts import search
from workflows.contracts.orders import (
    AnnounceArrivalInput,
    ChangePickupStoreInput,
    ConfirmPickupInput,
    MarkPickedInput,
    OrderLineInput,
    SetCollectorInput,
)
from workflows.contracts.transfers import ReceiveInput, ShipInput
from workflows.order.workflow import OrderWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow

SHIRT = "TSHIRT-WHT-M"


def headphones(quantity: int) -> OrderLineInput:
    """Ten on STORE-001's shelf, none anywhere else."""
    return OrderLineInput("HEADPHONES-X1", "Wireless headphones X1", quantity, 14999)


async def refused(handle: WorkflowHandle[Any, Any], update: Any, arg: Any) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await handle.execute_update(update, arg)
    assert isinstance(failed.value.cause, ApplicationError)
    return failed.value.cause


async def test_a_store_change_reserves_at_the_new_store_before_releasing_the_old(
    env: WorkflowEnvironment, services: Services
) -> None:
    old_before = await services.stock("STORE-001", SHIRT)
    new_before = await services.stock("STORE-002", SHIRT)
    handle, decision = await place(env, an_order(lines=[TSHIRTS]))

    status = await handle.execute_update(
        OrderWorkflow.change_pickup_store, ChangePickupStoreInput("change-0001", "STORE-002")
    )
    assert (status.state, status.pickup_store_id) == ("AWAITING_PICK", "STORE-002")
    assert (await services.stock("STORE-002", SHIRT)).reserved == new_before.reserved + 2
    assert (await services.stock("STORE-001", SHIRT)).reserved == old_before.reserved
    steps = await steps_taken(handle)
    moved_at = len(steps) - steps[::-1].index("reserve_stock") - 1
    assert "release_stock" in steps[moved_at:]  # the new reservation first, then the release
    record = await services.order(decision.order_id)
    assert record.pickup_store_id == "STORE-002"
    assert record.fulfillment_type == orders_pb2.FULFILLMENT_TYPE_PICKUP_IN_STORE
    changed = [e for e in record.timeline if e.type == "pickup_store_changed"]
    assert [e.client_request_id for e in changed] == ["change-0001"]
    deadline = status.pick_deadline
    assert deadline is not None and record.pick_deadline.ToDatetime(deadline.tzinfo) == deadline
    described = await handle.describe()
    assert described.typed_search_attributes.get(search.PICKUP_STORE_ID) == "STORE-002"

    old_terminal = MarkPickedInput("pick-old-0001", "terminal-001", store_id="STORE-001")
    wrong = await refused(handle, OrderWorkflow.mark_picked, old_terminal)
    assert wrong.type == "ORDER_OF_ANOTHER_STORE"
    new_terminal = MarkPickedInput("pick-new-0001", "terminal-002", store_id="STORE-002")
    picked = await handle.execute_update(OrderWorkflow.mark_picked, new_terminal)
    assert picked.state == "READY_FOR_PICKUP"
    again = await refused(
        handle,
        OrderWorkflow.change_pickup_store,
        ChangePickupStoreInput("change-0002", "STORE-003"),
    )
    assert (again.type, again.details[0]["metadata"]["state"]) == (
        "ORDER_NOT_CHANGEABLE",
        "READY_FOR_PICKUP",
    )
    code = (await services.order(decision.order_id)).pickup_code
    handover = ConfirmPickupInput("handover-0001", code, "Ada", store_id="STORE-002")
    assert (
        await handle.execute_update(OrderWorkflow.confirm_pickup, handover)
    ).state == "PICKED_UP"
    await keep_history(handle, "store_changed_then_picked_up")


async def test_a_store_that_cannot_promise_the_order_refuses_the_change_and_nothing_moves(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[headphones(10)]))  # the whole shelf

    cannot = await refused(
        handle,
        OrderWorkflow.change_pickup_store,
        ChangePickupStoreInput("change-0001", "STORE-002"),
    )
    assert cannot.type == "OUT_OF_STOCK"
    detail = cannot.details[0]
    assert (detail["code"], detail["metadata"]["store_id"]) == ("FAILED_PRECONDITION", "STORE-002")
    assert (await handle.query(OrderWorkflow.state)).pickup_store_id == "STORE-001"
    assert (await services.order(decision.order_id)).pickup_store_id == "STORE-001"
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 10
    assert (await services.stock("STORE-002", "HEADPHONES-X1")).reserved == 0
    picked = await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001"))
    assert picked.state == "READY_FOR_PICKUP"  # the order goes on at its store

    in_transit, _ = await place(env, an_order(lines=[LAMP]))  # shipped from the DC
    on_the_road = await refused(
        in_transit,
        OrderWorkflow.change_pickup_store,
        ChangePickupStoreInput("change-0002", "STORE-002"),
    )
    assert on_the_road.type == "TRANSFER_UNDER_WAY"
    assert on_the_road.details[0]["metadata"]["state"] == "IN_TRANSIT"


async def test_a_store_change_ships_the_stock_in_when_the_new_shelf_lacks_it(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[headphones(1)]))

    status = await handle.execute_update(
        OrderWorkflow.change_pickup_store, ChangePickupStoreInput("change-0001", "STORE-002")
    )
    assert (status.state, status.fulfillment_type) == ("IN_TRANSIT", "SHIP_TO_STORE")
    record = await services.order(decision.order_id)
    assert (record.state, record.pickup_store_id) == (
        orders_pb2.ORDER_STATE_IN_TRANSIT,
        "STORE-002",
    )
    assert [(s.source_id, s.state) for s in record.shipments] == [
        ("STORE-001", orders_pb2.SHIPMENT_STATE_PLANNED)
    ]
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-0001"))
    await transfer.execute_update(
        ShipToStoreWorkflow.receive, ReceiveInput("receive-0001", "terminal-002")
    )
    at_new_store = MarkPickedInput("pick-0001", "terminal-002", store_id="STORE-002")
    picked = await handle.execute_update(OrderWorkflow.mark_picked, at_new_store)
    assert (picked.state, picked.pickup_store_id) == ("READY_FOR_PICKUP", "STORE-002")
    assert (await services.stock("STORE-002", "HEADPHONES-X1")).reserved == 1
    assert (await services.stock("STORE-001", "HEADPHONES-X1")).reserved == 0


async def test_an_arrival_shows_at_once_and_only_the_named_collector_or_customer_collects(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[TSHIRTS]))
    order_id = decision.order_id
    await handle.execute_update(
        OrderWorkflow.set_collector, SetCollectorInput("collector-0001", " Grace   Hopper ")
    )
    assert (await services.order(order_id)).collector_name == "Grace Hopper"
    early = await refused(
        handle, OrderWorkflow.announce_arrival, AnnounceArrivalInput("arrive-0001", "HERE")
    )
    assert (early.type, early.details[0]["metadata"]["state"]) == (
        "ORDER_NOT_READY",
        "AWAITING_PICK",
    )
    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-0001"))

    on_the_way = AnnounceArrivalInput("arrive-0002", "ARRIVING", "blue Volvo V60")
    await handle.execute_update(OrderWorkflow.announce_arrival, on_the_way)
    shown = (await services.order(order_id)).customer_arrival
    assert (shown.state, shown.vehicle_description) == (
        orders_pb2.ARRIVAL_STATE_ARRIVING,
        "blue Volvo V60",
    )
    too_long = await refused(
        handle,
        OrderWorkflow.announce_arrival,
        AnnounceArrivalInput("arrive-0003", "HERE", bay="B" * 17),
    )
    assert (too_long.type, list(too_long.details[0]["violations"])) == ("INVALID_REQUEST", ["bay"])
    await handle.execute_update(
        OrderWorkflow.announce_arrival, AnnounceArrivalInput("arrive-0004", "HERE", bay="B7")
    )
    shown = (await services.order(order_id)).customer_arrival
    assert (shown.state, shown.vehicle_description, shown.bay) == (
        orders_pb2.ARRIVAL_STATE_HERE,
        "blue Volvo V60",
        "B7",
    )

    code = (await services.order(order_id)).pickup_code
    stranger = await refused(
        handle, OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0001", code, "Bo Peep")
    )
    assert (stranger.type, list(stranger.details[0]["violations"])) == (
        "COLLECTOR_NOT_ALLOWED",
        ["collector_name"],
    )
    assert (await handle.query(OrderWorkflow.state)).failed_pickup_attempts == 0
    done = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0002", code, "grace hopper")
    )
    assert done.state == "PICKED_UP"
    assert (await services.order(order_id)).collected_by == "grace hopper"
    await keep_history(handle, "arrived_collected_by_named_collector")
