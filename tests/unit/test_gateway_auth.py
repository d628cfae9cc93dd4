"""Bearer tokens: signed, expiring, bound to a role (and a store for terminals)."""

from __future__ import annotations

import subprocess
import sys
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


def _signed(**claims: object) -> str:
    base = {"iss": "clickcollect", "exp": 4102444800, **claims}
    return jwt.encode(base, "a-test-secret-that-is-long-enough-for-hs256", algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "storm+2-0004", "role": "customer"},
        {"sub": "c" * 65, "role": "customer"},
        {"sub": "ab", "role": "customer"},
        {"sub": "cust 1001", "role": "customer"},
        {"sub": "cust-1001\u0000", "role": "customer"},
        {"sub": "t" * 65, "role": "store", "store_id": "STORE-001"},
        {"sub": "terminal 7", "role": "store", "store_id": "STORE-001"},
        {"sub": "terminal-7", "role": "store", "store_id": "store-001"},
        {"sub": "terminal-7", "role": "store", "store_id": {"id": "STORE-001"}},
        {"sub": "terminal-7", "role": "store", "store_id": "STORE-" + "1" * 64},
        {"sub": "", "role": "ops"},
        {"sub": "alice\nbob", "role": "ops"},
    ],
    ids=[
        "customer-plus-sign",
        "customer-65-chars",
        "customer-too-short",
        "customer-space",
        "customer-nul",
        "terminal-65-chars",
        "terminal-space",
        "store-id-lowercase",
        "store-id-not-a-string",
        "store-id-too-long",
        "ops-empty",
        "ops-newline",
    ],
)
def test_a_token_whose_principal_could_never_act_is_invalid(claims: dict[str, object]) -> None:
    with pytest.raises(Unauthenticated) as refused:
        AUTHORITY.verify(_signed(**claims))
    assert refused.value.reason == "TOKEN_INVALID"


@pytest.mark.parametrize(
    ("role", "subject", "store_id"),
    [
        (Role.CUSTOMER, "storm+2-0004", ""),
        (Role.CUSTOMER, "c" * 65, ""),
        (Role.STORE, "terminal-7", ""),
        (Role.STORE, "terminal-7", "Amsterdam"),
        (Role.OPS, "ops alice", ""),
    ],
)
def test_no_token_is_issued_for_a_principal_that_could_never_act(
    role: Role, subject: str, store_id: str
) -> None:
    with pytest.raises(ValueError, match=r"subject|store"):
        AUTHORITY.issue(role, subject, store_id)


def test_the_token_tool_refuses_to_mint_a_token_no_method_would_accept() -> None:
    tool = [sys.executable, "-m", "services.gateway.tokens"]
    refused = subprocess.run([*tool, "customer", "storm+2-0004"], capture_output=True, text=True)
    assert refused.returncode != 0 and refused.stdout == ""
    assert "no token minted: the subject is not a customer id" in refused.stderr
    minted = subprocess.run([*tool, "customer", "cust-1001"], capture_output=True, text=True)
    assert minted.returncode == 0 and minted.stdout.count(".") == 2
