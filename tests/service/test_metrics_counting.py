"""Business counters count a change once its unit of work has committed: never one rolled
back, never twice; and every answered request is counted by method and code."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY, Counter

from services.common.db import Database, when_committed
from services.common.metrics import observe_rpc

COUNTED = Counter("test_changes_total", "changes counted in this test module")


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_change_is_counted_once_committed_and_never_when_rolled_back() -> None:
    db = Database("sqlite://")
    before = value("test_changes_total")

    def committed(session: object) -> None:
        when_committed(session, COUNTED.inc)  # type: ignore[arg-type]

    db.run_sync(committed)
    assert value("test_changes_total") == before + 1

    def rolled_back(session: object) -> None:
        when_committed(session, COUNTED.inc)  # type: ignore[arg-type]
        raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        db.run_sync(rolled_back)
    db.run_sync(lambda session: None)  # a later commit of another unit does not count it
    assert value("test_changes_total") == before + 1


def test_each_answer_is_counted_by_method_and_code_and_a_refusal_by_reason() -> None:
    method = "/clickcollect.test.v1.TestService/Place"
    labels = {"grpc_service": "clickcollect.test.v1.TestService", "grpc_method": "Place"}
    observe_rpc(method, "OK", 0.004)
    observe_rpc(method, "FAILED_PRECONDITION", 0.002, "OUT_OF_STOCK")
    assert value("grpc_server_handled_total", grpc_code="OK", **labels) == 1
    assert value("grpc_server_handled_total", grpc_code="FAILED_PRECONDITION", **labels) == 1
    assert value("grpc_server_refused_total", reason="OUT_OF_STOCK", **labels) == 1
    assert value("grpc_server_handling_seconds_count", **labels) == 2
    assert value("grpc_server_handling_seconds_bucket", le="0.005", **labels) == 2
