"""A payment refused at the counter hands nothing over: the order stays ready, its stock stays
reserved, operations are told, and the next hand-over takes a fresh payment attempt."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from clickcollect.orders.v1 import orders_pb2
from services.orders.orders.domain import Money
from services.orders.payments.provider import ProviderResult, SandboxProvider
from tests.support.services import Services
from tests.workflows.returns_support import TSHIRTS, operations, picked_order
from workflows.contracts.orders import ConfirmPickupInput
from workflows.order.workflow import OrderWorkflow


class FirstCaptureRefused(SandboxProvider):
    """The issuer refuses the first capture (the hold had lapsed), then takes the next."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = False

    def capture(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult:
        if not self.refused:
            self.refused = True
            return ProviderResult(False, "sbx_cap_refused", "authorization_expired")
        return super().capture(authorization_ref, amount, idempotency_key)


@pytest.fixture
def payment_provider() -> SandboxProvider:
    return FirstCaptureRefused()


async def test_refused_capture_keeps_the_goods_and_the_next_hand_over_pays(
    env: WorkflowEnvironment, services: Services
) -> None:
    before = await services.stock("STORE-001", "TSHIRT-WHT-M")
    handle, order_id = await picked_order(env, lines=[TSHIRTS])
    code = (await services.order(order_id)).pickup_code

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-01", code, "Ada")
        )

    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "PAYMENT_DECLINED"
    order = await services.order(order_id)
    assert order.state == orders_pb2.ORDER_STATE_READY_FOR_PICKUP
    assert "capture_refused" in [event.type for event in order.timeline]
    assert "CAPTURE_REFUSED" in await services.templates_sent(order_id)
    held = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (held.on_hand, held.reserved) == (before.on_hand, before.reserved + 2)

    status = await handle.execute_update(
        OrderWorkflow.confirm_pickup, ConfirmPickupInput("handover-02", code, "Ada")
    )

    assert status.state == "PICKED_UP"
    order = await services.order(order_id)
    assert operations(order) == ["AUTHORIZE", "CAPTURE", "CAPTURE"]
    assert [p.status for p in order.payments][1:] == [
        orders_pb2.PAYMENT_STATUS_DECLINED,
        orders_pb2.PAYMENT_STATUS_SUCCEEDED,
    ]
    after = await services.stock("STORE-001", "TSHIRT-WHT-M")
    assert (after.on_hand, after.reserved) == (before.on_hand - 2, before.reserved)
