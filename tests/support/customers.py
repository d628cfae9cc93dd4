"""Building blocks for tests of customer profiles: the orders server's CustomerService, profiles
and the requests that change them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import grpc

from clickcollect.orders.v1 import customers_pb2 as pb
from clickcollect.orders.v1 import customers_pb2_grpc
from services.orders.config import OrdersSettings
from services.orders.server import create_server
from tests.support.orders import request_id

if TYPE_CHECKING:
    from clickcollect.orders.v1.customers_pb2_grpc import CustomerServiceAsyncStub as Stub

EMAIL, SMS = pb.MESSAGE_CHANNEL_EMAIL, pb.MESSAGE_CHANNEL_SMS
PICKUP, ORDER_UPDATES = pb.MESSAGE_KIND_PICKUP, pb.MESSAGE_KIND_ORDER_UPDATES
CARD, RECEIPT_EMAIL = pb.IDENTITY_KIND_LOYALTY_CARD, pb.IDENTITY_KIND_RECEIPT_EMAIL
WEB, APP = pb.IDENTITY_KIND_WEB_ACCOUNT, pb.IDENTITY_KIND_APP_ACCOUNT


@asynccontextmanager
async def served_orders(database_url: str) -> AsyncIterator[str]:
    """The orders server on a free loopback port: its address."""
    config = OrdersSettings(host="127.0.0.1", port=0, database_url=database_url)
    service = await create_server(config)
    await service.start()
    try:
        yield f"127.0.0.1:{service.port}"
    finally:
        await service.stop()


@asynccontextmanager
async def running_customers(database_url: str) -> AsyncIterator[Stub]:
    """The orders server on a free loopback port, and a client of its CustomerService."""
    async with served_orders(database_url) as target, grpc.aio.insecure_channel(target) as channel:
        yield customers_pb2_grpc.CustomerServiceStub(channel)


def a_profile(customer_id: str = "cust-1001", **fields: Any) -> pb.CustomerProfile:
    """Ada's profile (e-mail, Dutch mobile number, French), fields overriding."""
    base: dict[str, Any] = {
        "customer_id": customer_id,
        "email": "ada@example.com",
        "phone": "+31 6 1234 5678",
        "locale": "fr-FR",
    }
    base.update(fields)
    return pb.CustomerProfile(**base)


def card(value: str) -> pb.Identity:
    return pb.Identity(kind=CARD, value=value)


def prefer(kind: int, *channels: int) -> pb.ChannelPreference:
    """A preference; numbers the enums do not name are sent as they are (as a newer client may)."""
    preference = pb.ChannelPreference()
    preference.kind = kind  # type: ignore[assignment]
    preference.channels.extend(channels)  # type: ignore[arg-type]
    return preference


def update(
    profile: pb.CustomerProfile, *mask: str, rid: str | None = None, **fields: Any
) -> pb.UpdateProfileRequest:
    return pb.UpdateProfileRequest(
        request_id=rid or request_id(), profile=profile, update_mask=list(mask), **fields
    )


async def saved(stub: Stub, profile: pb.CustomerProfile, *mask: str) -> pb.CustomerProfile:
    return (await stub.UpdateProfile(update(profile, *mask))).profile


async def profile_of(stub: Stub, customer_id: str) -> pb.CustomerProfile:
    return (await stub.GetProfile(pb.GetProfileRequest(customer_id=customer_id))).profile
