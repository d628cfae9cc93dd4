"""What-if routing for operations through the gateway: OpsService.ExplainRoute lists every plan
the router weighs (the shelf, each source, the split) with its verdict and ready-by and reserves
nothing; GetPickupOptions with an ops token carries the same explanations; customers and
terminals are refused; bad input is refused naming the field."""

from __future__ import annotations

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2, ops_pb2, routes_pb2
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.e2e.capacity_support import (
    a_product,
    add_lane,
    levels,
    new_store_id,
    open_store,
    stock,
)
from tests.support.gateway import Caller, bearer, refused, token

SKU = "CAP-LAMP-01"  # at STORE-002 (2) and DC-01 (1) only


@pytest.fixture
def ops(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))


@pytest.fixture
async def far_store(stack: Stack) -> str:
    """A new store with no lamps, lanes from Amsterdam Zuid and the DC."""
    store_id = new_store_id()
    await open_store(stack, store_id)
    await a_product(stack, SKU)
    await stock(stack, "STORE-002", SKU, 2)
    await stock(stack, "DC-01", SKU, 1)
    for source in ("STORE-002", "DC-01"):
        await add_lane(stack, source, store_id)
    return store_id


def explain(store_id: str, *lines: tuple[str, int]) -> ops_pb2.ExplainRouteRequest:
    basket = [checkout_pb2.BasketLine(sku=sku, quantity=q) for sku, q in lines]
    return ops_pb2.ExplainRouteRequest(store_id=store_id, lines=basket)


def plans_of(explanation: routes_pb2.RouteExplanation) -> list[tuple[int, tuple[str, ...], int]]:
    return [(p.kind, tuple(p.source_ids), p.verdict) for p in explanation.plans]


async def test_explain_route_lists_every_plan_with_its_verdict_and_reserves_nothing(
    stack: Stack, ops: Caller, customer: Caller, far_store: str
) -> None:
    where = [far_store, "STORE-002", "DC-01"]
    before = await levels(stack, where, SKU)

    answer = await ops.ops.ExplainRoute(explain(far_store, (SKU, 3)), metadata=ops.metadata)

    explanation = answer.explanation
    assert explanation.store_id == far_store and explanation.ready_by.seconds > 0
    by_sources = {tuple(p.source_ids): p for p in explanation.plans}
    chosen = [p for p in explanation.plans if p.verdict == routes_pb2.PLAN_VERDICT_CHOSEN]
    assert len(chosen) == 1 and explanation.plans[0] == chosen[0]
    assert sorted(chosen[0].source_ids) == ["DC-01", "STORE-002"]
    assert chosen[0].kind == routes_pb2.PLAN_KIND_SHIP_TO_STORE
    assert chosen[0].ready_by == explanation.ready_by
    shelf = by_sources[()]
    assert (shelf.kind, shelf.verdict, shelf.reason) == (
        routes_pb2.PLAN_KIND_PICKUP_IN_STORE,
        routes_pb2.PLAN_VERDICT_REJECTED,
        f"the shelf lacks 3 x {SKU}",
    )
    for source, lacks in (("STORE-002", 1), ("DC-01", 2)):
        single = by_sources[(source,)]
        assert single.verdict == routes_pb2.PLAN_VERDICT_REJECTED
        assert single.reason == f"cannot cover the basket: lacks {lacks} x {SKU}"
        assert [(m.sku, m.quantity) for m in single.missing] == [(SKU, lacks)]
        assert not single.HasField("ready_by")
    assert {n.location_id for n in explanation.locations} >= {far_store, "STORE-002", "DC-01"}
    assert await levels(stack, where, SKU) == before, "what-if routing holds nothing"

    options = await ops.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id=far_store, lines=[checkout_pb2.BasketLine(sku=SKU, quantity=3)]
        ),
        metadata=ops.metadata,
    )
    assert options.options[0].availability == checkout_pb2.PICKUP_AVAILABILITY_SHIP_TO_STORE
    [same] = options.explanations
    assert same.store_id == far_store and plans_of(same) == plans_of(explanation)

    theirs = await customer.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id=far_store, lines=[checkout_pb2.BasketLine(sku=SKU, quantity=3)]
        ),
        metadata=customer.metadata,
    )
    assert list(theirs.explanations) == []  # for operations only
    assert theirs.options[0].source_ids == options.options[0].source_ids
    assert await levels(stack, where, SKU) == before


async def test_only_operations_may_explain_a_route(
    gateway_channel: grpc.aio.Channel, customer: Caller, terminal: Caller
) -> None:
    request = explain("STORE-001", ("MUG-CERAMIC", 1))
    for caller in (customer, terminal):
        error = await refused(caller.ops.ExplainRoute(request, metadata=caller.metadata))
        assert (error.code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    anonymous = Caller(gateway_channel, ())
    error = await refused(anonymous.ops.ExplainRoute(request))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize(
    ("request_", "code", "reason_or_fields"),
    [
        (explain("Amsterdam", ("MUG-CERAMIC", 1)), "INVALID_ARGUMENT", ["store_id"]),
        (explain("STORE-001"), "INVALID_ARGUMENT", ["lines"]),
        (explain("STORE-001", ("mug ceramic", 1)), "INVALID_ARGUMENT", ["lines[0].sku"]),
        (explain("STORE-001", ("MUG-CERAMIC", 0)), "INVALID_ARGUMENT", ["lines[0].quantity"]),
        (explain("STORE-001", ("MUG-CERAMIC", -2)), "INVALID_ARGUMENT", ["lines[0].quantity"]),
        (explain("STORE-001", *[("MUG-CERAMIC", 1)] * 51), "INVALID_ARGUMENT", ["lines"]),
        (explain("STORE-ZZZZ99", ("MUG-CERAMIC", 1)), "NOT_FOUND", "LOCATION_NOT_FOUND"),
        (explain("STORE-001", ("NO-SUCH-SKU", 1)), "NOT_FOUND", "SKU_NOT_FOUND"),
        (explain("DC-01", ("MUG-CERAMIC", 1)), "FAILED_PRECONDITION", "PICKUP_NOT_OFFERED"),
    ],
)
async def test_bad_input_is_refused_naming_the_field_or_the_missing_thing(
    ops: Caller,
    request_: ops_pb2.ExplainRouteRequest,
    code: str,
    reason_or_fields: str | list[str],
) -> None:
    error = await refused(ops.ops.ExplainRoute(request_, metadata=ops.metadata))
    assert error.code == getattr(grpc.StatusCode, code)
    if isinstance(reason_or_fields, list):
        assert [v.field for v in error.violations] == reason_or_fields
    else:
        assert error.reason == reason_or_fields
