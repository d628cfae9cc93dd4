"""With CC_TRACING_OTLP_ENDPOINT set, a PlaceOrder is one trace from the gateway's RPC through
Temporal (update-with-start, the workflow run, its activities) to every service RPC and SQL
statement it caused, exported by OTLP to a real receiver; and the log lines of the request carry
that trace's id."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from deploy.local.otlp import ReceivedSpan, SpanReceiver, span_receiver
from deploy.local.stack import Stack
from deploy.local.stack_config import StackConfig
from services.gateway.domain import Role
from tests.e2e.conftest import seeded_stack
from tests.support.gateway import Caller, bearer, token

PLACE_ORDER = "/clickcollect.gateway.v1.CheckoutService/PlaceOrder"  # the span names the method
SERVER, CLIENT = 2, 3  # OTLP span kinds
SERVICES = ("orders", "inventory", "stores")


@dataclass
class Traced:
    stack: Stack
    receiver: SpanReceiver


@dataclass
class PlacedTrace:
    trace_id: str
    spans: list[ReceivedSpan]
    var_dir: Path
    every_name: set[str]  # of every span received, in any trace


@pytest.fixture(scope="module")
async def traced(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Traced]:
    async with span_receiver() as (receiver, endpoint):
        config = StackConfig.ephemeral(
            tmp_path_factory.mktemp("traced"), CC_TRACING_OTLP_ENDPOINT=endpoint
        )
        config.with_edge = config.with_codec_server = False
        async with seeded_stack(config) as stack:
            yield Traced(stack, receiver)


@pytest.fixture(scope="module")
async def placed(traced: Traced) -> PlacedTrace:
    target = traced.stack.config.target("gateway")
    async with grpc.aio.insecure_channel(target) as gateway:
        customer = Caller(gateway, bearer(token(Role.CUSTOMER, "cust-1001")))
        order = await customer.place(("TSHIRT-WHT-M", 1))
    assert order.order_id
    spans: list[ReceivedSpan] = []
    for _ in range(600):  # each process sends its spans in batches, every few seconds
        roots = [s for s in traced.receiver.spans if s.name == PLACE_ORDER]
        spans = traced.receiver.trace(roots[0].trace_id) if roots else []
        if not missing(spans) and not orphans(spans):  # every parent of a span in too
            break
        await asyncio.sleep(0.1)
    names = sorted({(s.service, s.name) for s in traced.receiver.spans})
    assert roots, f"no PlaceOrder span reached the receiver: {names}"
    every_name = {s.name for s in traced.receiver.spans}
    return PlacedTrace(roots[0].trace_id, spans, traced.stack.config.var_dir, every_name)


def missing(spans: list[ReceivedSpan]) -> list[str]:
    """What a PlaceOrder's trace must show and this one lacks."""
    wanted = {
        "the gateway's PlaceOrder server span": any(
            s.service == "gateway" and s.name == PLACE_ORDER and s.kind == SERVER for s in spans
        ),
        "the update-with-start client span": any(
            s.service == "gateway" and s.name == "StartUpdateWithStartWorkflow:OrderWorkflow"
            for s in spans
        ),
        "the workflow run": any(
            s.service == "worker" and s.name == "RunWorkflow:OrderWorkflow" for s in spans
        ),
        "activities": any(
            s.service == "worker" and s.name.startswith("RunActivity:") for s in spans
        ),
        "gRPC calls from the worker": any(
            s.service == "worker" and s.kind == CLIENT and s.attributes.get("rpc.system")
            for s in spans
        ),
    }
    for service in SERVICES:
        wanted[f"{service} server spans"] = any(
            s.service == service and s.kind == SERVER for s in spans
        )
        wanted[f"{service} SQL statements"] = any(s.service == service and is_sql(s) for s in spans)
    return [what for what, found in wanted.items() if not found]


def orphans(spans: list[ReceivedSpan]) -> list[str]:
    """Spans whose parent is not in the trace."""
    ids = {s.span_id for s in spans}
    return [s.name for s in spans if s.parent_span_id and s.parent_span_id not in ids]


def is_sql(span: ReceivedSpan) -> bool:
    return "db.system" in span.attributes or "db.system.name" in span.attributes


def test_a_placed_order_is_one_trace_from_the_gateway_to_every_sql_statement(
    placed: PlacedTrace,
) -> None:
    assert missing(placed.spans) == [], sorted({(s.service, s.name) for s in placed.spans})
    roots = [s for s in placed.spans if not s.parent_span_id]
    assert [(s.service, s.name) for s in roots] == [("gateway", PLACE_ORDER)]
    assert orphans(placed.spans) == []
    # the stack waited for every server's health check: probes are no trace
    assert [name for name in placed.every_name if "grpc.health" in name] == []


def log_lines(path: Path) -> list[dict[str, object]]:
    lines = []
    for text in path.read_text(encoding="utf-8").splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def test_the_requests_log_lines_carry_its_trace_id(placed: PlacedTrace) -> None:
    gateway = log_lines(placed.var_dir / "gateway.log")
    place = [line for line in gateway if line.get("method") == PLACE_ORDER]
    root = next(s for s in placed.spans if not s.parent_span_id)
    assert [(line["trace_id"], line["span_id"]) for line in place] == [
        (placed.trace_id, root.span_id)
    ]
    for service in SERVICES:
        served = {s.span_id for s in placed.spans if s.service == service and s.kind == SERVER}
        ours = [
            line
            for line in log_lines(placed.var_dir / f"{service}.log")
            if line.get("trace_id") == placed.trace_id
        ]
        # its canonical line of an RPC the request caused, written inside that RPC's span
        assert any(
            line["event"] == "rpc_finished" and line["span_id"] in served for line in ours
        ), f"no {service} log line of the request carries its trace id: {ours[:3]}"
