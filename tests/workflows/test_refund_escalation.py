"""A received return whose refund the provider refuses is not left unpaid: operations are told
and the refund is tried again when they say so."""

from __future__ import annotations

import pytest
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from services.orders.orders.domain import Money
from services.orders.payments.provider import ProviderResult, SandboxProvider
from tests.support.services import Services
from tests.workflows.returns_support import a_return, collected_order, operations, start_return
from workflows.contracts.returns import IN_STORE, ReturnItemInput
from workflows.returns.workflow import ReturnWorkflow


class RefundsDownOnce(SandboxProvider):
    """The provider refuses the first refund it is asked for (its refund rail was down)."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = 0

    def refund(self, capture_ref: str, amount: Money, idempotency_key: str) -> ProviderResult:
        if self.refused == 0:
            self.refused += 1
            return ProviderResult(False, "sbx_ref_refused", "refunds_unavailable")
        return super().refund(capture_ref, amount, idempotency_key)


@pytest.fixture
def payment_provider() -> SandboxProvider:
    return RefundsDownOnce()


async def test_refused_refund_is_escalated_and_paid_once_operations_retry(
    env: WorkflowEnvironment, services: Services
) -> None:
    order_id = await collected_order(env, services)
    item = ReturnItemInput("TSHIRT-WHT-M", 1, "RESELLABLE")
    handle, decision = await start_return(
        env, a_return(order_id, IN_STORE, item, receiving_location_id="STORE-002")
    )
    assert decision.accepted

    status = await handle.query(ReturnWorkflow.state)
    for _ in range(100):
        if status.refund_failed:
            break
        await env.sleep(1)
        status = await handle.query(ReturnWorkflow.state)
    assert (status.state, status.refund_failed) == ("RECEIVED", True)
    assert "REFUND_FAILED" in await services.templates_sent(order_id)
    refused = (await services.order(order_id)).payments[-1]
    assert refused.status == orders_pb2.PAYMENT_STATUS_DECLINED  # stored with its key

    await handle.signal(ReturnWorkflow.retry_refund)

    assert (await handle.result()).state == "REFUNDED"
    order = await services.order(order_id)
    assert operations(order).count("REFUND") == 2  # the refused attempt and the paid one
    assert [p.status for p in order.payments if p.return_id] == [
        orders_pb2.PAYMENT_STATUS_DECLINED,
        orders_pb2.PAYMENT_STATUS_SUCCEEDED,
    ]
    assert "RETURN_REFUNDED" in await services.templates_sent(order_id)
