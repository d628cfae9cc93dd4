"""Answers kept for a few seconds: read once for concurrent readers, read again once stale,
never kept when the read failed."""

from __future__ import annotations

import asyncio

import pytest

from services.common.kept import Kept


async def test_concurrent_readers_of_a_missing_entry_share_one_read() -> None:
    kept: Kept[str, int] = Kept(ttl_seconds=60)
    reads = 0

    async def read() -> int:
        nonlocal reads
        reads += 1
        await asyncio.sleep(0.01)
        return 7

    assert await asyncio.gather(*(kept.get("a", read) for _ in range(5))) == [7] * 5
    assert reads == 1 and kept.fresh("a") and kept.cached("a") == 7


async def test_a_stale_entry_is_read_again() -> None:
    kept: Kept[str, int] = Kept(ttl_seconds=0.02)
    answers = iter([1, 2])

    async def read() -> int:
        return next(answers)

    assert await kept.get("a", read) == 1
    await asyncio.sleep(0.03)
    assert not kept.fresh("a")
    assert await kept.get("a", read) == 2


async def test_a_failed_read_is_not_kept() -> None:
    kept: Kept[str, int] = Kept(ttl_seconds=60)

    async def failing() -> int:
        raise RuntimeError("down")

    async def working() -> int:
        return 3

    with pytest.raises(RuntimeError):
        await kept.get("a", failing)
    assert not kept.fresh("a")
    assert await kept.get("a", working) == 3
