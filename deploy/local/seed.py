"""Seeds the demo retailer through the services' own APIs. Idempotent: every call carries a
fixed request id, so seeding again (every `make run`) changes nothing."""

from __future__ import annotations

import grpc

from clickcollect.common.v1 import money_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import customers_pb2, customers_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from deploy.local.demo_data import (
    DEMO_CUSTOMER,
    LANES,
    LOCATIONS,
    PRODUCTS,
    TIME_ZONE,
    DemoLocation,
    safety_stock_for,
    stock_for,
)
from services.common.clients import channel

STORE_CAPABILITIES = [
    stores_pb2.CAPABILITY_PICKUP,
    stores_pb2.CAPABILITY_SHIP_TO_STORE,
    stores_pb2.CAPABILITY_RETURNS,
    stores_pb2.CAPABILITY_SHIP_FROM,
]
DC_CAPABILITIES = [stores_pb2.CAPABILITY_RETURNS, stores_pb2.CAPABILITY_SHIP_FROM]


def location_proto(demo: DemoLocation) -> stores_pb2.Location:
    return stores_pb2.Location(
        location_id=demo.location_id,
        name=demo.name,
        email=f"{demo.location_id.lower()}@stores.clickcollect.example",
        kind=stores_pb2.LOCATION_KIND_DISTRIBUTION_CENTER
        if demo.is_dc
        else stores_pb2.LOCATION_KIND_STORE,
        address=stores_pb2.Address(
            line1=demo.street, city="Amsterdam", postal_code=demo.postal_code, country_code="NL"
        ),
        latitude=demo.latitude,
        longitude=demo.longitude,
        time_zone=TIME_ZONE,
        opening_hours=[
            stores_pb2.OpeningHours(weekday=d, opens=o, closes=c) for d, o, c in demo.hours
        ],
        capabilities=DC_CAPABILITIES if demo.is_dc else STORE_CAPABILITIES,
        pickup_settings=stores_pb2.PickupSettings(
            pick_deadline_minutes=120,
            pickup_window_days=7,
            dispatch_minutes=demo.dispatch_minutes,
            orders_per_hour=demo.orders_per_hour,
            daily_pickup_limit=demo.daily_pickup_limit,
        ),
    )


async def seed(
    stores_target: str, inventory_target: str, credentials: grpc.ChannelCredentials | None = None
) -> int:
    """Returns the number of (location, sku) stock rows seeded (over TLS with `credentials`)."""
    async with (
        channel(stores_target, credentials) as stores_channel,
        channel(inventory_target, credentials) as inventory_channel,
    ):
        stores = stores_pb2_grpc.StoreServiceStub(stores_channel)
        inventory = inventory_pb2_grpc.InventoryServiceStub(inventory_channel)
        await _seed_locations(stores)
        await _seed_products(inventory)
        return await _seed_stock(inventory)


async def _seed_locations(stores: stores_pb2_grpc.StoreServiceAsyncStub) -> None:
    """Locations first, then the lanes between them (a lane needs both ends)."""
    for demo in LOCATIONS:
        await stores.UpsertLocation(
            stores_pb2.UpsertLocationRequest(
                request_id=f"seed-v4-{demo.location_id}", location=location_proto(demo)
            )
        )
    for source_id, destination_id, days in LANES:
        lane = stores_pb2.Lane(
            source_id=source_id, destination_id=destination_id, transit_days=days
        )
        await stores.UpsertLane(
            stores_pb2.UpsertLaneRequest(
                request_id=f"seed-v1-lane-{source_id}-{destination_id}", lane=lane
            )
        )


async def _seed_products(inventory: inventory_pb2_grpc.InventoryServiceAsyncStub) -> None:
    for sku, name, price, final_sale in PRODUCTS:
        product = inventory_pb2.Product(
            sku=sku,
            name=name,
            price=money_pb2.Money(amount_minor=price, currency_code="EUR"),
            final_sale=final_sale,
        )
        await inventory.UpsertProduct(
            inventory_pb2.UpsertProductRequest(request_id=f"seed-v1-{sku}", product=product)
        )


async def _seed_stock(inventory: inventory_pb2_grpc.InventoryServiceAsyncStub) -> int:
    rows = 0
    for demo in LOCATIONS:
        for sku, *_ in PRODUCTS:
            await inventory.AdjustStock(
                inventory_pb2.AdjustStockRequest(
                    request_id=f"seed-v1-{demo.location_id}-{sku}",
                    location_id=demo.location_id,
                    sku=sku,
                    on_hand_delta=stock_for(demo.location_id, sku),
                    safety_stock=safety_stock_for(demo.location_id, sku),
                    kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
                    reason="opening stock",
                )
            )
            rows += 1
    return rows


async def seed_customers(
    orders_target: str, credentials: grpc.ChannelCredentials | None = None
) -> None:
    """The demo customer's profile, made once: its fixed request id answers later runs from the
    record, so a profile the customer changed since is left as they made it."""
    demo = DEMO_CUSTOMER
    sms_too = [customers_pb2.MESSAGE_CHANNEL_SMS, customers_pb2.MESSAGE_CHANNEL_EMAIL]
    pickup = customers_pb2.MESSAGE_KIND_PICKUP
    profile = customers_pb2.CustomerProfile(
        customer_id=demo.customer_id,
        email=demo.email,
        phone=demo.phone,
        locale=demo.locale,
        preferences=[customers_pb2.ChannelPreference(kind=pickup, channels=sms_too)],
        identities=[
            customers_pb2.Identity(
                kind=customers_pb2.IDENTITY_KIND_LOYALTY_CARD, value=demo.loyalty_card
            )
        ],
    )
    account = customers_pb2.Identity(
        kind=customers_pb2.IDENTITY_KIND_WEB_ACCOUNT, value=demo.customer_id
    )
    async with channel(orders_target, credentials) as orders_channel:
        await customers_pb2_grpc.CustomerServiceStub(orders_channel).UpdateProfile(
            customers_pb2.UpdateProfileRequest(
                request_id=f"seed-v1-customer-{demo.customer_id}", profile=profile, account=account
            )
        )
