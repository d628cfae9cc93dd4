"""deploy/compose/compose.yaml against the Compose specification's JSON schema (the one
check-jsonschema ships, pinned in requirements.lock), and its healthchecks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from deploy.local.stack_config import ROOT
from services.common.healthcheck import MODULES

COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"
HEALTHCHECK = ["CMD", "python", "-m", "services.common.healthcheck"]


def test_the_compose_file_follows_the_compose_specification() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    argv = [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)]
    checked = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_process_of_the_image_is_checked_by_its_own_healthcheck() -> None:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    ours = {name: s for name, s in services.items() if "build" in s}
    assert set(ours) == set(MODULES.values())
    for name, service in ours.items():
        command = service.get("command", ["python", "-m", "services.edge"])
        assert MODULES[command[command.index("-m") + 1]] == name
        health = service["healthcheck"]
        assert health["test"] == HEALTHCHECK, name
        assert {"interval", "timeout", "retries", "start_period"} <= set(health), name
