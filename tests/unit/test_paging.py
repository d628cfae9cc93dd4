"""Page tokens: only the ones a list handed out are taken back."""

from __future__ import annotations

import base64

import pytest

from services.common.errors import InvalidArgument
from services.common.paging import MAX_OFFSET, decode_token, encode_token, next_token


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_a_token_from_a_previous_page_names_where_the_next_page_starts() -> None:
    token = next_token(offset=50, size=50, fetched=51)
    assert decode_token(token) == 100
    assert decode_token("") == 0
    assert decode_token(encode_token(MAX_OFFSET)) == MAX_OFFSET


@pytest.mark.parametrize(
    "token",
    [
        _b64('{"o": 9223372036854775808}'),
        _b64('{"o": 1000000001}'),
        _b64('{"o": -1}'),
        _b64('{"o": true}'),
        _b64('{"o": 1.5}'),
        _b64('{"o": "10"}'),
        _b64('{"o": 10, "x": 1}'),
        _b64("[10]"),
        _b64('{"o":10}'),  # not the encoding this code makes
        _b64('{"o": 1e400}'),
        "not base64 at all!",
        "é" * 10,
        encode_token(10) + "=",
        "A" * 70_000,
    ],
    ids=[
        "beyond-int64",
        "beyond-max-offset",
        "negative",
        "bool",
        "float",
        "string",
        "extra-key",
        "not-an-object",
        "non-canonical",
        "infinite",
        "garbage",
        "non-ascii",
        "padded",
        "huge",
    ],
)
def test_a_token_this_code_did_not_make_is_invalid_argument_on_page_token(token: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        decode_token(token)
    assert refused.value.reason == "INVALID_PAGE_TOKEN"
    assert [v.field for v in refused.value.violations] == ["page_token"]
