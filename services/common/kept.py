"""Answers read from another service and kept for a few seconds: catalogue and store data that
every checkout reads and that changes rarely. Concurrent readers of a missing entry share one
read; a failed read is not kept."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl_seconds = ttl_seconds
        self._entries: dict[K, tuple[float, asyncio.Future[V]]] = {}

    def fresh(self, key: K) -> bool:
        entry = self._entries.get(key)
        return entry is not None and time.monotonic() - entry[0] < self.ttl_seconds

    async def get(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        """The kept value, or `read()`'s (kept from now on)."""
        if self.fresh(key):
            return await asyncio.shield(self._entries[key][1])
        future: asyncio.Future[V] = asyncio.ensure_future(read())
        self._entries[key] = (time.monotonic(), future)
        try:
            return await asyncio.shield(future)
        except BaseException:
            if key in self._entries and self._entries[key][1] is future:
                del self._entries[key]
            raise

    def put(self, key: K, value: V) -> None:
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        future.set_result(value)
        self._entries[key] = (time.monotonic(), future)

    def cached(self, key: K) -> V:
        """A fresh entry's value (call `fresh` first)."""
        return self._entries[key][1].result()
