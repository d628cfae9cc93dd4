"""A caller of the public gateway, as a checkout back end or a store terminal would be."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc

from clickcollect.gateway.v1 import checkout_pb2, checkout_pb2_grpc, store_ops_pb2_grpc
from services.common.grpc_errors import RpcErrorDetails, details_of

__all__ = ["Caller", "bearer", "details_of", "refused", "token"]
from services.gateway.auth import TokenAuthority
from services.gateway.config import GatewaySettings
from services.gateway.domain import Role

AUTHORITY = TokenAuthority(GatewaySettings().jwt_secret, GatewaySettings().jwt_issuer)


def token(role: Role, subject: str, store_id: str = "", ttl: timedelta = timedelta(hours=1)) -> str:
    return AUTHORITY.issue(role, subject, store_id, ttl)


def bearer(jwt: str) -> tuple[tuple[str, str]]:
    return (("authorization", f"Bearer {jwt}"),)


@dataclass
class Caller:
    """Stubs plus the caller's metadata; `checkout`/`store_ops` calls carry the token."""

    channel: grpc.aio.Channel
    metadata: tuple[tuple[str, str], ...]

    @property
    def checkout(self) -> checkout_pb2_grpc.CheckoutServiceAsyncStub:
        return checkout_pb2_grpc.CheckoutServiceStub(self.channel)

    @property
    def store_ops(self) -> store_ops_pb2_grpc.StoreOpsServiceAsyncStub:
        return store_ops_pb2_grpc.StoreOpsServiceStub(self.channel)

    async def place(self, *lines: tuple[str, int], store: str = "STORE-001", **fields: Any) -> Any:
        request = checkout_pb2.PlaceOrderRequest(
            request_id=fields.pop("request_id", f"checkout-{uuid.uuid4().hex}"),
            pickup_store_id=store,
            lines=[checkout_pb2.BasketLine(sku=sku, quantity=qty) for sku, qty in lines],
            customer_email=fields.pop("customer_email", "ada@example.com"),
            payment_method=fields.pop("payment_method", "pm_card_visa"),
            **fields,
        )
        return (await self.checkout.PlaceOrder(request, metadata=self.metadata)).order


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    """The error a call ends with (fails the test when it succeeds)."""
    try:
        await call
    except grpc.aio.AioRpcError as error:
        return details_of(error)
    raise AssertionError("the call was expected to fail")
