"""OpenTelemetry traces, exported by OTLP (gRPC) when a collector is named.

With ``CC_TRACING_OTLP_ENDPOINT`` set, a process started through ``start_tracing`` traces one
command end to end: the gateway's RPC, the Temporal client call (update-with-start, signal,
query), the workflow run and each activity (``temporalio.contrib.opentelemetry``), every gRPC
call to our services and each service's RPC, and every SQL statement; the W3C trace context
travels in gRPC metadata and in Temporal headers. Each log line written while a span is current
carries its ``trace_id`` and ``span_id``.

Without the setting nothing is installed and OpenTelemetry is never imported: every hook below
returns nothing to add, and the processes run exactly as without this module."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Annotated

import structlog
from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    import grpc
    import temporalio.client
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer
    from sqlalchemy import Engine

NAMESPACE = "clickcollect"
# gRPC's own services (health, probed every few seconds, and reflection): never a trace.
_GRPC_OWN_SERVICES = "grpc."


def _endpoint(value: str) -> str:
    value = value.strip()
    if value and not value.startswith(("http://", "https://")):
        raise ValueError("not an endpoint: http://host:port (plain) or https://host:port (TLS)")
    return value


class TracingSettings(BaseSettings):
    """Every process reads the same variables (env prefix CC_TRACING_)."""

    model_config = SettingsConfigDict(env_prefix="CC_TRACING_", frozen=True, extra="ignore")

    # The OpenTelemetry collector's OTLP gRPC endpoint: http://otel-collector:4317 (plain
    # gRPC), or https://… (TLS with the system's roots); empty: no tracing at all.
    otlp_endpoint: Annotated[str, AfterValidator(_endpoint)] = ""
    # The share of commands traced (decided once, by the process the trace starts in: the
    # gateway's; the others follow that decision).
    sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)

    @property
    def configured(self) -> bool:
        return bool(self.otlp_endpoint)


_provider: TracerProvider | None = None
_sql_tracer: Tracer | None = None  # the statements' spans' (the SDK makes a tracer per call)
_NO_SPAN = nullcontext()
_SQL = "opentelemetry.instrumentation.sqlalchemy"  # the instrumentation's own spans' scope


def start_tracing(process: str, settings: TracingSettings) -> bool:
    """Installs the tracer provider (service.name ``process``) when an endpoint is configured;
    False (and nothing installed) without one. Call it before ``configure_logging`` and before
    building servers, channels, Temporal clients and databases."""
    global _provider, _sql_tracer
    if not settings.configured or _provider is not None:
        return _provider is not None
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    resource = Resource.create({"service.name": process, "service.namespace": NAMESPACE})
    sampler = ParentBased(TraceIdRatioBased(settings.sample_ratio))
    provider = TracerProvider(resource=resource, sampler=sampler, shutdown_on_exit=False)
    endpoint = settings.otlp_endpoint
    exporter = OTLPSpanExporter(endpoint=endpoint, insecure=endpoint.startswith("http://"))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider, _sql_tracer = provider, provider.get_tracer(_SQL)
    return True


def stop_tracing() -> None:
    """Sends the spans still waiting in the batch, then stops exporting."""
    global _provider, _sql_tracer
    if _provider is not None:
        _provider.shutdown()
        _provider = _sql_tracer = None


def server_interceptors() -> list[grpc.aio.ServerInterceptor]:
    """A server span per RPC (the caller's trace continued), gRPC's health checks and
    reflection left out; to go before the canonical log interceptor, so its line is written
    inside the span."""
    if _provider is None:
        return []
    from opentelemetry.instrumentation.grpc import aio_server_interceptor, filters

    ours = filters.negate(filters.service_prefix(_GRPC_OWN_SERVICES))
    return [aio_server_interceptor(filter_=ours)]


def client_interceptors() -> Sequence[grpc.aio.ClientInterceptor] | None:
    """A client span per call, its context sent in the call's metadata (None: none)."""
    if _provider is None:
        return None
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    interceptors: list[grpc.aio.ClientInterceptor] = aio_client_interceptors()
    return interceptors


def temporal_interceptors() -> list[temporalio.client.Interceptor]:
    """Spans for Temporal client calls, workflow runs and activities (a worker built on the
    client gets them too); the context crosses in Temporal headers."""
    if _provider is None:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor()]


def trace_engine(engine: Engine) -> None:
    """A span per SQL statement the engine runs."""
    if _sql_tracer is None:
        return
    from opentelemetry import metrics
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    usage = metrics.get_meter(_SQL).create_up_down_counter("db.client.connections.usage")
    EngineTracer(_sql_tracer, engine, usage)


def sql_span(sql: str, system: str) -> AbstractContextManager[object]:
    """A span around a statement run on the driver's cursor directly (no SQLAlchemy event
    sees it), named and described as the engine's own statement spans are; nothing when the
    process does not trace."""
    if _sql_tracer is None:
        return _NO_SPAN
    from opentelemetry.trace import SpanKind

    return _sql_tracer.start_as_current_span(
        sql.split(None, 1)[0] if sql.strip() else system,
        kind=SpanKind.CLIENT,
        attributes={"db.system": system, "db.statement": sql},
    )


def log_processors() -> list[structlog.types.Processor]:
    """The structlog processors that put the current span's ids on a log line."""
    if _provider is None:
        return []
    from opentelemetry.trace import get_current_span

    def add_trace_ids(
        logger: object, name: str, event_dict: structlog.types.EventDict
    ) -> structlog.types.EventDict:
        """``trace_id`` and ``span_id`` of the current span, in hex as tracing back ends
        show them."""
        context = get_current_span().get_span_context()
        if context.is_valid:
            event_dict["trace_id"] = format(context.trace_id, "032x")
            event_dict["span_id"] = format(context.span_id, "016x")
        return event_dict

    return [add_trace_ids]
