"""Pairing codes: their shape, how a typed code is read, when one can still pair."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.stores.pairing import (
    ALPHABET,
    CODE_LENGTH,
    DEFAULT_TTL,
    new_code,
    read_code,
    shown,
    usable,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_new_code_lives_for_its_ttl_and_pairs_until_then_once() -> None:
    made = new_code("STORE-001", "Counter tablet", NOW, DEFAULT_TTL)
    assert len(made.code) == CODE_LENGTH and set(made.code) <= set(ALPHABET)
    assert usable(made, NOW + DEFAULT_TTL - timedelta(seconds=1))
    assert not usable(made, NOW + DEFAULT_TTL)
    assert not usable(made.__class__(**{**made.__dict__, "redeemed": True}), NOW)


def test_two_codes_differ() -> None:
    codes = {new_code("STORE-001", "t", NOW, DEFAULT_TTL).code for _ in range(50)}
    assert len(codes) == 50


@given(st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH))
def test_a_code_shown_in_groups_reads_back_as_itself_however_typed(code: str) -> None:
    assert shown(code).count("-") == 2
    assert read_code(shown(code)) == code
    assert read_code(" " + shown(code).lower().replace("-", " ") + "\n") == code
    assert read_code(code.replace("0", "O").replace("1", "I")) == code


@given(st.text(max_size=30))
def test_anything_else_is_not_a_code(typed: str) -> None:
    code = read_code(typed)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(ALPHABET))
