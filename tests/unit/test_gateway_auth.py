"""Bearer tokens: signed, expiring, bound to a role (and a store for terminals), refused in our
own words, never longer-lived than their role allows."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

import jwt
import pytest

from services.common.errors import Unauthenticated
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Principal, Role
from services.gateway.keys import KeyRing

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
AUTHORITY = TokenAuthority(KeyRing.single(SECRET), "clickcollect")
NOW = int(time.time())


def test_a_token_names_its_holder() -> None:
    token = AUTHORITY.issue(Role.STORE, "terminal-7", "STORE-004")
    assert AUTHORITY.verify(token) == Principal(Role.STORE, "terminal-7", "STORE-004")


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (AUTHORITY.issue(Role.CUSTOMER, "cust-1", ttl=timedelta(seconds=-1)), "TOKEN_EXPIRED"),
        (
            TokenAuthority(
                KeyRing.single("another-secret-entirely-0123456789"), "clickcollect"
            ).issue(Role.OPS, "x"),
            "TOKEN_INVALID",
        ),
        (TokenAuthority(KeyRing.single(SECRET), "elsewhere").issue(Role.OPS, "x"), "TOKEN_INVALID"),
        ("garbage", "TOKEN_INVALID"),
        (
            jwt.encode(
                {"sub": "t", "role": "store", "iss": "clickcollect", "iat": NOW, "exp": NOW + 3600},
                SECRET,
                algorithm="HS256",
            ),
            "TOKEN_INVALID",
        ),
        (
            jwt.encode(
                {"sub": "t", "role": "admin", "iss": "clickcollect", "iat": NOW, "exp": NOW + 3600},
                SECRET,
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
    return _signed_by(SECRET, None, **claims)


def _signed_by(secret: str, headers: dict[str, Any] | None, **claims: object) -> str:
    base = {"iss": "clickcollect", "iat": NOW, "exp": NOW + 3600, **claims}
    return jwt.encode(base, secret, algorithm="HS256", headers=headers)


@pytest.mark.parametrize(
    ("token", "sentence"),
    [
        ("garbage", "the token is not valid: malformed"),
        ("a.b.c", "the token is not valid: malformed"),
        (AUTHORITY.issue(Role.OPS, "alice")[:-4] + "AAAA", "the token is not valid: bad signature"),
        (
            _signed_by("another-secret-entirely-0123456789", None, sub="alice", role="ops"),
            "the token is not valid: bad signature",
        ),
        (
            _signed(iss="elsewhere", sub="alice", role="ops"),
            "the token is not valid: issued by someone else",
        ),
        (
            _signed(sub="alice", role="ops", iat=None),
            "the token is not valid: it has no issue time (iat)",
        ),
        (
            _signed(sub="alice", role="ops", exp=None),
            "the token is not valid: it has no expiry (exp)",
        ),
        (_signed(sub="alice", role="ops", iat="soon"), "the token is not valid: malformed"),
        (
            _signed(sub="alice", role="ops", iat=NOW + 600, exp=NOW + 900),
            "the token is not valid: issued in the future",
        ),
        (
            _signed_by(SECRET, {"kid": "2019"}, sub="alice", role="ops"),
            "the token is not valid: signed with a key this gateway does not have",
        ),
        (
            jwt.encode(
                {
                    "sub": "alice",
                    "role": "ops",
                    "iss": "clickcollect",
                    "iat": NOW,
                    "exp": NOW + 3600,
                },
                SECRET * 2,  # long enough for HS512
                algorithm="HS512",
            ),
            "the token is not valid: not signed with HS256",
        ),
        (
            AUTHORITY.issue(Role.CUSTOMER, "cust-1", ttl=timedelta(seconds=-1)),
            "the token has expired",
        ),
    ],
    ids=[
        "garbage",
        "three-dots",
        "tampered",
        "other-secret",
        "other-issuer",
        "no-iat",
        "no-exp",
        "iat-not-a-time",
        "from-the-future",
        "unknown-key",
        "hs512",
        "expired",
    ],
)
def test_a_refusal_says_why_in_our_own_words(token: str, sentence: str) -> None:
    with pytest.raises(Unauthenticated) as refused:
        AUTHORITY.verify(token)
    assert refused.value.message == sentence


def test_a_token_valid_longer_than_its_role_allows_is_refused_and_never_minted() -> None:
    strict = TokenAuthority(KeyRing.single(SECRET), "clickcollect", {Role.OPS: timedelta(days=1)})
    with pytest.raises(Unauthenticated) as refused:
        strict.verify(AUTHORITY.issue(Role.OPS, "alice", ttl=timedelta(days=2)))
    assert refused.value.reason == "TOKEN_INVALID"
    assert (
        refused.value.message == "the token is not valid: an ops token is valid for at most 1 day"
    )
    with pytest.raises(ValueError, match="at most 1 day"):
        strict.issue(Role.OPS, "alice", ttl=timedelta(days=2))
    a_day = strict.issue(Role.OPS, "alice")  # the role's longest by default
    assert strict.verify(a_day) == Principal(Role.OPS, "alice")
    claims = jwt.decode(a_day, SECRET, algorithms=["HS256"], issuer="clickcollect")
    assert claims["exp"] - claims["iat"] == 86400
    month = strict.issue(Role.CUSTOMER, "cust-1")  # other roles: 30 days unless told
    assert strict.verify(month) == Principal(Role.CUSTOMER, "cust-1")


def test_a_token_names_the_key_that_signed_it() -> None:
    ring = KeyRing(
        {"2026-11": SECRET, "2026-12": "the-new-key-0123456789abcdefghijklmn"}, "2026-12"
    )
    token = TokenAuthority(ring, "clickcollect").issue(Role.OPS, "alice")
    assert jwt.get_unverified_header(token)["kid"] == "2026-12"
    jwt.decode(token, ring.secrets["2026-12"], algorithms=["HS256"], issuer="clickcollect")


def test_keys_rotate_without_refusing_a_token_of_the_old_key() -> None:
    old, new = SECRET, "the-new-key-0123456789abcdefghijklmn"
    before = TokenAuthority(KeyRing({"2026-11": old}, "2026-11"), "clickcollect")
    during = TokenAuthority(KeyRing({"2026-11": old, "2026-12": new}, "2026-12"), "clickcollect")
    after = TokenAuthority(KeyRing({"2026-12": new}, "2026-12"), "clickcollect")
    token_of_old = before.issue(Role.STORE, "terminal-7", "STORE-004")
    token_of_new = during.issue(Role.STORE, "terminal-8", "STORE-004")

    assert during.verify(token_of_old) == Principal(Role.STORE, "terminal-7", "STORE-004")
    assert during.verify(token_of_new) == Principal(Role.STORE, "terminal-8", "STORE-004")
    assert after.verify(token_of_new) == Principal(Role.STORE, "terminal-8", "STORE-004")
    with pytest.raises(Unauthenticated, match="a key this gateway does not have"):
        after.verify(token_of_old)
    with pytest.raises(Unauthenticated, match="a key this gateway does not have"):
        before.verify(token_of_new)


def test_a_token_naming_no_key_is_checked_with_the_default_key_only() -> None:
    """Tokens minted before keys had ids name none: CC_GATEWAY_JWT_SECRET's key checks them."""
    legacy = _signed(sub="alice", role="ops")
    rotated = KeyRing(
        {"default": SECRET, "2026-12": "the-new-key-0123456789abcdefghijklmn"}, "2026-12"
    )
    assert TokenAuthority(rotated, "clickcollect").verify(legacy) == Principal(Role.OPS, "alice")
    without = TokenAuthority(KeyRing({"2026-11": SECRET}, "2026-11"), "clickcollect")
    with pytest.raises(Unauthenticated, match="a key this gateway does not have"):
        without.verify(legacy)


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


