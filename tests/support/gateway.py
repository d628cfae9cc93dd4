"""A caller of the public gateway, as a checkout back end or a store terminal would be."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
import jwt
from google.protobuf import message_factory
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.message import Message

from clickcollect.gateway.v1 import (
    checkout_pb2,
    checkout_pb2_grpc,
    ops_pb2,
    ops_pb2_grpc,
    order_views_pb2,
    store_ops_pb2,
    store_ops_pb2_grpc,
)
from services.common.grpc_errors import RpcErrorDetails, details_of

__all__ = [
    "PUBLIC_METHODS",
    "Caller",
    "bearer",
    "details_of",
    "forged",
    "raw_call",
    "refused",
    "request_of",
    "response_of",
    "token",
]
from deploy.local.stack_config import local_token_authority
from services.gateway.domain import Role

AUTHORITY = local_token_authority()


def token(role: Role, subject: str, store_id: str = "", ttl: timedelta = timedelta(hours=1)) -> str:
    return AUTHORITY.issue(role, subject, store_id, ttl)


def forged(**claims: Any) -> str:
    """A token signed with the gateway's key carrying exactly these claims (plus issuer, issue
    time and expiry, an hour later): what a token of ours with a subject no method accepts
    looks like."""
    now = int(time.time())
    base = {"iss": AUTHORITY.issuer, "iat": now, "exp": now + 3600, **claims}
    keys = AUTHORITY.keys
    return jwt.encode(base, keys.signing_secret, "HS256", headers={"kid": keys.signing_id})


def bearer(signed: str) -> tuple[tuple[str, str]]:
    return (("authorization", f"Bearer {signed}"),)


# Every method of the public API, read from the services' descriptors (a new one is included).
PUBLIC_METHODS: list[MethodDescriptor] = [
    method
    for service in (
        checkout_pb2.DESCRIPTOR.services_by_name["CheckoutService"],
        store_ops_pb2.DESCRIPTOR.services_by_name["StoreOpsService"],
        ops_pb2.DESCRIPTOR.services_by_name["OpsService"],
    )
    for method in service.methods
]


def request_of(method: MethodDescriptor) -> type[Message]:
    return message_factory.GetMessageClass(method.input_type)


def response_of(method: MethodDescriptor) -> type[Message]:
    return message_factory.GetMessageClass(method.output_type)


def raw_call(channel: grpc.aio.Channel, method: MethodDescriptor) -> Any:
    """The method as bytes in, bytes out: for requests no stub would send."""
    return channel.unary_unary(f"/{method.containing_service.full_name}/{method.name}", None, None)


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

    @property
    def ops(self) -> ops_pb2_grpc.OpsServiceAsyncStub:
        return ops_pb2_grpc.OpsServiceStub(self.channel)

    async def place(
        self, *lines: tuple[str, int], store: str = "STORE-001", **fields: Any
    ) -> order_views_pb2.CustomerOrder:
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
