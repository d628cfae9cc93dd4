"""Writes the databases of a release as test fixtures: each service with a database is started
on a fresh SQLite file and a fresh PostgreSQL schema, takes a few writes through its own RPCs
(ids fixed below), and each database is dumped as SQL, schema and rows as that release made
them (``tests/service/releases/<release>/<service>.<backend>.sql``).

It runs on the release's own code, not on this one: export the release, copy this file into
it and run it there (``gen`` is the same while the protos are):

    git archive <release> | tar -x -C /tmp/release && ln -s "$PWD/gen" /tmp/release/gen
    cp tests/support/release_dump.py /tmp/release/tests/support/
    (cd /tmp/release && PYTHONPATH=/tmp/release:/tmp/release/gen "$OLDPWD/.venv/bin/python" \\
        -m tests.support.release_dump "$OLDPWD/tests/service/releases/<release>")

PostgreSQL: the server of CC_TEST_POSTGRES_URL and ``pg_dump`` of the same major version."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

from clickcollect.inventory.v1 import inventory_pb2 as inv
from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.stores.v1 import stores_pb2 as st
from tests.support import customers, inventory, notifications, orders, returns, stores
from tests.support.databases import POSTGRES_URL

ORDER_COLLECTED = "ORD-0000000001"  # paid, picked, collected
ORDER_OPEN = "ORD-0000000002"  # shipped to the store: routed, a transfer planned
RESERVATION = "res-ORD-0000000002"
TRANSFER = "transfer-ORD-0000000002-1"
CUSTOMER = "cust-1001"
Writes = Callable[[str, Path], Coroutine[Any, Any, None]]


async def write_stores(url: str, _work: Path) -> None:
    async with stores.running_stores(url) as stub:
        store = stores.a_location(
            "STORE-001", capabilities=stores.FULL_STORE, email="s1@example.com"
        )
        await stores.upsert(stub, store)
        await stores.upsert(stub, stores.a_location("DC-01"))
        await stores.upsert_lane(stub, stores.a_lane("DC-01", "STORE-001", 2))
        await stub.CreatePairingCode(
            st.CreatePairingCodeRequest(
                request_id="pairing-1", store_id="STORE-001", device_name="Counter tablet"
            )
        )


async def write_inventory(url: str, _work: Path) -> None:
    async with inventory.running_inventory(url) as stub:
        await inventory.a_product(stub, "SKU-1", name="Kettle")
        await inventory.a_product(stub, "SKU-2", name="Mug", final_sale=True)
        await inventory.receive(stub, "SKU-1", 10)
        await inventory.receive(stub, "SKU-2", 4, "DC-01")
        lines = [inventory.line("SKU-1", 2), inventory.line("SKU-2", 1, "DC-01")]
        await stub.Reserve(
            inv.ReserveRequest(reservation_id=RESERVATION, order_id=ORDER_OPEN, lines=lines)
        )
        await stub.CreateTransfer(
            inv.CreateTransferRequest(
                transfer_id=TRANSFER,
                reservation_id=RESERVATION,
                source_id="DC-01",
                destination_id="STORE-001",
                lines=[inventory.transfer_line("SKU-2", 1)],
            )
        )
        await stub.ShipTransfer(inv.ShipTransferRequest(transfer_id=TRANSFER))


async def write_orders(url: str, _work: Path) -> None:
    async with orders.running_orders(url) as stub:
        await orders.handed_over(stub, order_id=ORDER_COLLECTED, customer_id=CUSTOMER)
        await stub.CreateReturn(returns.in_store(ORDER_COLLECTED, ("SKU-2", 1)))
        ship = pb.FULFILLMENT_TYPE_SHIP_TO_STORE
        await orders.create(stub, order_id=ORDER_OPEN, customer_id=CUSTOMER, fulfillment_type=ship)
        route = {1: [("STORE-001", 2)], 2: [("DC-01", 1)]}
        await stub.RecordRoute(orders.route_request(ORDER_OPEN, route))
        await stub.RecordShipment(orders.shipment_request(ORDER_OPEN, event="transfer_created"))
    async with customers.running_customers(url) as stub:
        await customers.saved(stub, customers.a_profile(CUSTOMER))


async def write_notifications(url: str, work: Path) -> None:
    outboxes = notifications.running_notifications(
        url, outbox_path=str(work / "mail.jsonl"), sms_outbox_path=str(work / "sms")
    )
    async with outboxes as stub:
        await stub.SendNotification(notifications.ready_for_pickup(ORDER_COLLECTED))
        await stub.SendNotification(notifications.order_picked_up(ORDER_COLLECTED))


SERVICES: dict[str, Writes] = {
    "stores": write_stores,
    "inventory": write_inventory,
    "orders": write_orders,
    "notifications": write_notifications,
}


def sqlite_dump(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return "\n".join(connection.iterdump()) + "\n"


def postgres_dump(schema: str) -> str:
    """The schema's tables and rows, unqualified (they load into whatever schema comes first
    on the search path), without the settings and meta-commands of pg_dump's preamble."""
    dumped = subprocess.run(
        [
            *("pg_dump", "--dbname", POSTGRES_URL, "--schema", schema, "--no-owner"),
            *("--no-privileges", "--no-comments", "--column-inserts"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    kept = [
        line.replace(f"{schema}.", "")
        for line in dumped.splitlines()
        if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "\\", "--"))
        and not line.startswith(f"CREATE SCHEMA {schema}")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"


def postgres_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


def dump(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for service, writes in SERVICES.items():
            asyncio.run(writes(f"sqlite:///{work / service}.db", work))
            (out / f"{service}.sqlite.sql").write_text(sqlite_dump(work / f"{service}.db"))
            schema = f"release_{service}"
            with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
                connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE".encode())
                connection.execute(f"CREATE SCHEMA {schema}".encode())
            asyncio.run(writes(postgres_url(schema), work))
            (out / f"{service}.postgresql.sql").write_text(postgres_dump(schema))
            with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
                connection.execute(f"DROP SCHEMA {schema} CASCADE".encode())


if __name__ == "__main__":
    dump(Path(sys.argv[1]))
