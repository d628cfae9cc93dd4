"""Server bootstrap shared by every service: grpc.aio server with health, reflection, the
canonical log line per RPC, the domain-error table, and a graceful stop on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection

from services.common.errors import DomainError, InvalidArgument
from services.common.grpc_errors import STATUS_BY_KIND, to_status
from services.common.logging import configure_logging
from services.common.metrics import observe_rpc, serve_metrics
from services.common.settings import DatabaseSettings, ServiceSettings, load
from services.common.tracing import (
    TracingSettings,
    server_interceptors,
    start_tracing,
    stop_tracing,
)

log = structlog.get_logger("rpc")

Registrar = Callable[[grpc.aio.Server], None]
# What every RPC handler of every service takes as its second argument.
Context = grpc.aio.ServicerContext
_CONTEXT_FIELDS = ("request_id", "order_id", "reservation_id", "location_id", "store_id")
# Probed by load balancers and orchestrators every few seconds: served as grpc serves them,
# without a log line each.
_UNOBSERVED = (f"/{health.SERVICE_NAME}/",)
UNDECODABLE = "the request could not be decoded"
Behavior = Callable[[Any, Context], Awaitable[Any]]


class CanonicalLogInterceptor(grpc.aio.ServerInterceptor):
    """Decodes each unary request itself (bytes that are not the method's request message are
    INVALID_ARGUMENT), logs one line per RPC (method, code, duration, ids) and maps domain errors
    to statuses. Unexpected exceptions become INTERNAL with a generic message; the stack goes to
    the log. The wrapped handler is made once per method."""

    def __init__(self) -> None:
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or handler.unary_unary is None or method.startswith(_UNOBSERVED):
            return handler
        known = self._wrapped.get(method)
        if known is None or known[0] is not handler:
            known = (handler, _observed(method, handler))
            self._wrapped[method] = known
        return known[1]


def _observed(method: str, handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
    inner = cast(Behavior, handler.unary_unary)
    decode: Callable[[bytes], Any] = handler.request_deserializer or (lambda raw: raw)

    async def wrapper(raw: bytes, context: Context) -> Any:
        return await _observe(method, inner, _decoded(decode, raw), context)

    return grpc.unary_unary_rpc_method_handler(
        wrapper, request_deserializer=None, response_serializer=handler.response_serializer
    )


def _decoded(decode: Callable[[bytes], Any], raw: bytes) -> Any:
    """The request message, or None when the bytes are not one."""
    try:
        return decode(raw)
    except Exception:  # protobuf's DecodeError, or any other parser's complaint
        return None


async def _observe(method: str, inner: Behavior, request: Any, context: Context) -> Any:
    ids = {f: getattr(request, f) for f in _CONTEXT_FIELDS if getattr(request, f, "")}
    started = time.perf_counter()
    code = grpc.StatusCode.OK
    reason = ""
    with structlog.contextvars.bound_contextvars(method=method, **ids):
        try:
            if request is None:
                raise InvalidArgument("REQUEST_UNDECODABLE", UNDECODABLE)
            return await inner(request, context)
        except DomainError as error:
            code, reason = _code_of(error), error.reason
            status = to_status(error)  # abort, not abort_with_status: seen by a span's wrapper
            await context.abort(status.code, status.details, status.trailing_metadata)
        except grpc.aio.AbortError:
            code = context.code() or grpc.StatusCode.UNKNOWN
            raise
        except Exception:
            code, reason = grpc.StatusCode.INTERNAL, "INTERNAL"
            log.exception("rpc_crashed")
            await context.abort(grpc.StatusCode.INTERNAL, "internal error")
        finally:
            seconds = time.perf_counter() - started
            refused = reason if code not in (grpc.StatusCode.OK, grpc.StatusCode.INTERNAL) else ""
            observe_rpc(method, code.name, seconds, refused)
            log.info(
                "rpc_finished",
                code=code.name,
                reason=reason or None,
                duration_ms=round(seconds * 1000, 2),
            )


def _code_of(error: DomainError) -> grpc.StatusCode:
    return STATUS_BY_KIND[error.kind]


@dataclass
class GrpcService:
    """A built (not yet started) service: what ``create_server`` of every service returns.

    ``port`` is the bound port: settings.port 0 picks a free one (tests).
    """

    server: grpc.aio.Server
    port: int
    health: HealthServicer
    service_names: list[str]
    on_stop: Callable[[], Awaitable[None]] | None = None

    async def start(self) -> None:
        await self.server.start()
        for name in ("", *self.service_names):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)

    async def stop(self, grace_seconds: float = 0) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace_seconds)
        if self.on_stop is not None:
            await self.on_stop()


def build_server(
    settings: ServiceSettings,
    registrars: Iterable[Registrar],
    service_names: Iterable[str],
    on_stop: Callable[[], Awaitable[None]] | None = None,
    public: bool = False,
) -> GrpcService:
    """A grpc.aio server with our interceptor (inside a server span per RPC when the process
    traces), health and reflection, bound to host:port; over TLS when the settings have it
    (`public`: callers are never asked for a certificate)."""
    server = grpc.aio.server(interceptors=[*server_interceptors(), CanonicalLogInterceptor()])
    for register in registrars:
        register(server)
    health_servicer = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = list(service_names)
    reflection.enable_server_reflection(
        [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    credentials = settings.tls.server_credentials(public)
    port = bind_port(server, f"{settings.host}:{settings.port}", credentials)
    return GrpcService(server, port, health_servicer, names, on_stop)


def bind_port(
    server: grpc.aio.Server, address: str, credentials: grpc.ServerCredentials | None
) -> int:
    """The server bound to address (plaintext, or TLS with `credentials`); the bound port."""
    if credentials is None:
        return server.add_insecure_port(address)
    return server.add_secure_port(address, credentials)


def run_service(
    name: str, settings: ServiceSettings, create: Callable[[Any], Awaitable[GrpcService]]
) -> None:
    """Process entry point: tracing (when configured), logging, the database migrated, build,
    serve until SIGTERM/SIGINT, drain, stop."""
    start_tracing(name, load(TracingSettings, name))
    configure_logging(name, settings.log_level, settings.log_json)
    if isinstance(settings, DatabaseSettings):
        _migrate_apart(name, settings.database_url)
    try:
        asyncio.run(_serve(settings, create))
    finally:
        stop_tracing()


def _migrate_apart(name: str, database_url: str) -> None:
    """The service's database brought to its newest schema by a process of its own (the same
    migrations the service would run): the serving process then finds it there and never
    loads Alembic, about 12 MB it would keep for nothing."""
    argv = [sys.executable, "-m", "services.common.migrations", "upgrade", name]
    migrated = subprocess.run([*argv, "--url", database_url], check=False)
    if migrated.returncode != 0:
        sys.exit(f"{name} not started: its database could not be migrated (see above)")


async def _serve(
    settings: ServiceSettings, create: Callable[[Any], Awaitable[GrpcService]]
) -> None:
    service = await create(settings)
    await service.start()
    metrics = serve_metrics(settings.host, settings.metrics_port)
    log.info(
        "server_started",
        host=settings.host,
        port=service.port,
        metrics_port=metrics.port if metrics else None,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("server_stopping", grace_seconds=settings.grace_seconds)
    await service.stop(settings.grace_seconds)
    if metrics is not None:
        metrics.stop()
    log.info("server_stopped")
