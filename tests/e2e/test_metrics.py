"""Every process of the stack serves Prometheus metrics on its own port: the gRPC requests it
answered (by method and code, with latencies, and business refusals by reason), the order
funnel, deliveries by channel, and the Temporal SDK's worker metrics. An order placed, picked
and refused shows up in them."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
import uuid
from pathlib import Path

import grpc
import yaml
from temporalio.client import Client

from deploy.local.stack import Stack
from services.common.settings import METRICS_PORTS
from tests.e2e.aisle_support import VASE, stocked_catalogue
from tests.support.edge import http
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


async def test_the_edge_serves_envoys_statistics_and_nothing_else_of_its_admin(
    stack: Stack,
) -> None:
    config = stack.config
    asked = await http("GET", f"{config.edge_url}/v1/orders/ORD-0/payment?code=not-a-code")
    assert asked.status == 400  # the gateway's INVALID_ARGUMENT, through the edge
    edge = await scrape(config.metrics_url("edge"))
    refused_here = {"envoy_http_conn_manager_prefix": "edge", "envoy_response_code_class": "4"}
    assert total(edge, "envoy_http_downstream_rq_xx", **refused_here) >= 1
    assert total(edge, "envoy_cluster_upstream_rq_total", envoy_cluster_name="gateway") >= 1
    assert total(edge, "envoy_cluster_membership_healthy", envoy_cluster_name="gateway") == 1
    metrics_port = config.metrics_url("edge").removesuffix("/metrics")
    for method, path in [
        ("POST", "/metrics"),
        ("GET", "/config_dump"),
        ("GET", "/stats"),
        ("POST", "/quitquitquit"),
        ("POST", "/logging?level=trace"),
    ]:
        answer = await http(method, metrics_port + path, body=b"" if method == "POST" else None)
        assert answer.status == 404, (method, path, answer.status)
    assert (await http("GET", f"{config.edge_url}/healthz")).status == 200  # still serving


DEPLOY = Path(__file__).parents[2] / "deploy"
# A metric's name (not a label's: those are followed by a matcher, or grouped by).
OURS = re.compile(r"\b((?:clickcollect|grpc_server|temporal|envoy)_[a-zA-Z0-9_]+)\b(?!\s*[=!])")
GROUPING = re.compile(r"\b(?:by|without)\s*\([^)]*\)")
SUFFIXES = ("_bucket", "_count", "_sum", "_created")


async def served_names(url: str) -> set[str]:
    """Every metric name the endpoint serves: samples, and families declared without one yet."""
    body = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
    names = set()
    for line in body.decode().splitlines():
        if line.startswith("# TYPE "):
            name, kind = line.split()[2:4]
            names.add(
                name + "_total" if kind == "counter" and not name.endswith("_total") else name
            )
        elif line and not line.startswith("#"):
            names.add(line.split("{")[0].split(" ")[0])
    return names


def used_names() -> dict[str, set[str]]:
    """The metric names each alert rule and dashboard panel uses (our three namespaces)."""
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    dashboard = json.loads((DEPLOY / "grafana" / "orders-dashboard.json").read_text())
    used: dict[str, set[str]] = {}
    for group in alerts["groups"]:
        for rule in group["rules"]:
            used[f"alert {rule['alert']}"] = metric_names(rule["expr"])
    for panel in dashboard["panels"]:
        exprs = " ".join(target["expr"] for target in panel["targets"])
        used[f"panel {panel['title']}"] = metric_names(exprs)
    return used


def metric_names(expr: str) -> set[str]:
    return set(OURS.findall(GROUPING.sub("", expr)))


async def test_every_alert_and_dashboard_panel_uses_metrics_the_processes_serve(
    stack: Stack, customer: Caller
) -> None:
    await customer.place(("TSHIRT-WHT-M", 1))
    # a workflow task that fails (input no order could be), so the worker's failure counter shows
    client = await Client.connect(stack.config.temporal_address)
    probe = await client.start_workflow(
        "OrderWorkflow", "not an order", id=f"metrics-probe-{uuid.uuid4().hex}", task_queue="orders"
    )
    served: set[str] = set()
    for _ in range(100):
        served = set()
        for name in stack.config.metrics_ports:
            served |= await served_names(stack.config.metrics_url(name))
        if "temporal_workflow_task_execution_failed" in served:
            break
        await asyncio.sleep(0.1)
    await probe.terminate("metrics probe")

    used = used_names()
    assert len(used) >= 15 and all(used.values()), used
    missing = {
        where: sorted(
            n for n in names if n not in served and n.removesuffix(_suffix(n)) not in served
        )
        for where, names in used.items()
    }
    assert {where: names for where, names in missing.items() if names} == {}


def _suffix(name: str) -> str:
    return next((s for s in SUFFIXES if name.endswith(s)), "")


def test_prometheus_scrapes_every_process_on_its_metrics_port() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    scraped = {
        job["job_name"]: target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    assert scraped == {name: f"{name}:{port}" for name, port in METRICS_PORTS.items()}
    assert config["rule_files"] == ["alerts.yml"]
