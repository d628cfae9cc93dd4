"""The background task that releases expired checkout holds every few seconds, so a hold
nobody converts gives its stock back without anyone calling ExpireHolds. Several inventory
processes may sweep one database: a hold is claimed by exactly one of them."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from services.common.db import Database
from services.common.timeconv import Clock
from services.inventory.reservations import holds
from services.inventory.reservations.settlement import CancelTransfers

log = structlog.get_logger(__name__)


class HoldSweeper:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        interval_seconds: float,
        cancel_transfers: CancelTransfers,
    ) -> None:
        self.db = db
        self.clock = clock
        self.cancel_transfers = cancel_transfers
        self.interval_seconds = interval_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="hold-sweeper")

    async def stop(self) -> None:
        """Lets a sweep in progress finish its transaction, then ends the task."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def sweep(self) -> list[str]:
        now = self.clock()
        expired = await self.db.run(
            lambda session: holds.expire_holds(session, now, self.cancel_transfers)
        )
        if expired:
            log.info("holds_expired", count=len(expired), reservation_ids=expired)
        return expired

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval_seconds)
            if self._stopping.is_set():
                return
            try:
                await self.sweep()
            except Exception:
                log.exception("hold_sweep_failed")
