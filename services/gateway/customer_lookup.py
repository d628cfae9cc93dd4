"""StoreOpsService LookupCustomer: a customer found by id, e-mail, phone or loyalty card, with
their orders of every channel and who they are (a store-safe summary of their profile)."""

from __future__ import annotations

import asyncio

from clickcollect.gateway.v1 import store_ops_pb2
from clickcollect.orders.v1 import customers_pb2
from services.common import paging
from services.common.errors import Violations
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Role
from services.gateway.profile_rules import Lookup, check_lookup
from services.gateway.profiles import profile_of
from services.gateway.reads import Reads, ask
from services.gateway.views import customer_summary, store_order


class CustomerLookup:
    auth: TokenAuthority
    reads: Reads

    async def LookupCustomer(
        self, request: store_ops_pb2.LookupCustomerRequest, context: Context
    ) -> store_ops_pb2.LookupCustomerResponse:
        self.auth.authenticate(context, Role.STORE, Role.OPS)
        errors = Violations()
        given = {name: getattr(request, name) for name in ("customer_id", "email", "phone")}
        lookup = check_lookup({**given, "loyalty_card": request.loyalty_card}, errors)
        errors.raise_if_any()
        paging.page_size(request.page_size)
        paging.decode_token(request.page_token)
        if lookup.field == "customer_id":
            profile, listed = await asyncio.gather(
                profile_of(self.reads, lookup.value),
                self.reads.customer_orders(lookup.value, request.page_size, request.page_token),
            )
        else:
            profile = await find_customer(self.reads, lookup)
            listed = await self.reads.customer_orders(
                profile.customer_id, request.page_size, request.page_token
            )
        return store_ops_pb2.LookupCustomerResponse(
            orders=[store_order(order) for order in listed.orders],
            next_page_token=listed.next_page_token,
            customer=customer_summary(profile) if profile is not None else None,
        )


async def find_customer(reads: Reads, lookup: Lookup) -> customers_pb2.CustomerProfile:
    """The one customer the e-mail, phone or card leads to (NOT_FOUND/CUSTOMER_NOT_FOUND:
    nobody; FAILED_PRECONDITION/CUSTOMER_AMBIGUOUS: several)."""
    if lookup.field == "email":
        request = customers_pb2.FindCustomerRequest(email=lookup.value)
    elif lookup.field == "phone":
        request = customers_pb2.FindCustomerRequest(phone=lookup.value)
    else:
        card = customers_pb2.Identity(
            kind=customers_pb2.IDENTITY_KIND_LOYALTY_CARD, value=lookup.value
        )
        request = customers_pb2.FindCustomerRequest(identity=card)
    return (await ask(reads.customers.FindCustomer, request)).profile


async def customer_of(
    reads: Reads, lookup: Lookup
) -> tuple[str, customers_pb2.CustomerProfile | None]:
    """The customer a terminal names: by id (with their profile, None without one), or the one
    the e-mail, phone or card leads to."""
    if lookup.field == "customer_id":
        return lookup.value, await profile_of(reads, lookup.value)
    profile = await find_customer(reads, lookup)
    return profile.customer_id, profile
