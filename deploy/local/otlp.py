"""An OTLP trace receiver on loopback: OpenTelemetry's collector TraceService (gRPC) as a stack's
processes export to it with CC_TRACING_OTLP_ENDPOINT. It keeps the spans it is sent (the
end-to-end tests read them), or only counts them (the benchmark with tracing on)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

ExportRequest = trace_service_pb2.ExportTraceServiceRequest
ExportResponse = trace_service_pb2.ExportTraceServiceResponse


@dataclass(frozen=True)
class ReceivedSpan:
    service: str  # the exporting process's service.name
    name: str
    kind: Span.SpanKind.ValueType
    trace_id: str  # hex, as log lines carry it
    span_id: str
    parent_span_id: str  # "" for a trace's root
    attributes: dict[str, object]


class SpanReceiver(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.spans: list[ReceivedSpan] = []
        self.count = 0

    async def Export(self, request: ExportRequest, context: object) -> ExportResponse:
        for batch in request.resource_spans:
            service = str(_attributes(batch.resource.attributes).get("service.name", ""))
            for scope in batch.scope_spans:
                self.count += len(scope.spans)
                if self.keep:
                    self.spans.extend(_received(service, span) for span in scope.spans)
        return ExportResponse()

    def trace(self, trace_id: str) -> list[ReceivedSpan]:
        return [span for span in self.spans if span.trace_id == trace_id]


def _received(service: str, span: Span) -> ReceivedSpan:
    return ReceivedSpan(
        service,
        span.name,
        span.kind,
        span.trace_id.hex(),
        span.span_id.hex(),
        span.parent_span_id.hex(),
        _attributes(span.attributes),
    )


def _attributes(pairs: Iterable[KeyValue]) -> dict[str, object]:
    return {pair.key: _value(pair.value) for pair in pairs}


def _value(value: AnyValue) -> object:
    kind = value.WhichOneof("value")
    return None if kind is None else getattr(value, kind)


@asynccontextmanager
async def span_receiver(keep: bool = True) -> AsyncIterator[tuple[SpanReceiver, str]]:
    """The receiver, serving on a free loopback port, and its endpoint (the value of
    CC_TRACING_OTLP_ENDPOINT); stopped on exit."""
    receiver = SpanReceiver(keep)
    server = grpc.aio.server()
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(receiver, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield receiver, f"http://127.0.0.1:{port}"
    finally:
        await server.stop(0)
