"""Worker settings (env prefix CC_WORKER_): where Temporal and our services are."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.codec import CodecSettings
from services.common.settings import DEFAULT_PORTS, METRICS_PORTS
from services.common.tls import TemporalTLSSettings, TLSSettings


def _local(name: str) -> str:
    return f"127.0.0.1:{DEFAULT_PORTS[name]}"


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CC_WORKER_", frozen=True, extra="ignore")

    # CC_ENV, as every process reads it (services/common/settings.py): outside development the
    # worker does not start without payload keys.
    environment: Literal["development", "production"] = Field(
        default="production", validation_alias="CC_ENV"
    )
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # How payloads are encrypted (CC_TEMPORAL_CODEC_*, shared with the gateway).
    codec: CodecSettings = Field(default_factory=CodecSettings)
    # TLS to Temporal (CC_TEMPORAL_TLS_*) and to our services (CC_TLS_*): services/common/tls.py.
    temporal_tls: TemporalTLSSettings = Field(default_factory=TemporalTLSSettings)
    tls: TLSSettings = Field(default_factory=TLSSettings)
    task_queue: str = "orders"
    # The Temporal SDK's Prometheus metrics (GET /metrics); 0: none.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = METRICS_PORTS["worker"]
    # Its health (grpc.health.v1, workflows/health.py) for probes and the image's HEALTHCHECK;
    # 0: none.
    health_host: str = "127.0.0.1"
    health_port: int = DEFAULT_PORTS["worker"]
    stores_target: str = _local("stores")
    inventory_target: str = _local("inventory")
    orders_target: str = _local("orders")
    notifications_target: str = _local("notifications")
    # Where store escalations (pick overdue) go.
    operations_email: str = "operations@clickcollect.example"
    # A transfer escalated as late counts as lost this long after the escalation: the order is
    # then re-routed when another source can have it ready within `reroute_promise_days`,
    # otherwise operations decide (reroute or force_cancel).
    transfer_lost_after_hours: float = 24.0
    reroute_promise_days: int = 3
    # At most this many source locations for one order (ship-to-store splits).
    max_sources: int = 2
    # Open workflows the worker keeps in memory between their tasks; one evicted is rebuilt
    # from its history at its next task (each kept order costs ~0.13 MB).
    max_cached_workflows: int = 500
    log_level: str = "INFO"
    log_json: bool | None = None
