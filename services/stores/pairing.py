"""Pairing a device with a store: operations make a one-time code for a store and a device
name; the device types it once and acts for that store from then on. The rules, free of
transport and storage: what a code looks like, how a typed one is read, how long one lives."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common import ids
from services.common.errors import Violations

# Crockford's base32: no I, L, O or U, so a code read aloud or off a screen is typed right.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: out of reach of guessing in the minutes a code lives
GROUP = 4
DEFAULT_TTL = timedelta(minutes=15)
MAX_TTL_MINUTES = 60
MAX_DEVICE_NAME = 40
CODE_RULE = f"{CODE_LENGTH} characters of {ALPHABET}, dashes and spaces aside"
# What a typed code may hold besides its characters; letters read as the digits they look like.
_SEPARATORS = re.compile(r"[\s-]")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class PairingCode:
    code: str  # the twelve characters, without dashes
    store_id: str
    device_name: str
    device_id: str
    expire_time: datetime
    redeemed: bool = False


def new_code(store_id: str, device_name: str, now: datetime, ttl: timedelta) -> PairingCode:
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    device_id = f"device-{secrets.token_hex(4)}"
    return PairingCode(code, store_id, device_name, device_id, now + ttl)


def shown(code: str) -> str:
    """In groups of four: 7KQ2-M9XD-4TPA."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def read_code(typed: str) -> str | None:
    """The code as typed (any case, dashes or spaces, O for 0 and I or L for 1); None when it
    cannot be one."""
    code = _SEPARATORS.sub("", typed).upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def usable(pairing: PairingCode, now: datetime) -> bool:
    return not pairing.redeemed and now < pairing.expire_time


def check_new(
    request_id: str, store_id: str, device_name: str, ttl_minutes: int
) -> tuple[str, timedelta]:
    """The trimmed device name and the code's lifetime; INVALID_ARGUMENT naming each bad field."""
    errors = Violations()
    errors.check(ids.is_request_id(request_id), "request_id", ids.REQUEST_ID_RULE)
    errors.check(ids.is_location_id(store_id), "store_id", "a store id like STORE-001")
    name = " ".join(device_name.split())
    errors.check(
        0 < len(name) <= MAX_DEVICE_NAME and name.isprintable(),
        "device_name",
        f"1-{MAX_DEVICE_NAME} printable characters",
    )
    errors.check(0 <= ttl_minutes <= MAX_TTL_MINUTES, "ttl_minutes", f"0-{MAX_TTL_MINUTES}")
    errors.raise_if_any()
    return name, timedelta(minutes=ttl_minutes) if ttl_minutes else DEFAULT_TTL
