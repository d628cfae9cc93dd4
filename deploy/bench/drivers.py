"""The two sides as the load generator drives them: customers and a store terminal through the
public gateway (real gRPC, bearer tokens), and the reference workflows through the Temporal
client (update-with-start, update, update)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from clickcollect.gateway.v1 import (
    checkout_pb2,
    checkout_pb2_grpc,
    order_views_pb2,
    store_ops_pb2,
    store_ops_pb2_grpc,
)
from deploy.bench.reference import (
    BareAcceptWorkflow,
    ReferenceAnswer,
    ReferenceLine,
    ReferenceOrder,
    ReferenceOrderWorkflow,
)
from deploy.local.stack_config import local_token_authority
from services.common.grpc_errors import details_of
from services.gateway.domain import Role

Metadata = tuple[tuple[str, str], ...]
TOKEN_TTL = timedelta(hours=12)
PICKUP_STORE = "STORE-001"
RETRIES = 5  # UNAVAILABLE (a decision still pending): the same request again, as clients do


def request_id() -> str:
    return f"bench-{uuid.uuid4().hex}"


def bearer(token: str) -> Metadata:
    return (("authorization", f"Bearer {token}"),)


@dataclass
class Placed:
    """A PlaceOrder answer: the order, or the reason it was refused."""

    order: order_views_pb2.CustomerOrder | None
    refusal: str = ""


class Gateway:
    """Customers `bench-0000`, `bench-0001`, … and one terminal of the pickup store."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.authority = local_token_authority()
        self.checkout = checkout_pb2_grpc.CheckoutServiceStub(channel)
        self.store_ops = store_ops_pb2_grpc.StoreOpsServiceStub(channel)
        self.health = health_pb2_grpc.HealthStub(channel)
        terminal = self.authority.issue(Role.STORE, "bench-terminal", PICKUP_STORE, TOKEN_TTL)
        self.terminal = bearer(terminal)
        self.retries = 0
        self._customers: dict[int, Metadata] = {}

    def customer(self, number: int) -> Metadata:
        if number not in self._customers:
            token = self.authority.issue(Role.CUSTOMER, f"bench-{number:04d}", ttl=TOKEN_TTL)
            self._customers[number] = bearer(token)
        return self._customers[number]

    async def place(self, customer: int, lines: list[tuple[str, int]]) -> Placed:
        """PlaceOrder; a refusal (FAILED_PRECONDITION) is an answer, anything else raises."""
        request = checkout_pb2.PlaceOrderRequest(
            request_id=request_id(),
            pickup_store_id=PICKUP_STORE,
            lines=[checkout_pb2.BasketLine(sku=sku, quantity=qty) for sku, qty in lines],
            customer_email=f"bench-{customer:04d}@example.com",
            payment_method="pm_card_visa",
        )
        for attempt in range(RETRIES + 1):
            try:
                answer = await self.checkout.PlaceOrder(request, metadata=self.customer(customer))
                return Placed(answer.order)
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.FAILED_PRECONDITION:
                    return Placed(None, details_of(error).reason)
                if error.code() != grpc.StatusCode.UNAVAILABLE or attempt == RETRIES:
                    raise
                self.retries += 1
        raise AssertionError("unreachable")

    async def lifecycle(self, customer: int, sku: str) -> None:
        """Place, pick, read the pickup code as the customer, hand over."""
        placed = await self.place(customer, [(sku, 1)])
        if placed.order is None:
            raise RuntimeError(f"order refused: {placed.refusal}")
        order_id = placed.order.order_id
        picked = store_ops_pb2.MarkPickedRequest(request_id=request_id(), order_id=order_id)
        await self.store_ops.MarkPicked(picked, metadata=self.terminal)
        read = checkout_pb2.GetOrderRequest(order_id=order_id)
        order = (await self.checkout.GetOrder(read, metadata=self.customer(customer))).order
        handover = store_ops_pb2.ConfirmPickupRequest(
            request_id=request_id(),
            order_id=order_id,
            pickup_code=order.pickup_code,
            collector_name="Bench Customer",
        )
        await self.store_ops.ConfirmPickup(handover, metadata=self.terminal)

    async def pickup_options(self, customer: int, ask: checkout_pb2.GetPickupOptionsRequest) -> int:
        answer = await self.checkout.GetPickupOptions(ask, metadata=self.customer(customer))
        return len(answer.options)

    async def health_check(self) -> None:
        await self.health.Check(health_pb2.HealthCheckRequest())


class Reference:
    """Drives the reference workflows the way the gateway drives an order."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    def _start_options(self, order: ReferenceOrder) -> dict[str, Any]:
        return {
            "id": order.order_id,
            "task_queue": self.task_queue,
            "id_conflict_policy": WorkflowIDConflictPolicy.USE_EXISTING,
            "id_reuse_policy": WorkflowIDReusePolicy.REJECT_DUPLICATE,
        }

    async def place(self, lines: int = 1) -> str:
        """Starts a reference order and waits for its acceptance; returns its workflow id."""
        order = _order(lines)
        start = WithStartWorkflowOperation(
            ReferenceOrderWorkflow.run, order, **self._start_options(order)
        )
        await self.client.execute_update_with_start_workflow(
            ReferenceOrderWorkflow.accept, start_workflow_operation=start, id="accept"
        )
        return order.order_id

    async def lifecycle(self) -> None:
        handle = self.client.get_workflow_handle_for(ReferenceOrderWorkflow.run, await self.place())
        await handle.execute_update(ReferenceOrderWorkflow.mark_picked, request_id())
        await handle.execute_update(ReferenceOrderWorkflow.confirm_pickup, request_id())

    async def bare_accept(self, lines: int = 1) -> ReferenceAnswer:
        order = _order(lines)
        start = WithStartWorkflowOperation(
            BareAcceptWorkflow.run, order, **self._start_options(order)
        )
        return await self.client.execute_update_with_start_workflow(
            BareAcceptWorkflow.accept, start_workflow_operation=start, id="accept"
        )


def _order(lines: int) -> ReferenceOrder:
    basket = [ReferenceLine(f"SKU-{n:02d}", 1) for n in range(lines)]
    return ReferenceOrder(f"ref-{uuid.uuid4().hex}", basket)
