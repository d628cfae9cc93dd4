"""Prometheus metrics, shared by every process: the gRPC requests each server answered (by
method and status code, with a latency histogram), the product's business counters, and the
HTTP endpoint that serves them (``GET /metrics`` on the process's metrics port).

The names follow Prometheus' conventions (``_total`` counters, ``_seconds`` histograms) and
the gRPC ecosystem's for the server metrics, so common dashboards read them. Labels take only
values from a short, known set (a method, a status code, a state, a reason code): never an
order id or a customer."""

from __future__ import annotations

from dataclasses import dataclass
from threading import Thread
from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Histogram, start_http_server

# Latency buckets from 1 ms to 30 s: a read answers in milliseconds, PlaceOrder in tenths of a
# second, a command that waits for its workflow in seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

GRPC_HANDLED = Counter(
    "grpc_server_handled_total",
    "gRPC requests answered, by method and status code",
    ["grpc_service", "grpc_method", "grpc_code"],
)
GRPC_REFUSED = Counter(
    "grpc_server_refused_total",
    "Requests refused for a business reason (the ErrorInfo reason: OUT_OF_STOCK, "
    "PAYMENT_DECLINED …), by method",
    ["grpc_service", "grpc_method", "reason"],
)
GRPC_LATENCY = Histogram(
    "grpc_server_handling_seconds",
    "Time to answer a gRPC request",
    ["grpc_service", "grpc_method"],
    buckets=LATENCY_BUCKETS,
)


def observe_rpc(method: str, code: str, seconds: float, refused: str = "") -> None:
    """One answered request; `method` as gRPC names it ("/pkg.Service/Method"), `refused` the
    reason of a business refusal."""
    service, _, name = method.lstrip("/").rpartition("/")
    GRPC_HANDLED.labels(service, name, code).inc()
    GRPC_LATENCY.labels(service, name).observe(seconds)
    if refused:
        GRPC_REFUSED.labels(service, name, refused).inc()


@dataclass
class MetricsEndpoint:
    """The running ``/metrics`` endpoint of a process."""

    server: WSGIServer
    thread: Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_metrics(host: str, port: int) -> MetricsEndpoint | None:
    """Serves this process's metrics on `port` (None when the port is 0: none asked for)."""
    if port <= 0:
        return None
    server, thread = start_http_server(port, addr=host)
    return MetricsEndpoint(server, thread)
