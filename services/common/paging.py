"""AIP-158 pagination: opaque page tokens carrying an offset, page sizes clamped."""

from __future__ import annotations

import base64
import binascii
import json

from services.common.errors import FieldViolation, InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


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
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["o"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        offset = -1
    if not isinstance(offset, int) or offset < 0:
        raise InvalidArgument(
            "INVALID_PAGE_TOKEN",
            "page_token is not one this service issued",
            [FieldViolation("page_token", "malformed")],
        )
    return offset


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def next_token(offset: int, size: int, fetched: int) -> str:
    """Callers fetch ``size + 1`` rows; a full extra row means there is a next page."""
    return encode_token(offset + size) if fetched > size else ""
