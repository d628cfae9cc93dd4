"""A newcomer follows the README's walk-through word by word, on a fresh stack started as
`make run` starts it: every step runs, and every answer is the one the README promises."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from deploy.local.run import demo_tokens, write_demo_env
from deploy.local.stack_config import ROOT, StackConfig
from tests.e2e.conftest import seeded_stack
from tests.e2e.walkthrough_support import Step, broken_promises, outcomes, script, steps

README = ROOT / "README.md"
# What the walk-through sets itself (from var/demo.env); inherited values would hide a gap.
ITS_OWN = {
    "GW",
    "EDGE",
    "TEMPORAL_ADDRESS",
    "TEMPORAL_CODEC_ENDPOINT",
    "TEMPORAL_CODEC_AUTH",
    "CC_ENV",
    *demo_tokens(),
}


@pytest.fixture(scope="module")
async def newcomer_folder(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Path]:
    """A project folder as a newcomer has it after `make run`: `.venv` and a `var/` holding
    the running stack's data, outbox and `demo.env`."""
    folder = tmp_path_factory.mktemp("newcomer")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    config = StackConfig.ephemeral(folder / "var")
    async with seeded_stack(config):
        write_demo_env(config, demo_tokens())
        yield folder


async def run_walkthrough(folder: Path, walk: list[Step]) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ITS_OWN}
    bash = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        script(walk),
        cwd=folder,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(bash.communicate(), timeout=240)
    assert bash.returncode is not None
    return bash.returncode, output.decode()


def test_each_walkthrough_step_that_asks_the_product_says_what_it_answers() -> None:
    walk = steps(README)
    asking = [step for step in walk if "grpcurl" in step.code or "temporal" in step.code]
    silent = [step.code for step in asking if not step.expected and "|| true" not in step.code]
    assert len(walk) >= 30 and sum(1 for step in walk if step.refused) >= 7
    assert not silent


async def test_every_step_of_the_readme_walkthrough_answers_as_it_says(
    newcomer_folder: Path,
) -> None:
    walk = steps(README)
    status, output = await run_walkthrough(newcomer_folder, walk)

    seen = outcomes(output)
    for step in walk:
        outcome = seen.get(step.number)
        assert outcome is not None, f"step {step.number} never ran:\n{step.code}\n{output[-3000:]}"
        wrong = broken_promises(step, outcome)
        answered = f"{step.code}\n--- answered:\n{outcome.output}"
        assert not wrong, f"step {step.number} {wrong}:\n{answered}"
    assert status == 0, output[-3000:]
