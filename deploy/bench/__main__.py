"""`make bench` (`python -m deploy.bench [--quick] [--rounds N] …`): the stack against a bare
Temporal workflow of the same shape on the same server, every figure a ratio of two
measurements taken back to back, round after round. Prints one table; writes
var/bench/latest.json and a timestamped copy. Not part of `make test`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from deploy.bench import burst, capacity, scenarios
from deploy.bench.harness import BenchFailure, Harness, running
from deploy.bench.options import Options, parse
from deploy.bench.report import Row, table, write
from deploy.local.stack_config import ROOT

Scenario = Callable[[Harness], Awaitable[list[Row]]]


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def _idle(h: Harness) -> list[Row]:
    return [await capacity.memory(h, "idle", "idle")]


async def _after_burst(h: Harness) -> list[Row]:
    return [await capacity.memory(h, "after the burst", "after its burst")]


async def _open(h: Harness) -> list[Row]:
    return [await capacity.open_orders(h)]


async def _demo_stores(h: Harness) -> list[Row]:
    return await capacity.pickup_options(h, 6)


async def _more_stores(h: Harness) -> list[Row]:
    if not h.options.extra_stores:
        return []
    return await capacity.pickup_options(h, await capacity.more_stores(h))


# (name, scenario, place in the table): run in this order, shown in table order.
PLAN: list[tuple[str, Scenario, int]] = [
    ("memory idle", _idle, 7),
    ("lifecycle", scenarios.lifecycle, 0),
    ("burst", burst.burst, 3),
    ("memory after the burst", _after_burst, 8),
    ("PlaceOrder", scenarios.place_order, 1),
    ("baskets", scenarios.baskets, 2),
    ("memory with open orders", _open, 9),
    ("Reserve", capacity.reserve, 4),
    ("GetPickupOptions, demo stores", _demo_stores, 5),
    ("GetPickupOptions, 60 locations", _more_stores, 6),
]


async def measure_all(options: Options) -> tuple[list[Row], dict[str, Any]]:
    shown: dict[int, list[Row]] = {}
    seconds: dict[str, float] = {}
    async with running(options) as h:
        for name, scenario, place in PLAN:
            progress(f"{name} …")
            started = time.monotonic()
            shown[place] = await scenario(h)
            seconds[name] = round(time.monotonic() - started, 1)
            progress(f"{name}: {seconds[name]} s")
        h.details["scenario_seconds"] = seconds
        h.details["place_order_retries"] = h.gateway.retries
        details = h.details
    return [row for place in sorted(shown) for row in shown[place]], details


def _commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str]) -> int:
    options = parse(argv)
    started = datetime.now(UTC)
    clock = time.monotonic()
    load = os.getloadavg()
    progress(f"{options.rounds} rounds; stack and logs under {options.out_dir / 'stack'}")
    try:
        rows, details = asyncio.run(measure_all(options))
    except BenchFailure as failure:
        print(f"\nBENCHMARK FAILED: {failure}", file=sys.stderr)
        return 1
    wall = time.monotonic() - clock
    text = table(rows)
    heading = f"Click & Collect vs reference, {options.rounds} rounds, {_commit()}"
    if options.traces:
        heading += f", traced ({details.get('spans_received', 0)} spans exported)"
    print(f"\n{heading} ({started:%Y-%m-%d %H:%M} UTC, {wall:.0f} s)\n\n{text}\n")
    result = {
        "started_at": started.isoformat(),
        "wall_seconds": round(wall, 1),
        "commit": _commit(),
        "machine": {"cores": os.cpu_count(), "load_before": load, "load_after": os.getloadavg()},
        "options": asdict(options),
        "table": text,
        "rows": [row.summary() for row in rows],
        "details": details,
    }
    progress(f"written {write(result, options.out_dir, started)} and latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
