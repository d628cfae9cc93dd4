"""A refusal keeps its fields on the way through a workflow's update: a service's bad-field
answer reaches the terminal's caller with the same code and field violations."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from services.common.errors import ErrorKind, FieldViolation
from services.gateway.commands import refusal_from
from tests.support.services import Services
from tests.workflows.conftest import an_order, place
from tests.workflows.test_ship_to_store import LAMP, transfer_handle
from workflows.contracts.transfers import ReceiveInput, ShipInput, TransferLineInput
from workflows.ship_to_store.workflow import ShipToStoreWorkflow


async def test_a_receipt_the_inventory_finds_malformed_answers_with_its_bad_fields(
    env: WorkflowEnvironment, services: Services
) -> None:
    _, decision = await place(env, an_order(lines=[LAMP]))
    transfer = await transfer_handle(env, decision.order_id)
    await transfer.execute_update(ShipToStoreWorkflow.ship, ShipInput("ship-0001", "dc"))
    scan = ReceiveInput("receive-0001", "terminal-001", [TransferLineInput("not a sku!", 0)])
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await transfer.execute_update(ShipToStoreWorkflow.receive, scan)
    answered = refusal_from(refused.value.cause)
    assert answered.kind is ErrorKind.INVALID_ARGUMENT
    assert sorted(v.field for v in answered.violations) == ["lines[0].quantity", "lines[0].sku"]
    assert all(isinstance(v, FieldViolation) and v.description for v in answered.violations)
    state = await transfer.query(ShipToStoreWorkflow.state)
    assert state.state == "SHIPPED"  # still waiting for a correct scan
