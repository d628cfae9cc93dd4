"""How much the benchmark does: rounds and the size of each scenario (a full run and a quick
one for the smoke test). The bench process's one frozen settings object, built once from the
command line and CC_BENCH_* environment variables."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from deploy.local.stack_config import ROOT


@dataclass(frozen=True)
class Options:
    rounds: int = 3  # A/B rounds per figure; each figure is the median of its rounds
    warm_up: int = 5  # full orders per side before anything is measured
    customers: int = 25  # concurrent customers (lifecycle, PlaceOrder at 25)
    lifecycle_orders: int = 50  # per side and round
    sequential_orders: int = 20  # PlaceOrder one at a time, per side and round
    concurrent_orders: int = 50  # PlaceOrder at `customers`, per side and round
    basket_orders: int = 10  # per basket size (5 and 20 lines), per side and round
    burst_buyers: int = 500
    burst_scale: int = 1  # divides the burst's stock (quick runs)
    rps_seconds: float = 2.0  # length of each requests-per-second measurement
    rps_lanes: int = 50  # concurrent calls for Reserve and its health check
    open_orders: int = 1000
    extra_stores: bool = True  # also measure GetPickupOptions with 60 locations
    traces: bool = False  # every process of the stack exports traces (what tracing costs)
    out_dir: Path = ROOT / "var" / "bench"


QUICK = Options(
    rounds=1,
    warm_up=1,
    customers=10,
    lifecycle_orders=6,
    sequential_orders=3,
    concurrent_orders=6,
    basket_orders=3,
    burst_buyers=20,
    burst_scale=5,
    rps_seconds=0.5,
    rps_lanes=10,
    open_orders=25,
    extra_stores=False,
)

HELP = {
    "rounds": "A/B rounds per figure (at least 3 for a result worth keeping)",
    "warm_up": "full orders per side before anything is measured",
    "customers": "concurrent customers for the lifecycle and PlaceOrder-at-25 figures",
    "lifecycle_orders": "full orders per side and round",
    "sequential_orders": "PlaceOrder calls one at a time, per side and round",
    "concurrent_orders": "PlaceOrder calls at --customers, per side and round",
    "basket_orders": "PlaceOrder calls per basket size, per side and round",
    "burst_buyers": "buyers arriving at once for the burst's 60 units",
    "burst_scale": "divide the burst's stock by this (quick runs)",
    "rps_seconds": "seconds per requests-per-second measurement",
    "rps_lanes": "concurrent calls for Reserve and its health check",
    "open_orders": "open orders (and open reference workflows) for the memory figure",
    "extra_stores": "also seed 54 more stores and measure GetPickupOptions at 60 locations",
    "traces": "every process of the stack traces, exporting by OTLP to a receiver inside the "
    "benchmark's process (--traces: what tracing costs; the reference side is untraced)",
    "out_dir": "where latest.json and the timestamped copies go",
}


def parse(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> Options:
    """Flags win over CC_BENCH_<NAME> variables, which win over the defaults; --quick starts
    from the quick sizes."""
    parser = argparse.ArgumentParser(
        prog="python -m deploy.bench",
        description="Benchmarks the stack against a bare Temporal workflow of the same shape "
        "(see README, Benchmarks). Every option can also be set as CC_BENCH_<OPTION>.",
    )
    parser.add_argument("--quick", action="store_true", help="a small run (smoke test)")
    for spec in fields(Options):
        flag = "--" + spec.name.replace("_", "-")
        default = getattr(Options(), spec.name)
        text = f"{HELP[spec.name]} (default {default}; --quick {getattr(QUICK, spec.name)})"
        if isinstance(default, bool):
            parser.add_argument(
                flag, type=_flag, nargs="?", const=True, metavar="yes|no", help=text
            )
        else:
            parser.add_argument(flag, type=type(default), help=text)
    arguments = parser.parse_args(argv)
    quick = arguments.quick or _flag(environ.get("CC_BENCH_QUICK", "no"))
    options = QUICK if quick else Options()
    changes: dict[str, Any] = {}
    for spec in fields(Options):
        kind = type(getattr(options, spec.name))
        value = environ.get(f"CC_BENCH_{spec.name.upper()}")
        if value is not None:
            changes[spec.name] = _flag(value) if kind is bool else kind(value)
        if getattr(arguments, spec.name) is not None:
            changes[spec.name] = getattr(arguments, spec.name)
    return replace(options, **changes)


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "yes", "true", "on")
