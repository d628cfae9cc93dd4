"""The Saturday rush: every buyer at once for one product whose stock is known. Exactly the
stock is sold, never more, or the benchmark fails."""

from __future__ import annotations

from typing import Any

from clickcollect.inventory.v1 import inventory_pb2
from deploy.bench import measure
from deploy.bench.data import BURST_SPREAD, stock_burst
from deploy.bench.drivers import Placed
from deploy.bench.harness import BenchFailure, Harness
from deploy.bench.report import Row

BARE_UWS = "update-with-start, no activity"
FIRST_BUYER = 1000  # customer numbers apart from the other scenarios'


async def burst(h: Harness) -> list[Row]:
    o = h.options
    buyers = o.burst_buyers
    rate = Row(f"{buyers}-buyer burst answers/s", f"{buyers} x {BARE_UWS}", higher_is_better=True)
    p50 = Row(f"{buyers}-buyer burst p50 ms", f"{buyers} x {BARE_UWS}")
    p99 = Row(f"{buyers}-buyer burst p99 ms", f"{buyers} x {BARE_UWS}")
    # Buyers are served in arrival order: the first get the stock, the rest are answered after
    # them. What a refusal costs is the 25-concurrent rows' (refused buyer p50 and CPU).
    refused = Row(f"{buyers}-buyer burst refused p50 ms", "accepted p50 (served first)")
    checks = []
    for number in range(1, o.rounds + 1):
        sku = f"BENCH-BURST-{number:02d}"
        spread = {loc: max(1, units // o.burst_scale) for loc, units in BURST_SPREAD.items()}
        stock = await stock_burst(h.inventory, sku, spread)
        await h.quiet()
        project = await measure.at_once(buyers, _buyers(h, sku))
        checks.append(await _check(h, sku, spread, project))
        await h.quiet()
        reference = await measure.at_once(buyers, lambda i: h.reference.bare_accept())
        rate.add(project.per_second, reference.per_second)
        p50.add(project.p(50), reference.p(50))
        p99.add(project.p(99), reference.p(99))
        split = _by_answer(project)
        refused.add(split["refused"], split["accepted"])
        checks[-1].update(stock=stock, p50_ms=split)
    h.details["burst"] = checks
    return [rate, p50, p99, refused]


def _buyers(h: Harness, sku: str) -> measure.Call:
    return lambda i: h.gateway.place(FIRST_BUYER + i, [(sku, 1)])


def _by_answer(batch: measure.Batch) -> dict[str, float]:
    accepted = [t for t, r in zip(batch.latencies, batch.results, strict=True) if _won(r)]
    refused = [t for t, r in zip(batch.latencies, batch.results, strict=True) if not _won(r)]
    return {
        "accepted": measure.median(accepted) * 1000,
        "refused": measure.median(refused) * 1000,
    }


def _won(result: object) -> bool:
    return isinstance(result, Placed) and result.order is not None


async def _check(
    h: Harness, sku: str, spread: dict[str, int], batch: measure.Batch
) -> dict[str, Any]:
    """Accepted equals the stock, every other buyer was told OUT_OF_STOCK, and no location has
    more reserved than on hand."""
    accepted = sum(1 for r in batch.results if _won(r))
    reasons = {r.refusal for r in batch.results if isinstance(r, Placed) and r.order is None}
    h.open_orders += accepted
    request = inventory_pb2.GetStockRequest(location_ids=list(spread), skus=[sku])
    levels = (await h.inventory.GetStock(request)).levels
    oversold = sum(max(0, x.reserved - x.on_hand) for x in levels)
    reserved = sum(x.reserved for x in levels)
    stock = sum(spread.values())
    facts = {
        "sku": sku,
        "accepted": accepted,
        "refused": len(batch.results) - accepted,
        "refusal_reasons": sorted(reasons),
        "reserved": reserved,
        "oversold": oversold,
        "retried_calls": h.gateway.retries,
    }
    if accepted != stock or oversold or reserved != stock or reasons - {"OUT_OF_STOCK"}:
        raise BenchFailure(f"the burst sold {accepted} of {stock} units: {facts}")
    return facts
