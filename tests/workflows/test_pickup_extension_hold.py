"""An extension and the card hold, on the time-skipping server against the real services: when
the hold would lapse before the new deadline and is no longer being renewed (the issuer declined
a renewal), the extension renews it at once; declined again, the extension is refused and the
window stays as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from services.orders.orders.domain import Money
from services.orders.payments.provider import ProviderResult, SandboxProvider
from tests.support.services import Services
from tests.workflows.returns_support import TSHIRTS, operations, picked_order
from workflows.contracts.orders import ConfirmPickupInput, ExtendPickupInput
from workflows.order.workflow import OrderWorkflow

HOLD_HOURS = 168  # the orders service's default authorization lifetime


class RenewalsWhenAllowed(SandboxProvider):
    """The issuer declines a second authorization on the card while `declining`."""

    declining = True

    def authorize(self, amount: Money, payment_method: str, idempotency_key: str) -> ProviderResult:
        if "reauthorize" in idempotency_key and self.declining:
            return ProviderResult(False, "sbx_auth_refused", "do_not_honor")
        return super().authorize(amount, payment_method, idempotency_key)


@pytest.fixture
def payment_provider() -> RenewalsWhenAllowed:
    return RenewalsWhenAllowed()


async def test_an_extension_renews_a_hold_that_would_lapse_or_is_refused_when_declined(
    env: WorkflowEnvironment, services: Services, payment_provider: RenewalsWhenAllowed
) -> None:
    handle, order_id = await picked_order(env, lines=[TSHIRTS])
    placed = (await handle.query(OrderWorkflow.state)).pickup_expire_time
    assert placed is not None
    await env.sleep(timedelta(hours=HOLD_HOURS - 11))  # the renewal before the lapse: declined
    assert "reauthorization_failed" in [e.type for e in (await services.order(order_id)).timeline]

    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await handle.execute_update(
            OrderWorkflow.extend_pickup, ExtendPickupInput("extend-0001", 0, "customer")
        )
    refused = failed.value.cause
    assert isinstance(refused, ApplicationError) and refused.type == "PAYMENT_DECLINED"
    assert refused.details[0]["code"] == "FAILED_PRECONDITION"
    status = await handle.query(OrderWorkflow.state)
    assert (status.pickup_expire_time, status.state) == (placed, "READY_FOR_PICKUP")
    assert (await services.order(order_id)).pickup_extensions == 0

    payment_provider.declining = False  # the customer sorted it out with their bank
    status = await handle.execute_update(
        OrderWorkflow.extend_pickup, ExtendPickupInput("extend-0002", 0, "customer")
    )
    expires = placed + timedelta(days=3)
    assert status.pickup_expire_time == expires
    record = await services.order(order_id)
    holds = [
        orders_pb2.PaymentStatus.Name(p.status).removeprefix("PAYMENT_STATUS_")
        for p in record.payments
        if p.operation == orders_pb2.PAYMENT_OPERATION_AUTHORIZE
    ]
    # the first hold, the loop's declined renewal, the extension's declined one, its renewal
    assert holds == ["SUCCEEDED", "DECLINED", "DECLINED", "SUCCEEDED"]
    assert operations(record)[-1] == "VOID"  # the hold it replaced, let go

    await env.sleep(expires - await env.get_current_time() - timedelta(hours=1))
    code = record.pickup_code
    done = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-0001", code, "Ada")
    )
    assert done.state == "PICKED_UP"
    assert operations(await services.order(order_id))[-1] == "CAPTURE"
