"""Stock through the public gateway and the real processes: a shopper sees per store whether a
product is on the shelf and when it could be shipped there (never a count); an associate sees
the counts here and elsewhere, with when each location could get it to this store."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf.descriptor import FieldDescriptor

from clickcollect.gateway.v1 import checkout_pb2, stock_pb2
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.e2e.aisle_support import (
    CENTRAAL,
    LAMP,
    VASE,
    availability,
    lookup_stock,
    stocked_catalogue,
)
from tests.support.gateway import Caller, bearer, refused, token

OK = grpc.StatusCode
IN, LOW, OUT = (
    stock_pb2.STOCK_STATUS_IN_STOCK,
    stock_pb2.STOCK_STATUS_LOW_STOCK,
    stock_pb2.STOCK_STATUS_OUT_OF_STOCK,
)


@pytest.fixture(autouse=True)
async def catalogue(stack: Stack) -> None:
    await stocked_catalogue(stack)


async def test_a_shopper_sees_a_status_per_store_and_when_it_could_be_shipped_never_a_count(
    customer: Caller, terminal: Caller, anonymous: Caller
) -> None:
    latitude, longitude = CENTRAAL
    near = await availability(customer, VASE, LAMP, latitude=latitude, longitude=longitude)
    assert {"STORE-001", "STORE-002", "STORE-003"} <= set(near)
    assert [near[s][VASE].status for s in ("STORE-001", "STORE-002", "STORE-003")] == [OUT, IN, LOW]
    for sku in (VASE, LAMP):
        shipped = near["STORE-001"][sku]
        assert shipped.ship_to_store and shipped.ship_ready_by.seconds > 0
    assert near["STORE-001"][LAMP].status == OUT
    [(store, rows)] = (await availability(customer, VASE, store_id="STORE-003")).items()
    assert (store, rows[VASE].status) == ("STORE-003", LOW)
    for view in (stock_pb2.StoreAvailability, stock_pb2.SkuAvailability):
        counts = [f.name for f in view.DESCRIPTOR.fields if f.cpp_type in _INTEGERS]
        assert counts == [], f"{view.DESCRIPTOR.name} would show a count"

    for asked, code, reason in [
        ({"skus": [VASE, "NOPE-404"], "store_id": "STORE-001"}, OK.NOT_FOUND, "SKU_NOT_FOUND"),
        ({"skus": [VASE], "store_id": "STORE-999"}, OK.NOT_FOUND, "LOCATION_NOT_FOUND"),
    ]:
        error = await refused(_ask(customer, asked))
        assert (error.code, error.reason) == (code, reason)
    error = await refused(_ask(customer, {"skus": [VASE, "bad sku"], "latitude": 91.0}))
    assert error.code == OK.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["skus[1]", "latitude"]
    error = await refused(_ask(terminal, {"skus": [VASE], "store_id": "STORE-001"}))
    assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    error = await refused(_ask(anonymous, {"skus": [VASE], "store_id": "STORE-001"}))
    assert error.code == OK.UNAUTHENTICATED


async def test_an_associate_searches_the_catalogue_and_sees_counts_here_and_elsewhere(
    gateway_channel: grpc.aio.Channel, customer: Caller, terminal: Caller, other_terminal: Caller
) -> None:
    first = await lookup_stock(terminal, query="aisle", page_size=1)
    assert [p.sku for p in first.products] == [LAMP] and first.next_page_token
    page_two = first.next_page_token
    second = await lookup_stock(terminal, query="aisle", page_size=1, page_token=page_two)
    [vase] = second.products
    assert (vase.sku, vase.name, vase.shelf.on_hand) == (VASE, "Aisle glass vase", 0)
    assert vase.promise.kind == stock_pb2.STOCK_PROMISE_KIND_SHIP_TO_STORE
    elsewhere = {row.location_id: row for row in vase.elsewhere}
    assert set(elsewhere) == {"STORE-002", "STORE-003"}  # the DC has none
    assert elsewhere["STORE-002"].counts.available_to_promise == 10
    assert all(row.ships_here and row.ready_by.seconds > 0 for row in vase.elsewhere)

    [five] = (await lookup_stock(terminal, sku=VASE, quantity=5)).products
    can_ship = {row.location_id: row.ships_here for row in five.elsewhere}
    assert can_ship == {"STORE-002": True, "STORE-003": False}  # Oost has two
    assert not five.elsewhere[-1].HasField("ready_by")
    [here] = (await lookup_stock(other_terminal, sku=VASE)).products
    assert (here.shelf.on_hand, here.promise.kind) == (
        10,
        stock_pb2.STOCK_PROMISE_KIND_PICKUP_IN_STORE,
    )

    bad: list[tuple[dict[str, Any], list[str]]] = [
        ({"sku": VASE, "query": "vase"}, ["query"]),
        ({}, ["sku"]),
        ({"sku": VASE, "quantity": 100}, ["quantity"]),
        ({"query": "x" * 65}, ["query"]),
    ]
    for asked, fields in bad:
        error = await refused(lookup_stock(terminal, **asked))
        assert (error.code, [v.field for v in error.violations]) == (OK.INVALID_ARGUMENT, fields)
    error = await refused(lookup_stock(terminal, sku="NOPE-404"))
    assert (error.code, error.reason) == (OK.NOT_FOUND, "SKU_NOT_FOUND")
    error = await refused(lookup_stock(customer, sku=VASE))
    assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    dock = Caller(gateway_channel, bearer(token(Role.STORE, "dc-dock-1", "DC-01")))
    error = await refused(lookup_stock(dock, sku=VASE))
    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "NOT_A_STORE")


_INTEGERS = {
    FieldDescriptor.CPPTYPE_INT32,
    FieldDescriptor.CPPTYPE_INT64,
    FieldDescriptor.CPPTYPE_UINT32,
    FieldDescriptor.CPPTYPE_UINT64,
}


async def _ask(caller: Caller, asked: dict[str, Any]) -> checkout_pb2.GetAvailabilityResponse:
    request = checkout_pb2.GetAvailabilityRequest(**asked)
    return await caller.checkout.GetAvailability(request, metadata=caller.metadata)
