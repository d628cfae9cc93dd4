"""Every shipped version of the order workflow must replay with today's code: histories recorded
from earlier versions (tests/workflows/histories) are replayed; a non-deterministic change fails.
Record new ones with `CC_RECORD_HISTORIES=1 make workflows` when a version ships. The replayer
reads payloads as the worker does (the codec, with the test key): histories recorded before
payloads were encrypted replay too."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.support.codec import with_test_key
from workflows.contracts.orders import CURRENT_VERSION
from workflows.worker import WORKFLOWS, workflow_runner

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def replayer_like_the_worker() -> Replayer:
    return Replayer(
        workflows=WORKFLOWS, workflow_runner=workflow_runner(), data_converter=with_test_key()
    )


def test_histories_are_recorded() -> None:
    assert len(HISTORIES) >= 5


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_history_replays(path: Path) -> None:
    text = await asyncio.to_thread(path.read_text)
    history = WorkflowHistory.from_json(path.stem, text)
    replayer = replayer_like_the_worker()
    result = await replayer.replay_workflow(history)
    assert result.replay_failure is None


async def test_an_order_asking_for_a_newer_version_that_an_older_worker_started_stays_on_it() -> (
    None
):
    """Rolling deploys: the gateway asks new orders for the current version, but a worker that
    did not know it yet ran the order the old way. Whoever replays it later must follow the
    history (the version is taken only with its marker), not the input."""
    path = next(p for p in HISTORIES if p.stem == "v1_picked_up")
    recorded = json.loads(await asyncio.to_thread(path.read_text))
    started = recorded["events"][0]["workflowExecutionStartedEventAttributes"]
    payload = started["input"]["payloads"][0]
    order = json.loads(base64.b64decode(payload["data"]))
    order["workflow_version"] = CURRENT_VERSION
    payload["data"] = base64.b64encode(json.dumps(order).encode()).decode()
    history = WorkflowHistory.from_json("asked-newer", json.dumps(recorded))
    replayer = replayer_like_the_worker()
    assert (await replayer.replay_workflow(history)).replay_failure is None
