"""Log lines stay short whatever a caller sends."""

from __future__ import annotations

import io
import json
import logging

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


def test_a_json_line_with_a_huge_bound_id_stays_short() -> None:
    configure_logging("test", json=True)
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        with structlog.contextvars.bound_contextvars(order_id="A" * 70_000):
            structlog.get_logger("rpc").info("rpc_finished", detail="é" * 70_000)
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers.clear()
    line = stream.getvalue().strip()
    assert len(line) < 2_000
    assert json.loads(line)["event"] == "rpc_finished"
