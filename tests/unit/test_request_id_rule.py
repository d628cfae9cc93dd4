"""One request_id rule (AIP-155 idempotency keys): 8-128 characters of [A-Za-z0-9_.:-], checked
the same by the gateway and the services, and quoted word for word by the protos and README."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.common import ids
from services.common.errors import InvalidArgument, Violations
from services.gateway.domain import check_request_id

ROOT = Path(__file__).resolve().parents[2]


def refused_fields(request_id: str) -> list[str]:
    errors = Violations()
    check_request_id(request_id, errors)
    with pytest.raises(InvalidArgument) as refused:
        errors.raise_if_any()
    return [violation.field for violation in refused.value.violations]


@pytest.mark.parametrize(
    "request_id",
    ["a" * 8, "A" * 128, "checkout-0001", "till.STORE-001:R_42", "0123456789"],
)
def test_accepts_8_to_128_of_letters_digits_and_underscore_dot_colon_dash(
    request_id: str,
) -> None:
    errors = Violations()
    check_request_id(request_id, errors)
    errors.raise_if_any()


@pytest.mark.parametrize(
    "request_id",
    ["a" * 7, "a" * 129, "", "checkout 0001", "checkout/0001", "checkout-0001é", "check+0001"],
)
def test_refuses_shorter_longer_or_other_characters(request_id: str) -> None:
    assert refused_fields(request_id) == ["request_id"]


def test_the_readme_quotes_the_enforced_rule() -> None:
    assert ids.REQUEST_ID_RULE == "8-128 characters of [A-Za-z0-9_.:-]"
    assert ids.REQUEST_ID_RULE in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("proto", ["checkout.proto", "store_ops.proto"])
def test_every_public_request_id_field_quotes_the_enforced_rule(proto: str) -> None:
    lines = (ROOT / "protos/clickcollect/gateway/v1" / proto).read_text().splitlines()
    fields = [n for n, line in enumerate(lines) if line.strip().startswith("string request_id")]
    assert fields
    for n in fields:
        comment = " ".join(line.strip().removeprefix("// ") for line in lines[n - 3 : n])
        assert ids.REQUEST_ID_RULE in comment, lines[n]
