"""Every process of the stack serves Prometheus metrics on its own port: the gRPC requests it
answered (by method and code, with latencies, and business refusals by reason), the order
funnel, deliveries by channel, and the Temporal SDK's worker metrics. An order placed, picked
and refused shows up in them."""

from __future__ import annotations

import asyncio
import re
import urllib.request

import grpc

from deploy.local.stack import Stack
from tests.e2e.aisle_support import VASE, stocked_catalogue
from tests.support.gateway import Caller, refused

SAMPLE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$"
)


async def scrape(url: str) -> list[tuple[str, dict[str, str], float]]:
    body = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
    samples = []
    for line in body.decode().splitlines():
        found = SAMPLE.match(line)
        if found and not line.startswith("#"):
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', found["labels"] or ""))
            samples.append((found["name"], labels, float(found["value"])))
    return samples


def total(samples: list[tuple[str, dict[str, str], float]], name: str, **labels: str) -> float:
    return sum(
        value
        for found, have, value in samples
        if found == name and all(have.get(k) == v for k, v in labels.items())
    )


async def test_every_process_serves_its_metrics_and_an_order_shows_in_them(
    stack: Stack, customer: Caller
) -> None:
    config = stack.config
    placed = await customer.place(("TSHIRT-WHT-M", 1))
    await stocked_catalogue(stack)
    too_many = await refused(customer.place((VASE, 99)))  # 12 in all the stores
    assert too_many.code == grpc.StatusCode.FAILED_PRECONDITION

    gateway = await scrape(config.metrics_url("gateway"))
    place = {"grpc_service": "clickcollect.gateway.v1.CheckoutService", "grpc_method": "PlaceOrder"}
    assert total(gateway, "grpc_server_handled_total", grpc_code="OK", **place) >= 1
    assert total(gateway, "grpc_server_handling_seconds_count", **place) >= 2
    assert total(gateway, "grpc_server_refused_total", reason="OUT_OF_STOCK", **place) >= 1

    orders = await scrape(config.metrics_url("orders"))
    assert total(orders, "clickcollect_order_state_changes_total", state="AWAITING_PICK") >= 1
    rejected = {"state": "REJECTED", "reason": "OUT_OF_STOCK"}
    assert total(orders, "clickcollect_order_state_changes_total", **rejected) >= 1
    assert total(orders, "clickcollect_payments_total", operation="AUTHORIZE") >= 1

    inventory = await scrape(config.metrics_url("inventory"))
    reserve = {"grpc_method": "Reserve", "reason": "OUT_OF_STOCK"}
    assert total(inventory, "grpc_server_refused_total", **reserve) >= 1

    for _ in range(100):  # the confirmation goes out just after the answer
        notifications = await scrape(config.metrics_url("notifications"))
        if total(notifications, "clickcollect_notifications_total", outcome="SENT") >= 1:
            break
        await asyncio.sleep(0.1)
    assert total(notifications, "clickcollect_notifications_total", outcome="SENT") >= 1
    stores = await scrape(config.metrics_url("stores"))
    assert total(stores, "grpc_server_handled_total", grpc_code="OK") >= 1

    worker = await scrape(config.metrics_url("worker"))
    names = {name for name, _, _ in worker}
    assert any(name.startswith("temporal_workflow_task") for name in names), sorted(names)[:20]
    assert any(name.startswith("temporal_activity") for name in names), sorted(names)[:20]
    assert placed.order_id
