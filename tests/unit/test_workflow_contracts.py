"""The contract between the gateway and the workflows holds: every workflow, update and query
the contract declares is defined by the real workflow under the same name with the same input
and result types, and the contract's order states map to the proto one to one."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.workflow import _Definition

from clickcollect.orders.v1 import orders_pb2
from services.common.order_states import (
    FINAL_STATES,
    OrderState,
    order_state_from_proto,
    order_state_to_proto,
)
from workflows.contracts import interfaces
from workflows.contracts.states import CANCEL_REQUEST_STATES
from workflows.order.workflow import OrderWorkflow
from workflows.returns.workflow import ReturnWorkflow
from workflows.ship_to_store.workflow import ShipToStoreWorkflow
from workflows.store_sale.workflow import StoreSaleWorkflow

PAIRS = [
    (interfaces.OrderWorkflow, OrderWorkflow),
    (interfaces.StoreSaleWorkflow, StoreSaleWorkflow),
    (interfaces.ReturnWorkflow, ReturnWorkflow),
    (interfaces.ShipToStoreWorkflow, ShipToStoreWorkflow),
]


def _shape(handler: Any) -> tuple[list[type] | None, type | None]:
    return handler.arg_types, getattr(handler, "ret_type", None)


@pytest.mark.parametrize(("declared", "real"), PAIRS, ids=lambda c: c.__name__)
def test_the_real_workflow_has_the_declared_name_input_and_result(
    declared: type, real: type
) -> None:
    contract, actual = _Definition.must_from_class(declared), _Definition.must_from_class(real)
    assert contract.name == actual.name
    assert (contract.arg_types, contract.ret_type) == (actual.arg_types, actual.ret_type)


@pytest.mark.parametrize(("declared", "real"), PAIRS, ids=lambda c: c.__name__)
def test_the_real_workflow_answers_every_declared_update_query_and_signal_alike(
    declared: type, real: type
) -> None:
    contract, actual = _Definition.must_from_class(declared), _Definition.must_from_class(real)
    for kind in ("updates", "queries", "signals"):
        declared_handlers, real_handlers = getattr(contract, kind), getattr(actual, kind)
        for name, handler in declared_handlers.items():
            assert name in real_handlers, f"{actual.name} has no {kind[:-1]} {name}"
            assert _shape(handler) == _shape(real_handlers[name]), f"{actual.name}.{name}"


def test_the_contract_declares_the_handlers_the_gateway_sends() -> None:
    order = _Definition.must_from_class(interfaces.OrderWorkflow)
    assert set(order.updates) == {
        "accept",
        "mark_picked",
        "confirm_pickup",
        "cancel",
        "transfer_received",
        "pay",
        "change_pickup_store",
        "extend_pickup",
        "announce_arrival",
        "set_collector",
        "force_cancel",
        "reroute",
        "resend_notification",
        "unlock",
    }
    returns = _Definition.must_from_class(interfaces.ReturnWorkflow)
    assert set(returns.updates) == {"decision_made", "receive"}
    transfers = _Definition.must_from_class(interfaces.ShipToStoreWorkflow)
    assert set(transfers.updates) == {"ship", "receive"}


@pytest.mark.parametrize("state", list(OrderState))
def test_every_order_state_maps_to_its_proto_value_and_back(state: OrderState) -> None:
    value = order_state_to_proto(state)
    assert orders_pb2.OrderState.Name(value) == f"ORDER_STATE_{state.value}"
    assert order_state_from_proto(value) is state


def test_every_proto_order_state_but_unspecified_is_a_state_of_the_contract() -> None:
    named = {v for v in orders_pb2.OrderState.values() if v != orders_pb2.ORDER_STATE_UNSPECIFIED}
    assert {order_state_to_proto(state) for state in OrderState} == named
    assert len(named) == len(OrderState)


def test_an_unspecified_or_unknown_proto_state_is_no_order_state() -> None:
    assert order_state_from_proto(orders_pb2.ORDER_STATE_UNSPECIFIED) is None
    assert order_state_from_proto(max(orders_pb2.OrderState.values()) + 1) is None


def test_a_cancel_request_is_taken_only_while_the_order_waits_in_a_store_or_on_its_way() -> None:
    assert {
        OrderState.AWAITING_PAYMENT,  # ordered for the customer, the stock held for them
        OrderState.AWAITING_PICK,
        OrderState.IN_TRANSIT,
        OrderState.READY_FOR_PICKUP,
    } == CANCEL_REQUEST_STATES
    assert not CANCEL_REQUEST_STATES & FINAL_STATES
