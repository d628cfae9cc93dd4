"""The customer's self-service before hand-over, as the update handlers run it: an arrival
announcement and a named collector are recorded at once (the store's queue shows them before
the update answers); a store change is handed to the lifecycle, which carries it out between
picks (store_change.py), and answered once the order has settled at the new store. Each taken
command is remembered by its request id, so a repeat answers as the first time."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import run_activity
from workflows.order.validation import ANNOUNCE, CHANGE_STORE, COLLECTOR, key

with workflow.unsafe.imports_passed_through():
    from workflows.contracts.ids import command_key
    from workflows.contracts.orders import (
        AnnounceArrivalInput,
        ChangePickupStoreInput,
        OrderStatus,
        SetCollectorInput,
    )
    from workflows.contracts.refusal import Refusal
    from workflows.shared.activities import SharedActivities
    from workflows.shared.activity_types import ArrivalRecord, OrderEventInput

ARRIVAL_WORDS = {"ARRIVING": "on the way", "HERE": "here"}


async def record_fact(
    progress: OrderProgress, event: str, detail: str, command: str, **facts: Any
) -> None:
    """An event on the order's timeline with the facts it sets; `command` is the client's
    request id (kept on the event, so a repeat after the order ended is answered from it)."""
    wf = workflow.info().workflow_id
    entry = OrderEventInput(
        f"{wf}:{event}:{command_key(command)}",
        progress.status.order_id,
        event,
        detail,
        client_request_id=command,
        **facts,
    )
    await run_activity(progress, SharedActivities.record_order_event, entry)


async def announce_arrival(progress: OrderProgress, request: AnnounceArrivalInput) -> OrderStatus:
    """Recorded before it answers: the store's terminal sees the customer at once."""
    asks = progress.self_service
    taken = key(ANNOUNCE, request.request_id)
    if taken not in asks.answers:
        asks.answers[taken] = None
        earlier = asks.arrival
        vehicle = request.vehicle_description.strip() or (
            earlier.vehicle_description if earlier else ""
        )
        bay = request.bay.strip() or (earlier.bay if earlier else "")
        asks.arrival = AnnounceArrivalInput(request.request_id, request.state, vehicle, bay)
        curbside = ", ".join(part for part in (vehicle, f"bay {bay}" if bay else "") if part)
        detail = f"customer {ARRIVAL_WORDS[request.state]}" + (f" ({curbside})" if curbside else "")
        arrival = ArrivalRecord(request.state, workflow.now(), vehicle, bay)
        event = "customer_arrived" if request.state == "HERE" else "customer_on_the_way"
        await record_fact(progress, event, detail, request.request_id, arrival=arrival)
    return progress.status


async def set_collector(progress: OrderProgress, request: SetCollectorInput) -> OrderStatus:
    """From now on the counter hands over to this person or to the customer."""
    asks = progress.self_service
    taken = key(COLLECTOR, request.request_id)
    if taken not in asks.answers:
        asks.answers[taken] = None
        name = " ".join(request.collector_name.split())
        asks.collector = name
        detail = f"{name} may collect the order"
        await record_fact(
            progress, "collector_named", detail, request.request_id, collector_name=name
        )
    return progress.status


async def change_pickup_store(
    progress: OrderProgress, request: ChangePickupStoreInput
) -> OrderStatus:
    """Hands the change to the lifecycle and answers once it is carried out (the order settled
    at the new store) or refused (the new store cannot promise it, or the store picked first)."""
    asks = progress.self_service
    taken = key(CHANGE_STORE, request.request_id)
    pending = asks.store_change
    if taken not in asks.answers and pending is None:
        asks.store_change = request
    elif taken not in asks.answers and pending and pending.request_id != request.request_id:
        message = "another store change is under way"
        raise Refusal.flat("STORE_CHANGE_UNDER_WAY", "FAILED_PRECONDITION", message, {}, {}).error()
    await workflow.wait_condition(lambda: _change_answered(progress, taken))
    if taken not in asks.answers:  # the order moved on (picked, cancelled) before the change
        asks.store_change = None
        state = progress.status.state
        asks.answers[taken] = Refusal.flat(
            "ORDER_NOT_CHANGEABLE", "FAILED_PRECONDITION", f"order is {state}", {"state": state}, {}
        )
    refused = asks.answers[taken]
    if refused is not None:
        raise refused.error()
    return progress.status


def _change_answered(progress: OrderProgress, taken: str) -> bool:
    """Carried out and settled, refused, or past changing (the lifecycle will not take it)."""
    asks = progress.self_service
    if taken in asks.answers:
        return asks.answers[taken] is not None or progress.settled()
    gone = progress.cancel_request is not None or progress.finished
    return asks.store_change is not None and gone and not asks.moving
