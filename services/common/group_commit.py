"""Group commit: the writes of many concurrent callers in one transaction, each caller with its
own answer.

One drain task takes every item waiting at that moment (at most ``max_items``, and never two
with the same key: a later twin waits for the next transaction, where it sees what the first one
wrote) and hands them to ``write`` in one transaction, in a worker thread (``Database.write``), so
the event loop never waits on the database and pays one thread hop and one BEGIN/COMMIT per
group instead of per request. While a group is being written the next one gathers; when the
writer was idle and its last group held several items (callers are concurrent), it first waits
``linger_seconds`` for more to join. A lone caller never waits.

``write(connection, items)`` returns one outcome per item, in order: its value, or the DomainError
that refused it, which ``write`` must have undone on its own (e.g. by rolling back to the
item's savepoint) so that the rest of the group can commit. Callers get their outcomes once the
transaction committed. When the group's transaction fails as a whole, each of its items is
written again alone, in its own transaction, so one item can never cost another its answer; a
``write`` must therefore be idempotent per key. ``close`` answers everything submitted before
it and refuses what comes after (UNAVAILABLE).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog
from sqlalchemy import Connection

from services.common.db import Database
from services.common.errors import DomainError, Unavailable

log = structlog.get_logger(__name__)

I = TypeVar("I")  # noqa: E741 - an item, as Generic parameters are named
R = TypeVar("R")

Write = Callable[[Connection, Sequence[I]], list[R | DomainError]]


@dataclass
class _Entry(Generic[I, R]):
    item: I
    key: Hashable
    answer: asyncio.Future[R]

    def settle(self, outcome: R | BaseException) -> None:
        """Answers the caller, unless it stopped waiting (its RPC was cancelled)."""
        if self.answer.done():
            return
        if isinstance(outcome, BaseException):
            self.answer.set_exception(outcome)
        else:
            self.answer.set_result(outcome)


class GroupCommit(Generic[I, R]):
    """Writes submitted items in groups; see the module's docstring."""

    def __init__(
        self,
        db: Database,
        write: Write[I, R],
        key: Callable[[I], Hashable],
        max_items: int = 100,
        linger_seconds: float = 0.0,
    ) -> None:
        self._db = db
        self._write = write
        self._key = key
        self._max_items = max_items
        self._linger_seconds = linger_seconds
        self._last_group = 0
        self._pending: deque[_Entry[I, R]] = deque()
        self._drainer: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, item: I) -> R:
        """Writes ``item`` with whatever else is waiting; its value, or raises its error."""
        if self._closed:
            raise Unavailable("SHUTTING_DOWN", "the service is stopping; try again")
        answer: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append(_Entry(item, self._key(item), answer))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain(), name="group-commit")
        return await answer

    async def close(self) -> None:
        """Refuses new items and returns once every item already submitted was answered."""
        self._closed = True
        if self._drainer is not None:
            await self._drainer

    async def _drain(self) -> None:
        try:
            if self._last_group > 1 and self._linger_seconds > 0:
                await asyncio.sleep(self._linger_seconds)  # callers are concurrent: gather more
            while self._pending:  # no await between this check and the reset below
                await self._commit(self._take())
        finally:
            self._drainer = None

    def _take(self) -> list[_Entry[I, R]]:
        """The next group, in arrival order; twins of an item in it stay first in line."""
        group: list[_Entry[I, R]] = []
        twins: list[_Entry[I, R]] = []
        keys: set[Hashable] = set()
        while self._pending and len(group) < self._max_items:
            entry = self._pending.popleft()
            (twins if entry.key in keys else group).append(entry)
            keys.add(entry.key)
        self._pending.extendleft(reversed(twins))
        return group

    async def _commit(self, group: list[_Entry[I, R]]) -> None:
        self._last_group = len(group)
        items = [entry.item for entry in group]
        try:
            outcomes = await self._db.write(lambda connection: self._outcomes(connection, items))
        except Exception as error:
            if len(group) == 1:
                group[0].settle(error)
                return
            log.warning("group_commit_failed", items=len(group), error=repr(error))
            for entry in group:
                await self._commit([entry])
            return
        for entry, outcome in zip(group, outcomes, strict=True):  # lengths checked
            entry.settle(outcome)

    def _outcomes(self, connection: Connection, items: Sequence[I]) -> list[R | DomainError]:
        outcomes = self._write(connection, items)
        if len(outcomes) != len(items):
            raise RuntimeError(f"{len(outcomes)} outcomes for {len(items)} items")
        return outcomes
