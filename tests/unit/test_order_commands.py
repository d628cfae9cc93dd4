"""Rules around commands to running orders: one request id is one request, a short pick's new
route, and when a refusal only means the workflow is behind what reads show."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.common.errors import FailedPrecondition
from services.gateway.catching_up import state_behind
from workflows.contracts.orders import (
    AllocationRow,
    OrderLineInput,
    PlaceOrderInput,
    request_fingerprint,
)
from workflows.order.activities.route_types import rerouted_allocations

ORDER = PlaceOrderInput(
    order_id="ORD-0000000001",
    customer_id="cust-1001",
    customer_email="ada@example.com",
    channel="WEB",
    pickup_store_id="STORE-001",
    currency_code="EUR",
    payment_method="pm_card_visa",
    lines=[OrderLineInput("MUG-CERAMIC", "Mug", 2, 899), OrderLineInput("LAMP-DESK-01", "L", 1, 1)],
)


@dataclass
class Missing:
    sku: str
    quantity: int


def test_a_request_repeated_with_the_same_body_has_the_same_fingerprint() -> None:
    reordered = replace(ORDER, lines=list(reversed(ORDER.lines)))
    repriced = replace(ORDER, lines=[replace(line, unit_price_minor=1) for line in ORDER.lines])
    assert request_fingerprint(ORDER) == request_fingerprint(reordered)
    assert request_fingerprint(ORDER) == request_fingerprint(repriced)


def test_another_store_basket_or_email_under_the_same_request_id_differs() -> None:
    others = [
        replace(ORDER, pickup_store_id="STORE-002"),
        replace(ORDER, lines=[OrderLineInput("MUG-CERAMIC", "Mug", 3, 899)]),
        replace(ORDER, customer_email="bo@example.com"),
    ]
    assert len({request_fingerprint(o) for o in [ORDER, *others]}) == 4


def test_missing_units_leave_the_pickup_store_and_come_from_the_new_source() -> None:
    current = [
        AllocationRow("DC-01", "MUG-CERAMIC", 1),
        AllocationRow("STORE-001", "MUG-CERAMIC", 2),
    ]
    added = [AllocationRow("STORE-002", "MUG-CERAMIC", 1)]
    rows = rerouted_allocations(current, [Missing("MUG-CERAMIC", 1)], added, "STORE-001")
    assert sorted((r.location_id, r.quantity) for r in rows) == [
        ("DC-01", 1),
        ("STORE-001", 1),
        ("STORE-002", 1),
    ]


def test_a_row_emptied_by_the_short_pick_disappears() -> None:
    current = [AllocationRow("STORE-001", "MUG-CERAMIC", 1)]
    added = [AllocationRow("DC-01", "MUG-CERAMIC", 1)]
    rows = rerouted_allocations(current, [Missing("MUG-CERAMIC", 1)], added, "STORE-001")
    assert [(r.location_id, r.quantity) for r in rows] == [("DC-01", 1)]


def test_a_workflow_refusing_from_an_older_state_than_reads_show_is_behind() -> None:
    refused = FailedPrecondition(
        "ORDER_NOT_AWAITING_PICK", "order is PENDING", {"state": "PENDING"}
    )
    assert state_behind(refused, "AWAITING_PICK", frozenset({"AWAITING_PICK"}))


def test_a_refusal_in_the_state_reads_show_stands() -> None:
    refused = FailedPrecondition("ORDER_NOT_READY", "order is READY", {"state": "READY_FOR_PICKUP"})
    assert not state_behind(refused, "READY_FOR_PICKUP", frozenset({"READY_FOR_PICKUP"}))
    assert not state_behind(refused, "CANCELLED", frozenset({"READY_FOR_PICKUP"}))
    assert not state_behind(None, "READY_FOR_PICKUP", frozenset({"READY_FOR_PICKUP"}))