TOOL = [sys.executable, "-m", "services.gateway.tokens"]


def _tool(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The token tool with the gateway's settings `env` (CC_* of this process left out)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CC_")}
    return subprocess.run([*TOOL, *argv], capture_output=True, text=True, env={**clean, **env})


def test_the_token_tool_refuses_to_mint_a_token_no_method_would_accept() -> None:
    refused = _tool("customer", "storm+2-0004", CC_ENV="development")
    assert refused.returncode != 0 and refused.stdout == ""
    assert "no token minted: the subject is not a customer id" in refused.stderr
    too_long = _tool(
        "ops", "alice", "--days", "8", CC_ENV="development", CC_GATEWAY_OPS_TOKEN_MAX_DAYS="7"
    )
    assert too_long.returncode != 0 and too_long.stdout == ""
    assert "no token minted: an ops token is valid for at most 7 days" in too_long.stderr
    minted = _tool("customer", "cust-1001", CC_ENV="development")
    assert minted.returncode == 0 and minted.stdout.count(".") == 2


def test_the_token_tool_signs_with_the_gateways_signing_key() -> None:
    keys = f"2026-11:{SECRET},2026-12:the-new-key-0123456789abcdefghijklmn"
    minted = _tool(
        "ops", "alice", CC_GATEWAY_JWT_KEYS=keys, CC_GATEWAY_JWT_SIGNING_KEY_ID="2026-11"
    )
    assert minted.returncode == 0, minted.stderr
    ring = KeyRing({"2026-11": SECRET}, "2026-11")
    assert TokenAuthority(ring, "clickcollect").verify(minted.stdout.strip()) == Principal(
        Role.OPS, "alice"
    )


def test_the_token_tool_mints_nothing_without_a_key_of_its_own_outside_development() -> None:
    refused = _tool("ops", "alice")
    assert refused.returncode != 0 and refused.stdout == ""
    assert "not started: its settings are wrong" in refused.stderr
    assert "set CC_GATEWAY_JWT_SECRET" in refused.stderr and "Traceback" not in refused.stderr
