"""Cancel requests a workflow does not act on (a transfer, a return, a till sale, an order past
cancelling): each is noted on the order's timeline, so operations see that the button was
pressed and why nothing happened. Deterministic: the notes are activities the workflow awaits
before it ends."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.steps import act

with workflow.unsafe.imports_passed_through():
    from workflows.shared.activities import SharedActivities
    from workflows.shared.activity_types import OrderEventInput


class IgnoredCancels:
    def __init__(self) -> None:
        self.notes: list[asyncio.Task[None]] = []
        self.noted = 0  # how many were noted in all (each note its own request id)

    def note(self, order_id: str, event: str, detail: str) -> None:
        """Notes one ignored request (the n-th of this workflow: its own request id)."""
        self.noted += 1
        step = f"{workflow.info().workflow_id}:cancel-ignored-{self.noted}"
        entry = OrderEventInput(step, order_id, event, detail)
        self.notes.append(asyncio.create_task(_record(entry)))

    async def written(self) -> None:
        """Waits until every note is on the timeline and no handler is still running (a
        request noted while the workflow finishes is written before it ends)."""
        while True:
            while self.notes:
                await self.notes.pop(0)
            await workflow.wait_condition(workflow.all_handlers_finished)
            if not self.notes:
                return


async def _record(entry: OrderEventInput) -> None:
    try:
        await act(SharedActivities.record_order_event, entry)
    except ActivityError:  # no order to note it on (a till sale refused before it existed)
        workflow.logger.warning("cancel request ignored: %s", entry.detail)
