"""A card hold that cannot be renewed is not silently left to lapse: the order's timeline says
so and operations are told, while the order stays collectable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from services.orders.orders.domain import Money
from services.orders.payments.provider import ProviderResult, SandboxProvider
from tests.support.services import Services
from tests.workflows.returns_support import TSHIRTS, operations, picked_order
from workflows.order.workflow import OrderWorkflow


class NoRenewals(SandboxProvider):
    """The issuer refuses a second authorization on the card."""

    def authorize(self, amount: Money, payment_method: str, idempotency_key: str) -> ProviderResult:
        if "reauthorize" in idempotency_key:
            return ProviderResult(False, "sbx_auth_refused", "do_not_honor")
        return super().authorize(amount, payment_method, idempotency_key)


@pytest.fixture
def payment_provider() -> SandboxProvider:
    return NoRenewals()


async def test_refused_renewal_is_on_the_timeline_and_operations_are_told(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, order_id = await picked_order(env, lines=[TSHIRTS])

    await env.sleep(timedelta(hours=168 - 11))

    order = await services.order(order_id)
    assert operations(order) == ["AUTHORIZE", "AUTHORIZE"]  # the renewal, declined
    assert "reauthorization_failed" in [event.type for event in order.timeline]
    assert "REAUTHORIZATION_FAILED" in await services.templates_sent(order_id)
    assert (await handle.query(OrderWorkflow.state)).state == "READY_FOR_PICKUP"
