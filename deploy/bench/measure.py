"""Statistics and load shapes: percentiles, medians, ratios; a fixed number of calls at a given
concurrency, calls for a given time, and everything at once."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

Call = Callable[[int], Awaitable[object]]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolated linearly between the nearest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def ratio(project: float, reference: float) -> float:
    """project / reference; NaN when either side is missing or the reference is 0."""
    if reference == 0 or math.isnan(project) or math.isnan(reference):
        return math.nan
    return project / reference


@dataclass(frozen=True)
class Batch:
    """What a run of calls gave: each call's latency (s), results, and the wall time (s)."""

    latencies: list[float]
    results: list[object]
    wall: float

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall if self.wall > 0 else math.nan

    def p(self, q: float) -> float:
        """A latency percentile in milliseconds."""
        return percentile(self.latencies, q) * 1000


async def _timed(call: Call, index: int) -> tuple[float, object]:
    started = time.perf_counter()
    result = await call(index)
    return time.perf_counter() - started, result


async def fixed(count: int, concurrency: int, call: Call) -> Batch:
    """`count` calls (numbered 0..count-1), at most `concurrency` at a time."""
    latencies: list[float] = []
    results: list[object] = []
    numbers = iter(range(count))

    async def lane() -> None:
        for index in numbers:
            latency, result = await _timed(call, index)
            latencies.append(latency)
            results.append(result)

    started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(min(concurrency, count))))
    return Batch(latencies, results, time.perf_counter() - started)


async def for_seconds(seconds: float, concurrency: int, call: Call) -> Batch:
    """Calls from `concurrency` lanes until `seconds` have passed (calls under way finish)."""
    latencies: list[float] = []
    numbers = iter(range(10**12))
    deadline = time.perf_counter() + seconds

    async def lane() -> None:
        for index in numbers:
            if time.perf_counter() >= deadline:
                return
            latencies.append((await _timed(call, index))[0])

    started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return Batch(latencies, [], time.perf_counter() - started)


async def at_once(count: int, call: Call) -> Batch:
    """`count` calls started together; results in call order."""
    started = time.perf_counter()
    timed = await asyncio.gather(*(_timed(call, index) for index in range(count)))
    wall = time.perf_counter() - started
    return Batch([latency for latency, _ in timed], [result for _, result in timed], wall)
