"""Building blocks of the customer journeys through the public gateway: a new customer with a
token of their own, their profile, a till sale, a look-up at the counter."""

from __future__ import annotations

import uuid
from typing import Any

import grpc

from clickcollect.gateway.v1 import checkout_pb2, profiles_pb2, store_ops_pb2
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, token

CARD = profiles_pb2.IDENTITY_KIND_LOYALTY_CARD
WEB, APP = profiles_pb2.IDENTITY_KIND_WEB_ACCOUNT, profiles_pb2.IDENTITY_KIND_APP_ACCOUNT
EMAIL, SMS = profiles_pb2.MESSAGE_CHANNEL_EMAIL, profiles_pb2.MESSAGE_CHANNEL_SMS
PICKUP = profiles_pb2.MESSAGE_KIND_PICKUP


def new_customer(channel: grpc.aio.Channel) -> tuple[str, Caller]:
    """A customer nobody has seen yet (the e2e stack is shared by every test)."""
    customer_id = f"cust-{uuid.uuid4().hex[:10]}"
    return customer_id, Caller(channel, bearer(token(Role.CUSTOMER, customer_id)))


def new_card() -> str:
    return f"LC-{uuid.uuid4().hex[:12].upper()}"


def new_phone() -> str:
    """A Dutch mobile number nobody has yet, in E.164."""
    return f"+3161{uuid.uuid4().int % 10**7:07d}"


def rid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def a_profile(email: str, phone: str = "+31 6 1234 5678", **fields: Any) -> Any:
    return profiles_pb2.CustomerProfile(email=email, phone=phone, **fields)


def card(value: str) -> profiles_pb2.LinkedIdentity:
    return profiles_pb2.LinkedIdentity(kind=CARD, value=value)


async def update(
    customer: Caller, profile: profiles_pb2.CustomerProfile, *mask: str, **fields: Any
) -> profiles_pb2.CustomerProfile:
    request = checkout_pb2.UpdateProfileRequest(
        request_id=fields.pop("request_id", rid("profile")),
        profile=profile,
        update_mask=list(mask),
        **fields,
    )
    return (await customer.checkout.UpdateProfile(request, metadata=customer.metadata)).profile


async def profile(customer: Caller) -> profiles_pb2.CustomerProfile:
    request = checkout_pb2.GetProfileRequest()
    return (await customer.checkout.GetProfile(request, metadata=customer.metadata)).profile


async def sale(terminal: Caller, sku: str, **who: str) -> Any:
    """A till sale of one unit; ``who``: customer_id, loyalty_card, customer_email."""
    request = store_ops_pb2.RecordStoreSaleRequest(
        request_id=rid("sale"),
        receipt_number=f"R-{uuid.uuid4().hex[:8]}",
        lines=[store_ops_pb2.SaleLine(sku=sku, quantity=1)],
        payment_method="pm_card_visa",
        **who,
    )
    return (await terminal.store_ops.RecordStoreSale(request, metadata=terminal.metadata)).order


async def look_up(terminal: Caller, **by: Any) -> store_ops_pb2.LookupCustomerResponse:
    request = store_ops_pb2.LookupCustomerRequest(**by)
    return await terminal.store_ops.LookupCustomer(request, metadata=terminal.metadata)
