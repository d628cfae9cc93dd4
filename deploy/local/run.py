"""`make run`: the whole stack on this machine with demo data. Ctrl-C stops every process."""

from __future__ import annotations

import asyncio
import shlex
import signal
import sys
from datetime import timedelta
from pathlib import Path

from deploy.local.codec import DevCodec
from deploy.local.demo_data import DEMO_CUSTOMER
from deploy.local.seed import seed, seed_customers
from deploy.local.stack import Stack
from deploy.local.stack_config import DEVELOPMENT, ROOT, StackConfig, local_token_authority
from services.gateway.domain import Role

COLOURS = {
    "temporal": 90,
    "stores": 36,
    "inventory": 32,
    "orders": 33,
    "notifications": 35,
    "edge": 94,
}


def echo(name: str, line: str) -> None:
    colour = COLOURS.get(name, 34)
    prefix = f"\033[{colour}m{name:>13} |\033[0m " if sys.stdout.isatty() else f"{name:>13} | "
    print(prefix + line, flush=True)


def demo_tokens() -> dict[str, str]:
    authority = local_token_authority()
    month = timedelta(days=30)
    return {
        "CUSTOMER_TOKEN": authority.issue(Role.CUSTOMER, "cust-1001", ttl=month),
        "OTHER_CUSTOMER_TOKEN": authority.issue(Role.CUSTOMER, "cust-2002", ttl=month),
        "STORE_TOKEN": authority.issue(Role.STORE, "terminal-001-a", "STORE-001", ttl=month),
        "OTHER_STORE_TOKEN": authority.issue(Role.STORE, "terminal-002-a", "STORE-002", ttl=month),
        "DC_TOKEN": authority.issue(Role.STORE, "dc-dock-1", "DC-01", ttl=month),
        "OPS_TOKEN": authority.issue(Role.OPS, "ops-alice", ttl=month),
    }


def write_demo_env(config: StackConfig, tokens: dict[str, str]) -> Path:
    """`var/demo.env`, what the README's walk-through sources: the gateway's address (`GW`),
    the edge's (`EDGE`, for curl and browsers), the Temporal frontend and the codec server for
    the `temporal` CLI (`TEMPORAL_ADDRESS`, `TEMPORAL_CODEC_ENDPOINT`, `TEMPORAL_CODEC_AUTH`:
    it shows payloads decrypted), the demo tokens and `CC_ENV` (the token tool then signs as
    this stack's gateway does)."""
    env_file = config.var_dir / "demo.env"
    values = {
        "CC_ENV": DEVELOPMENT,
        "GW": config.target("gateway"),
        "EDGE": config.edge_url,
        "TEMPORAL_ADDRESS": config.temporal_address,
        **codec_environment(config),
    }
    values.update(tokens)
    env_file.write_text("".join(f"export {k}={shlex.quote(v)}\n" for k, v in values.items()))
    return env_file


def codec_environment(config: StackConfig) -> dict[str, str]:
    """What the `temporal` CLI reads to decrypt payloads through the stack's codec server."""
    token = DevCodec.in_folder(config.var_dir).token
    return {"TEMPORAL_CODEC_ENDPOINT": config.codec_url, "TEMPORAL_CODEC_AUTH": f"Bearer {token}"}


def banner(config: StackConfig, rows: int) -> str:
    tokens = demo_tokens()
    env_file = write_demo_env(config, tokens)
    gateway = config.target("gateway")
    edge = config.edge_url
    t = config.target
    exports = "\n".join(f"   export {k}={v}" for k, v in tokens.items())
    c = DEMO_CUSTOMER
    metrics = "\n                       ".join(
        f"{name:<13} {config.metrics_url(name)}" for name in config.metrics_ports
    )
    return f"""
================================================================================
 Click & Collect is running (demo retailer seeded: 6 locations, {rows} stock rows)

 Public gRPC gateway   {gateway}   (CheckoutService, StoreOpsService, OpsService; reflection on)
 Store app (browsers)  {edge}/   (the edge: gRPC-Web to the public services)
 JSON API (web shops)  {edge}/v1/   (e.g. POST /v1/pickup-options:search, /v1/orders:place)
 Temporal UI           http://127.0.0.1:{config.temporal_ui_port}   (namespace default)
 Temporal frontend     {config.temporal_address}
 Codec server          {config.codec_url}   (payloads are encrypted in Temporal; the UI
                       decrypts through it, the CLI too with demo.env's TEMPORAL_CODEC_*)
 Internal services     stores {t("stores")}  inventory {t("inventory")}
                       orders {t("orders")}  notifications {t("notifications")}
 Metrics (Prometheus)  {metrics}
 Customer mail outbox  {config.var_dir / "outbox" / "notifications.txt"}
 Customer SMS outbox   {config.var_dir / "outbox" / "sms.txt"}
 Data                  {config.var_dir}/  (kept across restarts; `make distclean` wipes it)

 Demo tokens, valid 30 days (also in {env_file.relative_to(ROOT)}: `source` it):
{exports}
   export GW={gateway} EDGE={edge} TEMPORAL_ADDRESS={config.temporal_address}
   export PATH="$PWD/.venv/bin:$PATH"     # grpcurl, temporal and jaq

 Demo customer {c.customer_id} (CUSTOMER_TOKEN): {c.email}, {c.phone}, locale {c.locale},
   loyalty card {c.loyalty_card} (SMS and e-mail when an order is ready)

 Try it (README.md has the whole walk-through):
   grpcurl -plaintext -H "authorization: Bearer $CUSTOMER_TOKEN" \\
     -d '{{"store_id":"STORE-001","lines":[{{"sku":"TSHIRT-WHT-M","quantity":1}}]}}' \\
     $GW clickcollect.gateway.v1.CheckoutService/GetPickupOptions
   curl -H "authorization: Bearer $CUSTOMER_TOKEN" -H 'content-type: application/json' \\
     -d '{{"store_id":"STORE-001","lines":[{{"sku":"TSHIRT-WHT-M","quantity":1}}]}}' \\
     $EDGE/v1/pickup-options:search

 Ctrl-C stops everything.
================================================================================
"""


async def main() -> None:
    config = StackConfig(var_dir=ROOT / "var", echo=echo)
    stack = Stack(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stack.start()
        rows = await seed(config.target("stores"), config.target("inventory"), stack.credentials)
        await seed_customers(config.target("orders"), stack.credentials)
        print(banner(config, rows), flush=True)
        await stop.wait()
    finally:
        print("stopping …", flush=True)
        await stack.stop()
        print("stopped.", flush=True)


if __name__ == "__main__":
    Path(ROOT / "var").mkdir(exist_ok=True)
    asyncio.run(main())
