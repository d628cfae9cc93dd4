"""Tracing is on only where CC_TRACING_OTLP_ENDPOINT names a collector: without it a process
installs nothing and never loads OpenTelemetry; with it, log lines written inside a span carry
the span's ids; a wrong setting stops the process naming the variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.common.settings import settings_problems
from services.common.tracing import TracingSettings

ROOT = Path(__file__).resolve().parents[2]

UNTRACED = """
import asyncio, json, sys
from services.common.clients import channel
from services.common.db import Database
from services.common.logging import configure_logging
from services.common.server import build_server
from services.common.settings import ServiceSettings, load
from services.common import tracing
import services.gateway.server, workflows.worker

started = tracing.start_tracing("gateway", load(tracing.TracingSettings, "gateway"))
configure_logging("gateway", json=True)

async def build() -> None:
    build_server(ServiceSettings(), [], [])
    await channel("127.0.0.1:1").close()
    Database("sqlite://").run_sync(lambda session: session.connection().exec_driver_sql("SELECT 1"))

asyncio.run(build())
print(json.dumps({
    "started": started,
    "hooks": [tracing.server_interceptors(), tracing.client_interceptors(),
              tracing.temporal_interceptors(), tracing.log_processors()],
    "loaded": sorted(name for name in sys.modules if name.startswith("opentelemetry")),
}))
"""

TRACED = """
import json, structlog
from opentelemetry import trace
from services.common import tracing
from services.common.logging import configure_logging

settings = tracing.TracingSettings(otlp_endpoint="http://127.0.0.1:9", sample_ratio=0)
started = tracing.start_tracing("orders", settings)
configure_logging("orders", json=True)
with trace.get_tracer("test").start_as_current_span("work") as span:
    structlog.get_logger().info("inside_a_span")
structlog.get_logger().info("outside_any_span")
hooks = [len(tracing.server_interceptors()), len(tracing.client_interceptors() or ()),
         len(tracing.temporal_interceptors())]
tracing.stop_tracing()
print(json.dumps({"started": started, "hooks": hooks,
                  "trace_id": format(span.get_span_context().trace_id, "032x")}))
"""


def run(script: str, **env: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    """What the script printed, and the JSON log lines it wrote."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("CC_")}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    logs = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    return json.loads(done.stdout.splitlines()[-1]), logs


def test_without_an_endpoint_nothing_is_installed_and_opentelemetry_is_never_loaded() -> None:
    result, _ = run(UNTRACED, CC_TRACING_OTLP_ENDPOINT="")
    assert result == {"started": False, "hooks": [[], None, [], []], "loaded": []}


def test_with_an_endpoint_a_log_line_inside_a_span_carries_its_trace_id() -> None:
    result, logs = run(TRACED)
    assert result["started"] is True
    assert result["hooks"] == [1, 4, 1]
    inside = next(line for line in logs if line["event"] == "inside_a_span")
    outside = next(line for line in logs if line["event"] == "outside_any_span")
    assert inside["trace_id"] == result["trace_id"]
    assert len(str(inside["span_id"])) == 16
    assert "trace_id" not in outside


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CC_TRACING_SAMPLE_RATIO", "1.5"),
        ("CC_TRACING_SAMPLE_RATIO", "x"),
        ("CC_TRACING_OTLP_ENDPOINT", "otel-collector:4317"),
    ],
)
def test_a_wrong_setting_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as refused:
        TracingSettings()
    problems = settings_problems(TracingSettings, refused.value)
    assert [line.split(":")[0] for line in problems] == [variable]
