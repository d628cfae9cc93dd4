"""Mints gateway tokens: `python -m services.gateway.tokens customer cust-1001`,
`... store terminal-7 --store STORE-001`, `... ops alice`. Signs with the gateway's signing key
(its settings, CC_GATEWAY_JWT_*), valid for the role's longest lifetime unless --days says less."""

from __future__ import annotations

import argparse
from datetime import timedelta

from services.common.settings import load
from services.gateway.auth import TokenAuthority
from services.gateway.config import GatewaySettings
from services.gateway.domain import Role


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=[role.value for role in Role])
    parser.add_argument("subject", help="customer id, terminal id or operator name")
    parser.add_argument("--store", default="", help="the store a terminal token is bound to")
    parser.add_argument("--days", type=int, help="validity in days (default: the role's longest)")
    args = parser.parse_args()
    authority = TokenAuthority.of(load(GatewaySettings, "services.gateway.tokens"))
    ttl = None if args.days is None else timedelta(days=args.days)
    try:
        token = authority.issue(Role(args.role), args.subject, args.store, ttl)
    except ValueError as refused:
        parser.error(f"no token minted: {refused}")
    print(token)


if __name__ == "__main__":
    main()
