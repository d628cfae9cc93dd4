"""The demo customer `make run` seeds: a profile to recognise at the till, made once and left as
the customer changes it."""

from __future__ import annotations

import grpc

from clickcollect.orders.v1 import customers_pb2 as pb
from clickcollect.orders.v1 import customers_pb2_grpc
from deploy.local.demo_data import DEMO_CUSTOMER
from deploy.local.seed import seed_customers
from tests.support.customers import CARD, PICKUP, SMS, WEB, a_profile, saved, served_orders


async def test_the_demo_customer_is_found_by_card_and_keeps_their_own_changes(
    database_url: str,
) -> None:
    async with served_orders(database_url) as target, grpc.aio.insecure_channel(target) as chan:
        customers = customers_pb2_grpc.CustomerServiceStub(chan)
        await seed_customers(target)
        card = pb.Identity(kind=CARD, value=DEMO_CUSTOMER.loyalty_card)
        found = (await customers.FindCustomer(pb.FindCustomerRequest(identity=card))).profile
        await saved(customers, a_profile(DEMO_CUSTOMER.customer_id, locale="nl"), "locale")
        await seed_customers(target)  # the next `make run`
        again = (await customers.FindCustomer(pb.FindCustomerRequest(identity=card))).profile

    assert found.customer_id == DEMO_CUSTOMER.customer_id
    assert (found.email, found.phone) == (DEMO_CUSTOMER.email, DEMO_CUSTOMER.phone)
    assert [(p.kind, SMS in p.channels) for p in found.preferences] == [(PICKUP, True)]
    assert (WEB, DEMO_CUSTOMER.customer_id) in [(i.kind, i.value) for i in found.identities]
    assert again.locale == "nl"
