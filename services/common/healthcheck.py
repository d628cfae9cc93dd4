"""`python -m services.common.healthcheck [PROCESS] [--pid N]`: exits 0 when the process answers
healthy, 1 otherwise with one line saying why (the image's HEALTHCHECK, compose's healthchecks).

PROCESS is one of PROCESSES; without it, the one process N runs (default 1: a container's
command): `python -m services.<name>` or `python -m workflows.worker`, or Envoy (the edge,
which `python -m services.edge` becomes). The gRPC servers and the worker are asked the standard
grpc.health.v1 Check (service ""), the codec server and the edge GET their health path; each at
the host and port of its own settings (CC_<NAME>_HOST/_PORT; the worker's
CC_WORKER_HEALTH_HOST/_PORT), 127.0.0.1 when it listens on every address. It dials as the
process does: over TLS when CC_TLS_* are set, showing the process's certificate and checking the
server's for the first name that certificate holds (loopback is dialled, the certificate names
the service); the edge over HTTPS when it serves it (CC_EDGE_CERT_FILE). Also the Kubernetes exec
probe under TLS (the kubelet's own gRPC probe speaks plaintext only)."""

from __future__ import annotations

import argparse
import ssl
import sys
import urllib.error
import urllib.request
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, load
from services.common.tls import TLSSettings

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
    cert_file: Path | None = None  # the edge's own (HTTPS)


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


def listener_of(process: str) -> Listener:
    prefix = "CC_WORKER_HEALTH_" if process == "worker" else f"CC_{process.upper()}_"
    return Listener(_env_prefix=prefix)


def address_of(process: str) -> tuple[str, int]:
    listener = listener_of(process)
    host = "127.0.0.1" if listener.host in EVERY_ADDRESS else listener.host
    return host, listener.port or DEFAULT_PORTS[process]


def first_name(certificate_pem: bytes) -> str:
    """The certificate's first DNS name, else its first IP address."""
    from cryptography import x509

    from services.common.pem import certificates_in

    names = certificates_in(certificate_pem)[0].extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    dns = names.value.get_values_for_type(x509.DNSName)
    addresses = names.value.get_values_for_type(x509.IPAddress)
    return dns[0] if dns else str(addresses[0])


def dial(target: str, tls: TLSSettings) -> grpc.Channel:
    """A channel as the process's own: plaintext, or TLS with its certificate."""
    options: list[tuple[str, int | str]] = [("grpc.enable_http_proxy", 0)]
    credentials = tls.channel_credentials()
    if credentials is None or tls.cert_file is None:
        return grpc.insecure_channel(target, options=options)
    options.append(("grpc.ssl_target_name_override", first_name(tls.cert_file.read_bytes())))
    return grpc.secure_channel(target, credentials, options)


def check_grpc(target: str, timeout: float, tls: TLSSettings) -> str | None:
    """None when the server answers SERVING, else what it answered."""
    with dial(target, tls) as channel:
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
    # Loopback, the process's own port: its certificate is not what is being checked here.
    unverified = ssl.create_default_context()
    unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
    direct = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=unverified)
    )
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
        scheme = "https" if listener_of(process).cert_file is not None else "http"
        where = f"{scheme}://{host}:{port}{HTTP_PATHS[process]}"
        problem = check_http(where, args.timeout)
    else:
        where = f"{host}:{port}"
        problem = check_grpc(where, args.timeout, load(TLSSettings, "healthcheck"))
    if problem is not None:
        print(f"{process} unhealthy at {where}: {problem}", file=sys.stderr)
        return 1
    print(f"{process} healthy at {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
