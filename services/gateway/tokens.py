"""Mints gateway tokens: `python -m services.gateway.tokens customer cust-1001`,
`... store terminal-7 --store STORE-001`, `... ops alice`. Uses the gateway's settings (secret)."""

from __future__ import annotations

import argparse
from datetime import timedelta

from services.gateway.auth import TokenAuthority
from services.gateway.config import GatewaySettings
from services.gateway.domain import Role


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=[role.value for role in Role])
    parser.add_argument("subject", help="customer id, terminal id or operator name")
    parser.add_argument("--store", default="", help="the store a terminal token is bound to")
    parser.add_argument("--days", type=int, default=30, help="validity in days")
    args = parser.parse_args()
    settings = GatewaySettings()
    authority = TokenAuthority(settings.jwt_secret, settings.jwt_issuer)
    try:
        token = authority.issue(
            Role(args.role), args.subject, args.store, timedelta(days=args.days)
        )
    except ValueError as refused:
        parser.error(f"no token minted: {refused}")
    print(token)


if __name__ == "__main__":
    main()
