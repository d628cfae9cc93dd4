"""Every process of the image, started with a wrong setting, ends at once with one line per
problem naming the variable to set: never pydantic's own report nor a traceback, and never the
value it was given."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from deploy.local.stack_config import ROOT

PROCESSES = [
    ("stores", "services.stores", "CC_STORES_"),
    ("inventory", "services.inventory", "CC_INVENTORY_"),
    ("orders", "services.orders", "CC_ORDERS_"),
    ("notifications", "services.notifications", "CC_NOTIFICATIONS_"),
    ("gateway", "services.gateway", "CC_GATEWAY_"),
    ("edge", "services.edge", "CC_EDGE_"),
    ("codec", "services.codec", "CC_CODEC_"),
    ("worker", "workflows.worker", "CC_WORKER_"),
]
# Two numbers each process reads (the worker serves no gRPC port of its own).
NUMBERS = {"worker": ("METRICS_PORT", "MAX_CACHED_WORKFLOWS")}
WRONG = "eighty-eighty"


@pytest.mark.parametrize(("name", "module", "prefix"), PROCESSES, ids=[p[0] for p in PROCESSES])
def test_a_process_with_a_wrong_setting_says_which_variable_and_stops(
    name: str, module: str, prefix: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CC_")}
    wrong = [prefix + number for number in NUMBERS.get(name, ("PORT", "GRACE_SECONDS"))]
    env.update({variable: WRONG for variable in wrong}, CC_ENV="staging")
    ended = subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ended.returncode == 1, ended.stderr
    said = ended.stderr.splitlines()
    assert said[0] == f"{name} not started: its settings are wrong", ended.stderr
    named = {line.strip().split(":")[0] for line in said[1:]}
    assert "CC_ENV" in named, ended.stderr
    assert set(wrong) <= named, ended.stderr
    assert "Traceback" not in ended.stderr and WRONG not in ended.stderr
    assert "validation error" not in ended.stderr and "pydantic" not in ended.stderr
