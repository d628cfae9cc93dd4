"""Calling our services from activities: business refusals (INVALID_ARGUMENT, NOT_FOUND,
FAILED_PRECONDITION, ALREADY_EXISTS, PERMISSION_DENIED) become non-retryable ApplicationErrors
that carry the service's Refusal (reason, code, metadata, field violations); anything else
(UNAVAILABLE, DEADLINE_EXCEEDED) is raised as is and retried by Temporal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc

from clickcollect.inventory.v1 import inventory_pb2_grpc
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common.clients import DEFAULT_TIMEOUT_SECONDS
from services.common.grpc_errors import details_of
from workflows.contracts.refusal import Refusal

NON_RETRYABLE = frozenset(
    {
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.PERMISSION_DENIED,
    }
)
Response = TypeVar("Response")


async def call(rpc: Callable[..., Awaitable[Response]], request: Any) -> Response:
    """Calls one RPC, turning business refusals into non-retryable ApplicationErrors."""
    try:
        return await rpc(request, timeout=DEFAULT_TIMEOUT_SECONDS)
    except grpc.aio.AioRpcError as error:
        if error.code() not in NON_RETRYABLE:
            raise
        raise Refusal.from_rpc(details_of(error)).error() from None


class StockAndOrderActivities:
    """Base of the activity classes that talk to inventory and orders (clients injected)."""

    def __init__(
        self,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
    ) -> None:
        self.inventory = inventory
        self.orders = orders
