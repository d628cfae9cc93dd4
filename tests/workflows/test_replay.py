"""Every shipped version of the order workflow must replay with today's code: histories recorded
from earlier versions (tests/workflows/histories) are replayed; a non-deterministic change fails.
Record new ones with `CC_RECORD_HISTORIES=1 make workflows` when a version ships."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workflows.worker import WORKFLOWS, workflow_runner

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_are_recorded() -> None:
    assert len(HISTORIES) >= 5


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_history_replays(path: Path) -> None:
    text = await asyncio.to_thread(path.read_text)
    history = WorkflowHistory.from_json(path.stem, text)
    replayer = Replayer(workflows=WORKFLOWS, workflow_runner=workflow_runner())
    result = await replayer.replay_workflow(history)
    assert result.replay_failure is None
