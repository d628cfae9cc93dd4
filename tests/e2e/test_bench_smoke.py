"""`make bench` end to end in its quick size: a stack and the reference worker of its own, every
figure taken on both sides, the burst selling exactly its stock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from deploy.local.stack_config import ROOT


def test_quick_benchmark_measures_both_sides_of_every_figure(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "deploy.bench", "--quick", "--out-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((tmp_path / "latest.json").read_text())
    rows = result["rows"]
    assert len(rows) >= 20
    missing = [r["label"] for r in rows if r["project_median"] is None or r["ratio"] is None]
    assert not missing
    for burst in result["details"]["burst"]:
        assert burst["accepted"] == burst["stock"] == burst["reserved"]
        assert burst["oversold"] == 0
    assert "lifecycle orders/s" in run.stdout
