"""A command repeated after the order's workflow ended: answered as the first time when the
order's timeline names the client's request id as its own field, refused with the order's
state otherwise (no request id is ever read out of an internal key)."""

from __future__ import annotations

import pytest

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.errors import AlreadyExists, FailedPrecondition
from services.gateway.commands import answered_before, ensure_same_request, refuse_closed
from workflows.contracts.orders import OrderLineInput, PlaceOrderInput


def collected(client_request_id: str, internal_key: str = "order-ORD-1:picked") -> pb.Order:
    event = pb.OrderEvent(
        type="order_picked_up",
        state=pb.ORDER_STATE_PICKED_UP,
        request_id=internal_key,
        client_request_id=client_request_id,
    )
    return pb.Order(order_id="ORD-1", state=pb.ORDER_STATE_PICKED_UP, timeline=[event])


def test_the_command_that_caused_the_event_was_answered_before() -> None:
    assert answered_before(collected("handover-0001"), "order_picked_up", "handover-0001")


def test_another_request_id_or_another_event_was_not() -> None:
    order = collected("handover-0001")
    assert not answered_before(order, "order_picked_up", "handover-0002")
    assert not answered_before(order, "order_cancelled", "handover-0001")


def test_a_request_id_only_inside_the_internal_key_does_not_count() -> None:
    order = collected("", internal_key="order-ORD-1:order_picked_up:handover-0001")
    assert not answered_before(order, "order_picked_up", "handover-0001")


def test_a_closed_order_refuses_a_new_command_with_its_state() -> None:
    refuse_closed(collected("handover-0001"), "ORDER_NOT_READY", "order_picked_up", "handover-0001")
    with pytest.raises(FailedPrecondition) as refused:
        refuse_closed(collected("handover-0001"), "ORDER_NOT_READY", "order_picked_up", "other-01")
    assert refused.value.reason == "ORDER_NOT_READY"
    assert refused.value.metadata == {"state": "PICKED_UP"}


def test_a_placeorder_repeat_names_the_store_the_order_was_placed_for_after_it_moved() -> None:
    def asked(store_id: str) -> PlaceOrderInput:
        line = OrderLineInput("YOGA-MAT", "Yoga mat", 1, 2999)
        return PlaceOrderInput(
            "ORD-1", "cust-1", "ada@example.com", "WEB", store_id, "EUR", "pm_card_visa", [line]
        )

    moved = pb.Order(
        order_id="ORD-1",
        customer_email="ada@example.com",
        channel=pb.CHANNEL_WEB,
        pickup_store_id="STORE-002",
        placed_pickup_store_id="STORE-001",
        lines=[pb.OrderLine(sku="YOGA-MAT", quantity=1)],
    )
    ensure_same_request(moved, asked("STORE-001"))
    with pytest.raises(AlreadyExists):
        ensure_same_request(moved, asked("STORE-002"))
