"""A database from before events kept the client's request id: the upgrade that adds the column
fills it once from the events' internal keys where they hold the client's id as sent (a digest
of a long one stays empty), so the gateway answers a repeat of a command recorded before the
upgrade; a second start changes nothing. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.common.db import Database
from services.common.errors import FailedPrecondition
from services.gateway.commands import refuse_closed
from services.orders.orders.upgrade import backfill_client_request_ids, client_request_id_in
from tests.support.orders import create, get, running_orders
from workflows.contracts.ids import command_key

LONG_ID = "handover-" + "0123456789" * 5  # 59 characters: hashed into the key
RETURN_KEY = "return-RET-0123456789ABCDEF"  # not a return id: no client id is read from it


def old_events(order_id: str) -> list[tuple[str, str | None]]:
    """(type, internal key) of events the previous release wrote, in order."""
    own = f"order-{order_id}"
    return [
        ("order_awaiting_pick", f"{own}:order_awaiting_pick"),
        ("order_ready_for_pickup", f"{own}:order_ready_for_pickup:pick:0001-a"),
        ("order_picked_up", f"{own}:order_picked_up:{command_key(LONG_ID)}"),
        ("order_rerouted", f"{own}:order_rerouted-1:route"),
        ("return_received", "return-RET-0123456789:return_received:parcel-0001"),
        ("order_note", None),
    ]


async def previous_release_database(database_url: str) -> str:
    """An order whose timeline the previous release wrote, without the client_request_id column."""
    async with running_orders(database_url) as orders:
        order = await create(orders)
    db = Database(database_url)
    with db.engine.begin() as connection:
        connection.exec_driver_sql('ALTER TABLE order_events DROP COLUMN "client_request_id"')
        connection.exec_driver_sql("DROP TABLE alembic_version")  # none before migrations
        for minutes, (event_type, key) in enumerate(old_events(order.order_id), 1):
            connection.execute(
                text(
                    "INSERT INTO order_events (order_id, time, type, detail, state, request_id) "
                    "VALUES (:order_id, :time, :type, '', 'PICKED_UP', :key)"
                ),
                {
                    "order_id": order.order_id,
                    "time": datetime.now(UTC) + timedelta(minutes=minutes),
                    "type": event_type,
                    "key": key,
                },
            )
    db.dispose()
    return order.order_id


def stored_events(database_url: str) -> list[tuple[object, ...]]:
    db = Database(database_url)
    with db.engine.connect() as connection:
        query = "SELECT id, type, request_id, client_request_id FROM order_events ORDER BY id"
        rows = [tuple(row) for row in connection.exec_driver_sql(query)]
    db.dispose()
    return rows


async def test_the_upgrade_fills_the_client_request_id_where_the_key_holds_it_as_sent(
    database_url: str,
) -> None:
    order_id = await previous_release_database(database_url)

    async with running_orders(database_url) as orders:
        timeline = (await get(orders, order_id)).timeline

    assert [(e.type, e.client_request_id) for e in timeline] == [
        ("order_created", ""),
        ("order_awaiting_pick", ""),
        ("order_ready_for_pickup", "pick:0001-a"),
        ("order_picked_up", ""),
        ("order_rerouted", ""),
        ("return_received", "parcel-0001"),
        ("order_note", ""),
    ]


async def test_a_second_start_changes_nothing(database_url: str) -> None:
    await previous_release_database(database_url)
    async with running_orders(database_url):
        pass
    upgraded = stored_events(database_url)

    async with running_orders(database_url):
        pass

    assert stored_events(database_url) == upgraded
    assert [row[3] for row in upgraded].count("") == len(upgraded) - 2


async def test_the_gateway_answers_a_repeat_recorded_before_the_upgrade(database_url: str) -> None:
    order_id = await previous_release_database(database_url)

    async with running_orders(database_url) as orders:
        order = await get(orders, order_id)

    refuse_closed(order, "ORDER_NOT_AWAITING_PICK", "order_ready_for_pickup", "pick:0001-a")
    with pytest.raises(FailedPrecondition):  # only the digest of a long id was kept
        refuse_closed(order, "ORDER_NOT_READY", "order_picked_up", LONG_ID)


async def test_a_backfill_in_small_batches_fills_the_same_events(database_url: str) -> None:
    await previous_release_database(database_url)
    db = Database(database_url)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "ALTER TABLE order_events ADD COLUMN client_request_id VARCHAR(128) NOT NULL DEFAULT ''"
        )
        filled = backfill_client_request_ids(connection, batch=2)
        again = backfill_client_request_ids(connection, batch=2)
    db.dispose()

    events = stored_events(database_url)
    assert (filled, again) == (2, 0)
    assert [row[3] for row in events if row[3]] == ["pick:0001-a", "parcel-0001"]


@pytest.mark.parametrize(
    ("key", "client_request_id"),
    [
        ("order-ORD-1:order_cancelled:cancel-0001", "cancel-0001"),
        ("order-ORD-1:order_cancelled:a:b:c:d:e", "a:b:c:d:e"),
        ("order-ORD-1:order_cancelled:" + "x" * 48, "x" * 48),
        ("order-ORD-1:order_cancelled:" + command_key("x" * 49), ""),
        ("order-ORD-1:order_cancelled:h" + "0" * 40, ""),  # a digest's shape: cannot tell
        ("order-ORD-1:order_cancelled:short", ""),  # breaks the request id rule
        ("order-ORD-1:order_cancelled:cancel 01", ""),
        ("order-ORD-1:order_cancelled", ""),
        ("order-ORD-1:order_cancelled:", ""),
        ("order-ORD-2:order_cancelled:cancel-0001", ""),  # another order's workflow
        ("sale-ORD-1:order_cancelled:cancel-0001", ""),
        ("transfer-ORD-1-1:order_cancelled:cancel-0001", ""),
        ("order-ORD-1:order_picked_up:cancel-0001", ""),  # another event's key
        ("order-ORD-1:order_cancelled-2:cancel-0001", ""),
        ("return-RET-0123456789:order_cancelled:parcel-0001", "parcel-0001"),
        (RETURN_KEY + ":order_cancelled:parcel-0001", ""),
        ("create-ORD-1", ""),
    ],
)
def test_the_client_request_id_in_an_internal_key(key: str, client_request_id: str) -> None:
    assert client_request_id_in("ORD-1", "order_cancelled", key) == client_request_id
