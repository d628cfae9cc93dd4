"""StoreOpsService.PlaceOrderForCustomer (endless aisle): an associate orders, for the customer in
front of them, what this store's shelf lacks — for pickup here or at another store. The order is
the customer's (channel STORE, in their history), placed exactly as CheckoutService.PlaceOrder
places one (placing.py: priced, routed shelf first else shipped in, the card authorized, answered
with the workflow's decision), and records the associate and the terminal. Idempotent by
request_id per store: the order id is derived from the store and the request id."""

from __future__ import annotations

from dataclasses import dataclass, replace

from clickcollect.gateway.v1 import store_ops_pb2
from clickcollect.orders.v1 import customers_pb2
from services.common import fields, ids
from services.common.errors import Violations
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.customer_lookup import customer_of
from services.gateway.domain import (
    BasketLine,
    Role,
    check_basket,
    check_email,
    check_payment_method,
    check_request_id,
    ensure_sells_over_the_counter,
)
from services.gateway.payment_links import LinkTerms, new_link
from services.gateway.placing import OrderAsked, OrderPlacing, priced_order
from services.gateway.profile_rules import LOOKUPS, Lookup, check_lookup
from services.gateway.reads import Reads
from services.gateway.store_counter import ANONYMOUS
from services.gateway.views import store_order
from workflows.contracts.orders import PlaceOrderInput

CHANNEL = "STORE"  # an order taken at a store's terminal (till sales are STORE too)


@dataclass(frozen=True)
class AisleOrder:
    request_id: str
    customer: Lookup
    pickup_store_id: str  # empty: the terminal's store
    basket: list[BasketLine]
    payment_method: str  # empty: paid by a link sent to the customer
    associate: str
    customer_email: str


def check_aisle_order(request: store_ops_pb2.PlaceOrderForCustomerRequest) -> AisleOrder:
    """Raises INVALID_ARGUMENT naming every bad field; returns the order with its basket merged
    and the associate's name trimmed."""
    errors = Violations()
    check_request_id(request.request_id, errors)
    customer = check_lookup({name: getattr(request, name) for name in LOOKUPS}, errors)
    anonymous = customer.field == "customer_id" and customer.value == ANONYMOUS
    errors.check(not anonymous, "customer_id", "an order for pickup needs a known customer")
    if request.pickup_store_id:
        ok = ids.is_location_id(request.pickup_store_id)
        errors.check(ok, "pickup_store_id", "not a store id")
    basket = check_basket([BasketLine(x.sku, x.quantity) for x in request.lines], errors)
    if request.payment_link:
        why = "leave empty: the customer pays by the link"
        errors.check(not request.payment_method, "payment_method", why)
    else:
        check_payment_method(request.payment_method, errors)
    fields.check_name(request.associate, "associate", errors)
    email = request.customer_email.strip()
    if email:
        check_email(email, errors)
    errors.raise_if_any()
    return AisleOrder(
        request.request_id,
        customer,
        request.pickup_store_id,
        basket,
        request.payment_method,
        request.associate.strip(),
        email,
    )


class EndlessAisle:
    auth: TokenAuthority
    reads: Reads
    placing: OrderPlacing
    link_terms: LinkTerms

    async def PlaceOrderForCustomer(
        self, request: store_ops_pb2.PlaceOrderForCustomerRequest, context: Context
    ) -> store_ops_pb2.PlaceOrderForCustomerResponse:
        principal = self.auth.authenticate(context, Role.STORE)
        command = check_aisle_order(request)
        ensure_sells_over_the_counter(principal.store_id)
        order_id = ids.order_id_for(f"aisle.{principal.store_id}", command.request_id)
        link = None
        if not command.payment_method:  # the customer pays later, by the link sent to them
            link = new_link(self.auth.keys, order_id, self.link_terms)

        async def order_input() -> PlaceOrderInput:
            customer_id, profile = await customer_of(self.reads, command.customer)
            asked = OrderAsked(
                order_id=order_id,
                customer_id=customer_id,
                channel=CHANNEL,
                pickup_store_id=command.pickup_store_id or principal.store_id,
                basket=command.basket,
                payment_method=command.payment_method,
                placed_by_associate=command.associate,
                placed_by_terminal=principal.subject,
            )
            placed = await priced_order(self.reads, asked, _email(command, profile))
            return replace(placed, payment_link=link)

        order = await self.placing.place(order_id, order_input)
        return store_ops_pb2.PlaceOrderForCustomerResponse(order=store_order(order))


async def _email(command: AisleOrder, profile: customers_pb2.CustomerProfile | None) -> str:
    """Where the order's messages go: the e-mail given, else the profile's, else the e-mail
    the customer was found by; INVALID_ARGUMENT on customer_email when there is none."""
    found_by = command.customer.value if command.customer.field == "email" else ""
    email = command.customer_email or (profile.email if profile else "") or found_by
    if not email:
        errors = Violations()
        errors.add("customer_email", "required: the customer has no e-mail on their profile")
        errors.raise_if_any()
    return email
