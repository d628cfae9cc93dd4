"""Requests per second of the reserve and read paths against the health check of the same
process, and the memory of both sides: idle, after the burst, with open orders."""

from __future__ import annotations

from grpc_health.v1 import health_pb2

from clickcollect.gateway.v1 import checkout_pb2
from clickcollect.inventory.v1 import inventory_pb2
from deploy.bench import data, measure
from deploy.bench.harness import Harness
from deploy.bench.report import Row, Target
from deploy.bench.stack import PROJECT_PROCESSES, REFERENCE_PROCESSES
from services.common.ids import order_id_for

BASKET = [checkout_pb2.BasketLine(sku=sku, quantity=1) for sku in ("TSHIRT-WHT-M", "JEANS-SLIM-32")]
BY_STORE = checkout_pb2.GetPickupOptionsRequest(store_id="STORE-001", lines=BASKET)
# Amsterdam, between the demo stores (25 km around it holds every store the benchmark adds).
BY_POINT = checkout_pb2.GetPickupOptionsRequest(latitude=52.37, longitude=4.89, lines=BASKET)
GATEWAY_HEALTH = "gateway's health check"


async def reserve(h: Harness) -> list[Row]:
    """InventoryService.Reserve, one unit, a new reservation id each call, plenty of stock."""
    o = h.options
    row = Row(f"Reserve rps, {o.rps_lanes} concurrent", "inventory's health check")
    row.higher_is_better, row.target = True, Target(">=", 0.5)
    check = health_pb2.HealthCheckRequest()
    for number in range(o.rounds):
        project = await measure.for_seconds(o.rps_seconds, o.rps_lanes, _reserving(h, number))
        reference = await measure.for_seconds(
            o.rps_seconds, o.rps_lanes, lambda i: h.inventory_health.Check(check)
        )
        row.add(project.per_second, reference.per_second)
    return [row]


def _reserving(h: Harness, round_number: int) -> measure.Call:
    return lambda i: _reserve(h, f"bench-reserve-{round_number}-{i}")


async def _reserve(h: Harness, reservation_id: str) -> None:
    line = inventory_pb2.ReservationLine(location_id="STORE-001", sku=data.RESERVE_SKU, quantity=1)
    request = inventory_pb2.ReserveRequest(
        reservation_id=reservation_id,
        order_id=order_id_for("bench", reservation_id),
        lines=[line],
    )
    await h.inventory.Reserve(request)


async def pickup_options(h: Harness, locations: int) -> list[Row]:
    """GetPickupOptions for a 2-line basket by store and by point, `customers` concurrent."""
    o = h.options
    by_store = Row(f"GetPickupOptions rps by store, {locations} locations", GATEWAY_HEALTH)
    by_point = Row(f"GetPickupOptions rps by point, {locations} locations", GATEWAY_HEALTH)
    by_store.higher_is_better = by_point.higher_is_better = True
    options = {}
    for _ in range(o.rounds):
        results = []
        for ask in (BY_STORE, BY_POINT):
            results.append(await measure.for_seconds(o.rps_seconds, o.customers, _asking(h, ask)))
            options[ask.store_id or "point"] = await h.gateway.pickup_options(0, ask)
        health = await measure.for_seconds(
            o.rps_seconds, o.customers, lambda i: h.gateway.health_check()
        )
        by_store.add(results[0].per_second, health.per_second)
        by_point.add(results[1].per_second, health.per_second)
    h.details[f"pickup_options_{locations}_locations"] = {"options_per_answer": options}
    return [by_store, by_point]


def _asking(h: Harness, ask: checkout_pb2.GetPickupOptionsRequest) -> measure.Call:
    customers = h.options.customers
    return lambda i: h.gateway.pickup_options(i % customers, ask)


async def more_stores(h: Harness) -> int:
    """Seeds 54 more stores; returns the number of locations."""
    return await data.add_stores(h.stores, h.inventory)


async def memory(h: Harness, moment: str, reference_moment: str) -> Row:
    """Resident memory (MB, process trees summed) of the stack and of Temporal + the
    reference worker, once the processes are idle."""
    await h.quiet()
    project = h.rss_mb(PROJECT_PROCESSES)
    reference = h.rss_mb(REFERENCE_PROCESSES)
    h.details[f"rss_mb {moment}"] = {"project": project, "reference": reference}
    row = Row(f"stack RSS MB, {moment}", f"Temporal + ref. worker, {reference_moment}")
    row.add(sum(project.values()), sum(reference.values()))
    return row


async def open_orders(h: Harness) -> Row:
    """Tops the accepted orders left waiting up to `open_orders`, then as many reference
    orders left waiting for their pick; the memory of each side with them."""
    o = h.options
    more = max(0, o.open_orders - h.open_orders)
    item = [(data.LIFECYCLE_SKU, 1)]
    placed = await measure.fixed(
        more, o.customers, lambda i: h.gateway.place(i % o.customers, item)
    )
    h.count_open(placed.results)
    await h.quiet()
    project = h.rss_mb(PROJECT_PROCESSES)
    more = max(0, h.open_orders - h.open_references)
    await measure.fixed(more, o.customers, lambda i: h.reference.place())
    h.open_references += more
    await h.quiet()
    reference = h.rss_mb(REFERENCE_PROCESSES)
    h.details["rss_mb open orders"] = {"project": project, "reference": reference}
    row = Row(
        f"stack RSS MB, {h.open_orders} open orders",
        f"Temporal + ref. worker, {h.open_orders} open",
        target=Target("<=", 1024, on="project"),
    )
    row.add(sum(project.values()), sum(reference.values()))
    return row
