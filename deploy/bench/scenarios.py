"""Order figures, each round the project then the reference back to back: the whole
lifecycle, PlaceOrder alone (sequential, concurrent, refused, by basket size)."""

from __future__ import annotations

from deploy.bench import measure
from deploy.bench.data import BASKET_SKUS, LIFECYCLE_SKU, SOLD_OUT_SKU
from deploy.bench.drivers import Placed
from deploy.bench.harness import BenchFailure, Harness
from deploy.bench.report import Row, Target
from deploy.bench.stack import PROJECT_PROCESSES, REFERENCE_PROCESSES

SAME_SHAPE = "same-shape workflow, driven alike"
BARE_UWS = "update-with-start, no activity"
SHAPED_ACCEPT = "same-shape workflow's accept"
BARE_CPU = "Temporal + ref. worker, no activity"
ACCEPTED = "accepted buyer"
CLIENT = "load generator"
AT_MOST_2X = Target("<=", 2)
AT_MOST_1X = Target("<=", 1)


def placing(h: Harness, lines: list[tuple[str, int]], customers: int) -> measure.Call:
    """PlaceOrder for `lines`, call i by customer i modulo `customers`."""
    return lambda i: h.gateway.place(i % customers, lines)


def bare_accepting(h: Harness, lines: int = 1) -> measure.Call:
    return lambda i: h.reference.bare_accept(lines)


def _ms_per(cpu: dict[str, float], count: int) -> dict[str, float]:
    return {name: seconds * 1000 / count for name, seconds in cpu.items()}


def _servers(per_process: dict[str, float]) -> float:
    return sum(ms for name, ms in per_process.items() if name != CLIENT)


async def lifecycle(h: Harness) -> list[Row]:
    """Place → MarkPicked → GetOrder → ConfirmPickup at `customers` concurrent, against the
    reference's update-with-start → update → update; and the server CPU each order took."""
    o = h.options
    n, lanes = o.lifecycle_orders, o.customers
    rate = Row(f"lifecycle orders/s, {lanes} concurrent", SAME_SHAPE, higher_is_better=True)
    rate.target = Target(">=", 0.8)
    cpu = Row("server CPU ms per order (lifecycle)", "Temporal + reference worker")
    breakdown = []
    for _ in range(o.rounds):
        project, used = await h.cpu(
            [*PROJECT_PROCESSES, CLIENT],
            measure.fixed(n, lanes, lambda i: h.gateway.lifecycle(i % lanes, LIFECYCLE_SKU)),
        )
        reference, ref_used = await h.cpu(
            [*REFERENCE_PROCESSES, CLIENT],
            measure.fixed(n, lanes, lambda i: h.reference.lifecycle()),
        )
        rate.add(project.per_second, reference.per_second)
        mine, theirs = _ms_per(used, n), _ms_per(ref_used, n)
        cpu.add(_servers(mine), _servers(theirs))
        breakdown.append({"project": mine, "reference": theirs})
    h.details["lifecycle_cpu_ms_per_order"] = breakdown
    return [rate, cpu]


async def place_order(h: Harness) -> list[Row]:
    """PlaceOrder one at a time and at `customers` concurrent against a bare update-with-start;
    a refused buyer (sold out) against an accepted one, in latency and server CPU."""
    o = h.options
    c = o.customers
    rows = {
        "seq50": Row("PlaceOrder p50 ms, sequential, 1-line basket", BARE_UWS),
        "seq99": Row("PlaceOrder p99 ms, sequential, 1-line basket", BARE_UWS, target=AT_MOST_2X),
        "shape": Row("PlaceOrder p50 ms, sequential, 1-line basket", SHAPED_ACCEPT),
        "con50": Row(f"PlaceOrder p50 ms, {c} concurrent", BARE_UWS),
        "con99": Row(f"PlaceOrder p99 ms, {c} concurrent", BARE_UWS, target=AT_MOST_2X),
        "cpu": Row(f"server CPU ms per PlaceOrder, {c} concurrent", BARE_CPU),
        "ref50": Row(f"refused buyer p50 ms, {c} concurrent", ACCEPTED, target=AT_MOST_1X),
        "refcpu": Row("refused buyer server CPU ms", ACCEPTED, target=AT_MOST_1X),
    }
    shape_samples = max(3, o.sequential_orders // 2)  # its p50 barely moves
    for _ in range(o.rounds):
        one = placing(h, [(LIFECYCLE_SKU, 1)], o.sequential_orders)
        seq = await measure.fixed(o.sequential_orders, 1, one)
        h.count_open(seq.results)
        bare = await measure.fixed(o.sequential_orders, 1, bare_accepting(h))
        rows["seq50"].add(seq.p(50), bare.p(50))
        rows["seq99"].add(seq.p(99), bare.p(99))
        shaped = await measure.fixed(shape_samples, 1, lambda i: h.reference.place())
        h.open_references += shape_samples
        rows["shape"].add(seq.p(50), shaped.p(50))
        await _concurrent(h, rows)
    return list(rows.values())


async def _concurrent(h: Harness, rows: dict[str, Row]) -> None:
    o = h.options
    n, lanes = o.concurrent_orders, o.customers
    accepted, cpu = await h.cpu(
        PROJECT_PROCESSES, measure.fixed(n, lanes, placing(h, [(LIFECYCLE_SKU, 1)], lanes))
    )
    h.count_open(accepted.results)
    bare, bare_cpu = await h.cpu(REFERENCE_PROCESSES, measure.fixed(n, lanes, bare_accepting(h)))
    refused, refused_cpu = await h.cpu(
        PROJECT_PROCESSES, measure.fixed(n, lanes, placing(h, [(SOLD_OUT_SKU, 1)], lanes))
    )
    reasons = {r.refusal for r in refused.results if isinstance(r, Placed)}
    if reasons != {"OUT_OF_STOCK"}:
        raise BenchFailure(f"a sold-out product answered {reasons}, not OUT_OF_STOCK only")
    rows["con50"].add(accepted.p(50), bare.p(50))
    rows["con99"].add(accepted.p(99), bare.p(99))
    per_order = sum(cpu.values()) * 1000 / n
    rows["cpu"].add(per_order, sum(bare_cpu.values()) * 1000 / n)
    rows["ref50"].add(refused.p(50), accepted.p(50))
    rows["refcpu"].add(sum(refused_cpu.values()) * 1000 / n, per_order)


async def baskets(h: Harness) -> list[Row]:
    """PlaceOrder one at a time for 5- and 20-line baskets (1 line: place_order's rows)."""
    rows: list[Row] = []
    for size in (5, 20):
        rows += await _basket(h, size)
    return rows


async def _basket(h: Harness, size: int) -> list[Row]:
    o = h.options
    p50 = Row(f"PlaceOrder p50 ms, sequential, {size}-line basket", BARE_UWS)
    p99 = Row(f"PlaceOrder p99 ms, sequential, {size}-line basket", BARE_UWS)
    basket = placing(h, [(sku, 1) for sku in BASKET_SKUS[:size]], o.basket_orders)
    for _ in range(o.rounds):
        project = await measure.fixed(o.basket_orders, 1, basket)
        h.count_open(project.results)
        bare = await measure.fixed(o.basket_orders, 1, bare_accepting(h, size))
        p50.add(project.p(50), bare.p(50))
        p99.add(project.p(99), bare.p(99))
    return [p50, p99]
