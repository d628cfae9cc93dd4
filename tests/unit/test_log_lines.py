"""Log lines stay short whatever a caller sends."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from services.common.logging import MAX_VALUE_CHARS, cap_values, configure_logging


def test_a_huge_value_is_cut_and_marked() -> None:
    capped = cap_values(None, "info", {"event": "rpc_finished", "order_id": "A" * 70_000})
    assert capped["order_id"].startswith("A" * MAX_VALUE_CHARS)
    assert capped["order_id"].endswith(f"…[{70_000 - MAX_VALUE_CHARS} more chars]")
    assert capped["event"] == "rpc_finished"


def test_short_values_and_numbers_are_left_as_they_are() -> None:
    event = {"event": "x", "code": "OK", "duration_ms": 1.5, "n": 3, "ok": True, "none": None}
    assert cap_values(None, "info", dict(event)) == event


def test_a_json_line_with_a_huge_bound_id_stays_short(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("test", json=True)  # writes to the stderr of this moment (captured)
    try:
        with structlog.contextvars.bound_contextvars(order_id="A" * 70_000):
            structlog.get_logger("rpc").info("rpc_finished", detail="é" * 70_000)
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers.clear()
    line = capsys.readouterr().err.strip()
    assert len(line) < 2_000
    assert json.loads(line)["event"] == "rpc_finished"


def test_a_foreign_library_line_is_cut_the_same_way(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("test", json=True)
    try:
        logging.getLogger("grpc").warning("peer said %s", "B" * 70_000)
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers.clear()
    line = capsys.readouterr().err.strip()
    assert len(line) < 10_000
    assert json.loads(line)["level"] == "warning"
