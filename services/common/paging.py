"""AIP-158 pagination: opaque page tokens carrying an offset, page sizes clamped.

A page token is refused (INVALID_ARGUMENT on ``page_token``) unless it is exactly one this code
makes: the canonical encoding of ``{"o": <offset>}`` with a whole offset in ``0..MAX_OFFSET``.
"""

from __future__ import annotations

import base64
import binascii
import json

from services.common.errors import FieldViolation, InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Far beyond any list we serve, and within every database's OFFSET.
MAX_OFFSET = 1_000_000_000
_MAX_TOKEN_CHARS = 64


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument(
            "INVALID_PAGE_SIZE",
            "page_size must not be negative",
            [FieldViolation("page_size", "must be >= 0")],
        )
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def decode_token(token: str) -> int:
    """The offset a page token stands for (0 for the first page)."""
    if not token:
        return 0
    offset = _offset_in(token) if len(token) <= _MAX_TOKEN_CHARS else None
    if offset is None or encode_token(offset) != token:
        raise InvalidArgument(
            "INVALID_PAGE_TOKEN",
            "page_token is not one this service issued",
            [FieldViolation("page_token", "not a token from a previous page of this list")],
        )
    return offset


def _offset_in(token: str) -> int | None:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, TypeError, binascii.Error):
        return None
    if not isinstance(payload, dict) or set(payload) != {"o"}:
        return None
    offset = payload["o"]
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        return None
    return offset


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def next_token(offset: int, size: int, fetched: int) -> str:
    """Callers fetch ``size + 1`` rows; a full extra row means there is a next page."""
    return encode_token(offset + size) if fetched > size else ""
