"""The gateway's signing keys. Each key has an id, the `kid` in the header of the tokens it signs;
one key signs, every key verifies. So keys rotate without downtime: add the new key to every
gateway, then sign with it (CC_GATEWAY_JWT_SIGNING_KEY_ID), then drop the old key once no token
or payment link made with it is still valid.

Outside development (CC_ENV) a gateway starts only with keys nobody else knows: no key, an empty
one, one shorter than 32 bytes and the public ones (the development secret, the deploy
templates' placeholders) are refused with a sentence saying what to set."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Signs the tokens of `make run` and the test stacks; anyone can read it here.
DEV_JWT_SECRET = "dev-only-secret-do-not-use-in-production-0123456789"
# The key CC_GATEWAY_JWT_SECRET gives, and the one a token naming no key is checked with (the
# gateway's tokens named none before keys had ids).
DEFAULT_KEY_ID = "default"
MIN_SECRET_BYTES = 32
KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Secrets printed in this repository: whoever reads it could sign tokens with them.
PUBLIC_SECRETS = frozenset(
    {
        DEV_JWT_SECRET,
        "replace-with-at-least-32-random-bytes",  # deploy/compose/.env.example
        "change-me-at-least-32-random-bytes",  # deploy/k8s/secret.example.yaml
    }
)
HOW_TO_SET = (
    "set CC_GATEWAY_JWT_SECRET to a random secret of at least 32 bytes "
    "(`openssl rand -base64 48`), or CC_GATEWAY_JWT_KEYS to id:secret,id:secret with "
    "CC_GATEWAY_JWT_SIGNING_KEY_ID; only CC_ENV=development starts with the public "
    "development secret"
)


@dataclass(frozen=True)
class KeyRing:
    """Secrets by key id, and the id of the one that signs."""

    secrets: Mapping[str, str]
    signing_id: str

    def __post_init__(self) -> None:
        if self.signing_id not in self.secrets:
            raise ValueError(f"no key {self.signing_id!r} to sign with")
        if not all(self.secrets.values()):
            raise ValueError("a key is empty")

    @classmethod
    def single(cls, secret: str, key_id: str = DEFAULT_KEY_ID) -> KeyRing:
        return cls({key_id: secret}, key_id)

    @property
    def signing_secret(self) -> str:
        return self.secrets[self.signing_id]

    def secret_for(self, key_id: str | None) -> str | None:
        """The secret a token naming `key_id` (None: naming none) is checked with."""
        return self.secrets.get(DEFAULT_KEY_ID if key_id is None else key_id)


def key_ring(secret: str | None, keys: str, signing_id: str, development: bool) -> KeyRing:
    """The keys the settings give (CC_GATEWAY_JWT_SECRET, CC_GATEWAY_JWT_KEYS and
    CC_GATEWAY_JWT_SIGNING_KEY_ID); ValueError saying what is wrong and what to set."""
    secrets = parse_keys(keys)
    if secret is not None:
        if DEFAULT_KEY_ID in secrets:
            raise ValueError(
                f"CC_GATEWAY_JWT_KEYS names a key {DEFAULT_KEY_ID!r}, the id of "
                "CC_GATEWAY_JWT_SECRET's key: give it another id"
            )
        secrets = {DEFAULT_KEY_ID: secret, **secrets}
    if not secrets:
        if not development:
            raise ValueError(f"no key to sign tokens with: {HOW_TO_SET}")
        secrets = {DEFAULT_KEY_ID: DEV_JWT_SECRET}
    problems = [
        f"{_named(key_id, secret is not None)} {problem}"
        for key_id, value in secrets.items()
        if (problem := secret_problem(value, development))
    ]
    if problems:
        raise ValueError("; ".join(problems) + f": {HOW_TO_SET}")
    return KeyRing(secrets, _signing_id(secrets, signing_id))


def secret_problem(secret: str, development: bool) -> str:
    """What makes `secret` unfit to sign tokens ("" when nothing does)."""
    if not secret:
        return "is empty"
    if development:
        return ""
    if secret in PUBLIC_SECRETS:
        return "is a secret printed in this project's files, so anyone can sign tokens with it"
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes"
    return ""


def parse_keys(text: str) -> dict[str, str]:
    """CC_GATEWAY_JWT_KEYS: `id:secret,id:secret` ("" for none). Errors never quote a secret."""
    secrets: dict[str, str] = {}
    for number, entry in enumerate(filter(None, (e.strip() for e in text.split(","))), 1):
        key_id, colon, secret = (part.strip() for part in entry.partition(":"))
        where = f"CC_GATEWAY_JWT_KEYS entry {number}"
        if not colon:
            raise ValueError(f"{where} is not id:secret")
        if not KEY_ID.fullmatch(key_id):
            raise ValueError(f"{where}: a key id is 1-64 of A-Z a-z 0-9 . _ -")
        if key_id in secrets:
            raise ValueError(f"{where}: key id {key_id!r} is given twice")
        secrets[key_id] = secret
    return secrets


def _signing_id(secrets: Mapping[str, str], signing_id: str) -> str:
    known = ", ".join(secrets)
    if signing_id and signing_id not in secrets:
        raise ValueError(f"CC_GATEWAY_JWT_SIGNING_KEY_ID names no key (the keys: {known})")
    if not signing_id and len(secrets) > 1:
        raise ValueError(
            f"several keys ({known}): set CC_GATEWAY_JWT_SIGNING_KEY_ID to the one that signs"
        )
    return signing_id or next(iter(secrets))


def _named(key_id: str, from_secret: bool) -> str:
    if key_id == DEFAULT_KEY_ID and from_secret:
        return "CC_GATEWAY_JWT_SECRET"
    return f"key {key_id!r} of CC_GATEWAY_JWT_KEYS"
