"""Endless-aisle orders keep the associate who placed them and the store terminal: on the order,
in the store's queue and the customer's history; an order database from before gains the columns
and keeps its orders. Over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.db import Database
from tests.support.orders import create, get, refused, running_orders

if TYPE_CHECKING:
    from tests.support.orders import Stub

AISLE = {"placed_by_associate": "Sam de Vries", "placed_by_terminal": "terminal-001-a"}


async def test_an_order_placed_at_a_terminal_names_the_associate_and_the_terminal(
    orders: Stub,
) -> None:
    order = await create(orders, channel=pb.CHANNEL_STORE, customer_id="cust-aisle-1", **AISLE)

    for seen in (
        order,
        await get(orders, order.order_id),
        (await orders.ListOrders(pb.ListOrdersRequest(customer_id="cust-aisle-1"))).orders[0],
    ):
        assert (seen.placed_by_associate, seen.placed_by_terminal) == tuple(AISLE.values())
    plain = await create(orders)
    assert (plain.placed_by_associate, plain.placed_by_terminal) == ("", "")


async def test_an_associate_without_a_terminal_or_on_two_lines_is_refused(orders: Stub) -> None:
    for fields, bad in [
        ({"placed_by_associate": "Sam"}, "order.placed_by_terminal"),
        ({"placed_by_terminal": "terminal-001-a"}, "order.placed_by_associate"),
        ({**AISLE, "placed_by_associate": "Sam\nde Vries"}, "order.placed_by_associate"),
        ({**AISLE, "placed_by_terminal": "till 7"}, "order.placed_by_terminal"),
    ]:
        error = await refused(create(orders, **fields))
        assert (error.code, [v.field for v in error.violations]) == (
            grpc.StatusCode.INVALID_ARGUMENT,
            [bad],
        )


async def test_an_order_database_from_before_gains_the_columns_and_keeps_its_orders(
    database_url: str,
) -> None:
    async with running_orders(database_url) as orders:
        old = await create(orders)
    db = Database(database_url)
    with db.engine.begin() as connection:
        for column in ("placed_by_associate", "placed_by_terminal"):
            connection.exec_driver_sql(f'ALTER TABLE orders DROP COLUMN "{column}"')
        connection.exec_driver_sql("DROP TABLE alembic_version")  # none before migrations
    db.dispose()

    async with running_orders(database_url) as orders:
        kept = await get(orders, old.order_id)
        new = await create(orders, channel=pb.CHANNEL_STORE, **AISLE)
        stored = await get(orders, new.order_id)

    assert (kept.order_id, kept.placed_by_associate, kept.placed_by_terminal) == (
        old.order_id,
        "",
        "",
    )
    assert (stored.placed_by_associate, stored.placed_by_terminal) == tuple(AISLE.values())
