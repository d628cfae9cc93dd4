"""The databases the previous release wrote (its services created their tables with create_all;
there were no migrations) are upgraded by the service that starts on them: every row stays as
it was, the database is stamped at the newest revision and matches the code, and the service
answers for what the old release recorded. On SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from clickcollect.inventory.v1 import inventory_pb2 as inv
from clickcollect.notifications.v1 import notifications_pb2 as notes
from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.stores.v1 import stores_pb2 as st
from services.common.db import Database
from services.common.migrations import Upgrade, drift, schema_of, upgrade
from tests.support import customers, inventory, notifications, orders, stores
from tests.support.release_dump import (
    CUSTOMER,
    ORDER_COLLECTED,
    ORDER_OPEN,
    RESERVATION,
    TRANSFER,
)
from tests.support.releases import all_rows, as_before, load_release


def upgrade_release(database_url: str, service: str) -> None:
    """The previous release's database of the service, upgraded as a start would: each row
    as it was, stamped at the head, no difference from the code; a second start does nothing."""
    load_release(database_url, service)
    before = all_rows(database_url)
    schema = schema_of(service)
    head = schema.revisions()[0]
    db = Database(database_url)
    try:
        assert upgrade(db, schema) == Upgrade(None, head)
        assert drift(db, schema) == []
        assert upgrade(db, schema) == Upgrade(head, head)
    finally:
        db.dispose()
    assert as_before(all_rows(database_url), before) == before


async def test_the_previous_releases_orders_are_read_after_the_upgrade(database_url: str) -> None:
    upgrade_release(database_url, "orders")
    async with orders.running_orders(database_url) as stub:
        collected = await orders.get(stub, ORDER_COLLECTED)
        waiting = await orders.get(stub, ORDER_OPEN)
        found = await stub.ListOrders(pb.ListOrdersRequest(customer_id=CUSTOMER))
    assert (collected.state, collected.collected_by) == (pb.ORDER_STATE_PICKED_UP, "Ada")
    assert [(line.sku, line.quantity) for line in collected.lines] == [("SKU-1", 2), ("SKU-2", 1)]
    assert [(p.operation, p.amount.amount_minor) for p in collected.payments] == [
        (pb.PAYMENT_OPERATION_AUTHORIZE, 3000),
        (pb.PAYMENT_OPERATION_CAPTURE, 3000),
    ]
    assert [(r.state, r.receiving_location_id) for r in collected.returns] == [
        (pb.RETURN_STATE_RECEIVED, "STORE-002")
    ]
    assert waiting.fulfillment_type == pb.FULFILLMENT_TYPE_SHIP_TO_STORE
    assert [(s.transfer_id, s.state) for s in waiting.shipments] == [
        (TRANSFER, pb.SHIPMENT_STATE_PLANNED)
    ]
    assert {order.order_id for order in found.orders} == {ORDER_COLLECTED, ORDER_OPEN}
    async with customers.running_customers(database_url) as stub:
        profile = await customers.profile_of(stub, CUSTOMER)
    assert (profile.email, profile.locale) == ("ada@example.com", "fr")


async def test_the_previous_releases_stock_is_read_after_the_upgrade(database_url: str) -> None:
    upgrade_release(database_url, "inventory")
    async with inventory.running_inventory(database_url) as stub:
        kettles = await inventory.stock(stub, "SKU-1")
        mugs_coming = await inventory.stock(stub, "SKU-2")
        held = await inventory.reservation(stub, RESERVATION)
        moving = (await stub.GetTransfer(inv.GetTransferRequest(transfer_id=TRANSFER))).transfer
    assert (kettles.on_hand, kettles.reserved) == (10, 2)
    assert (mugs_coming.on_hand, mugs_coming.in_transit) == (0, 1)
    assert inventory.held(held) == [("STORE-001", "SKU-1", 2)]
    assert moving.state == inv.TRANSFER_STATE_SHIPPED
    assert [(line.sku, line.quantity) for line in moving.lines] == [("SKU-2", 1)]


async def test_the_previous_releases_stores_are_read_after_the_upgrade(database_url: str) -> None:
    upgrade_release(database_url, "stores")
    async with stores.running_stores(database_url) as stub:
        store = await stores.get(stub, "STORE-001")
        lanes = await stores.all_lanes(stub, destination_id="STORE-001")
    assert (store.name, store.email) == ("Location STORE-001", "s1@example.com")
    assert sorted(store.capabilities) == sorted(stores.FULL_STORE)
    assert [(lane.source_id, lane.transit_days) for lane in lanes] == [("DC-01", 2)]
    assert store.kind == st.LOCATION_KIND_STORE


async def test_a_message_the_previous_release_sent_is_not_sent_again(
    database_url: str, tmp_path: Path
) -> None:
    upgrade_release(database_url, "notifications")
    outboxes = notifications.running_notifications(
        database_url, outbox_path=str(tmp_path / "mail"), sms_outbox_path=str(tmp_path / "sms")
    )
    async with outboxes as stub:
        listed = notes.ListNotificationsRequest(order_id=ORDER_COLLECTED)
        sent = await stub.ListNotifications(listed)
        repeat = await stub.SendNotification(notifications.ready_for_pickup(ORDER_COLLECTED))
    assert len(sent.notifications) == 2
    assert repeat.duplicate
    assert not (tmp_path / "mail").exists() and not (tmp_path / "sms").exists()
