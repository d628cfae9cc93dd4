"""Bearer tokens: signed, expiring, bound to a role (and a store for terminals)."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from services.common.errors import Unauthenticated
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Principal, Role

AUTHORITY = TokenAuthority("a-test-secret-that-is-long-enough-for-hs256", "clickcollect")


def test_a_token_names_its_holder() -> None:
    token = AUTHORITY.issue(Role.STORE, "terminal-7", "STORE-004")
    assert AUTHORITY.verify(token) == Principal(Role.STORE, "terminal-7", "STORE-004")


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (AUTHORITY.issue(Role.CUSTOMER, "cust-1", ttl=timedelta(seconds=-1)), "TOKEN_EXPIRED"),
        (
            TokenAuthority("another-secret-entirely-0123456789", "clickcollect").issue(
                Role.OPS, "x"
            ),
            "TOKEN_INVALID",
        ),
        (
            TokenAuthority("a-test-secret-that-is-long-enough-for-hs256", "elsewhere").issue(
                Role.OPS, "x"
            ),
            "TOKEN_INVALID",
        ),
        ("garbage", "TOKEN_INVALID"),
        (
            jwt.encode(
                {"sub": "t", "role": "store", "iss": "clickcollect", "exp": 4102444800},
                "a-test-secret-that-is-long-enough-for-hs256",
                algorithm="HS256",
            ),
            "TOKEN_INVALID",
        ),
        (
            jwt.encode(
                {"sub": "t", "role": "admin", "iss": "clickcollect", "exp": 4102444800},
                "a-test-secret-that-is-long-enough-for-hs256",
                algorithm="HS256",
            ),
            "TOKEN_INVALID",
        ),
    ],
    ids=[
        "expired",
        "wrong-secret",
        "wrong-issuer",
        "garbage",
        "store-without-store",
        "unknown-role",
    ],
)
def test_bad_tokens_are_refused(token: str, reason: str) -> None:
    with pytest.raises(Unauthenticated) as refused:
        AUTHORITY.verify(token)
    assert refused.value.reason == reason
