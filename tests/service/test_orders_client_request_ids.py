"""The client's request id of a command, kept on the order's timeline as a field of its own (the
gateway answers a repeat from it), on SQLite and on PostgreSQL; a database from before it is
upgraded in place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.db import Database
from tests.support.orders import create, get, handed_over, move, refused, running_orders
from tests.support.returns import by_mail, parcel

if TYPE_CHECKING:
    from tests.support.orders import Stub


@pytest.fixture
async def orders(database_url: str) -> AsyncIterator[Stub]:
    async with running_orders(database_url) as stub:
        yield stub


async def test_a_transition_keeps_the_clients_request_id_on_its_event(orders: Stub) -> None:
    order = await create(orders)

    await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK, client_request_id="pick-0001")

    timeline = (await get(orders, order.order_id)).timeline
    assert [(e.type, e.client_request_id) for e in timeline] == [
        ("order_created", ""),
        ("order_awaiting_pick", "pick-0001"),
    ]


async def test_a_malformed_client_request_id_is_refused_and_nothing_moves(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(
        move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK, client_request_id="pick 1")
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["client_request_id"]
    assert (await get(orders, order.order_id)).state == pb.ORDER_STATE_PENDING


async def test_a_mail_returns_receipt_keeps_the_scans_request_id(orders: Stub) -> None:
    order = await handed_over(orders)
    rma = (await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 1)))).order_return
    scan = parcel(rma.return_id, ("SKU-1", 1))
    scan.client_request_id = "parcel-0001"

    await orders.ReceiveReturn(scan)

    timeline = (await get(orders, order.order_id)).timeline
    received = [e.client_request_id for e in timeline if e.type == "return_received"]
    assert received == ["parcel-0001"]


async def test_a_timeline_from_before_the_column_is_upgraded_in_place(database_url: str) -> None:
    async with running_orders(database_url) as orders:
        order = await create(orders)
    db = Database(database_url)
    with db.engine.begin() as connection:
        connection.exec_driver_sql('ALTER TABLE order_events DROP COLUMN "client_request_id"')
        connection.exec_driver_sql("DROP TABLE alembic_version")  # none before migrations
    db.dispose()

    async with running_orders(database_url) as orders:
        await move(orders, order.order_id, pb.ORDER_STATE_CANCELLED, client_request_id="cancel-01")
        timeline = (await get(orders, order.order_id)).timeline

    assert [(e.type, e.client_request_id) for e in timeline] == [
        ("order_created", ""),
        ("order_cancelled", "cancel-01"),
    ]
