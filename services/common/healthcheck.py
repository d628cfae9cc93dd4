"""`python -m services.common.healthcheck [PROCESS] [--pid N]`: exits 0 when the process answers
healthy, 1 otherwise with one line saying why (the image's HEALTHCHECK, compose's healthchecks).

PROCESS is one of PROCESSES; without it, the one process N runs (default 1: a container's
command): `python -m services.<name>` or `python -m workflows.worker`, or Envoy (the edge,
which `python -m services.edge` becomes). The gRPC servers and the worker are asked the standard
grpc.health.v1 Check (service ""), the codec server and the edge GET their health path; each at
the host and port of its own settings (CC_<NAME>_HOST/_PORT; the worker's
CC_WORKER_HEALTH_HOST/_PORT), 127.0.0.1 when it listens on every address."""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import DEFAULT_PORTS

GRPC = ("stores", "inventory", "orders", "notifications", "gateway", "worker")
HTTP_PATHS = {"codec": "/health", "edge": "/healthz"}
PROCESSES = (*GRPC, *HTTP_PATHS)
MODULES = {f"services.{n}": n for n in PROCESSES if n != "worker"} | {"workflows.worker": "worker"}
EVERY_ADDRESS = ("", "0.0.0.0", "::", "[::]")


class Listener(BaseSettings):
    """Where a process listens, from its own settings' environment (prefix given at load)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = 0


def process_of(pid: int) -> str:
    """The process `pid` runs, from its command line; SystemExit when it is none of ours."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError as error:
        sys.exit(f"healthcheck: cannot read process {pid}'s command ({error.strerror})")
    if "-m" in argv[:-1] and argv[argv.index("-m") + 1] in MODULES:
        return MODULES[argv[argv.index("-m") + 1]]
    if Path(argv[0]).name == "envoy":
        return "edge"
    sys.exit(f"healthcheck: process {pid} runs none of {', '.join(PROCESSES)}; name it")


def address_of(process: str) -> tuple[str, int]:
    prefix = "CC_WORKER_HEALTH_" if process == "worker" else f"CC_{process.upper()}_"
    listener = Listener(_env_prefix=prefix)
    host = "127.0.0.1" if listener.host in EVERY_ADDRESS else listener.host
    return host, listener.port or DEFAULT_PORTS[process]


def check_grpc(target: str, timeout: float) -> str | None:
    """None when the server answers SERVING, else what it answered."""
    with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError as error:
            return f"no answer ({error.code().name})"
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    return None


def check_http(url: str, timeout: float) -> str | None:
    """None when GET url answers 200, else what it answered."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(url, timeout=timeout) as reply:
            return None if reply.status == 200 else f"HTTP {reply.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"no answer ({reason})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("process", nargs="?", choices=PROCESSES)
    parser.add_argument("--pid", type=int, default=1, help="the process to check (default 1)")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds (default 3)")
    args = parser.parse_args(argv)
    process = args.process or process_of(args.pid)
    host, port = address_of(process)
    if process in HTTP_PATHS:
        where = f"http://{host}:{port}{HTTP_PATHS[process]}"
        problem = check_http(where, args.timeout)
    else:
        where = f"{host}:{port}"
        problem = check_grpc(where, args.timeout)
    if problem is not None:
        print(f"{process} unhealthy at {where}: {problem}", file=sys.stderr)
        return 1
    print(f"{process} healthy at {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
