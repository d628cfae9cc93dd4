"""What a read shows, the next command accepts. Workflows move their own state before the read
side records it, so normally a command sent the moment a read shows a state is accepted. After a
worker crash the read side can briefly be ahead (a step ran, its workflow task was lost and runs
again; a transfer recorded but its workflow not started yet): a refusal that says only that the
workflow has not caught up with what the read shows is retried until it has, within the command
timeout, instead of being answered."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from services.common.errors import DomainError
from services.gateway.commands import WorkflowClosed

RETRY_PAUSE_SECONDS = 0.2

# Given the refusal (None: no such workflow yet or any more), whether the read side shows a
# state in which the command is possible, i.e. the workflow is behind and worth waiting for.
Behind = Callable[[DomainError | None], Awaitable[bool]]


async def until_caught_up(
    send: Callable[[float], Awaitable[None]], behind: Behind, timeout_seconds: float
) -> None:
    """Sends the command (`send(seconds left)`); while it is refused only because its workflow
    is behind what reads show, sends it again a moment later (the same request id: at most one
    takes effect), all within `timeout_seconds`. Raises the last refusal (or WorkflowClosed)
    when the workflow's answer stands."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_seconds
    while True:
        try:
            await send(max(deadline - loop.time(), RETRY_PAUSE_SECONDS))
            return
        except (DomainError, WorkflowClosed) as error:
            refused = error if isinstance(error, DomainError) else None
            late = loop.time() + RETRY_PAUSE_SECONDS >= deadline
            if late or not await behind(refused):
                raise
        await asyncio.sleep(RETRY_PAUSE_SECONDS)


def state_behind(refused: DomainError | None, shown: str, allowed: frozenset[str]) -> bool:
    """A refusal naming the workflow's state (metadata `state`) that differs from the state the
    read side shows, where the shown one allows the command."""
    if refused is None or "state" not in refused.metadata:
        return False
    return refused.metadata["state"] != shown and shown in allowed
