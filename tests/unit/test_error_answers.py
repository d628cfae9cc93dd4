"""Error answers stay small enough for any client to read, however much bad input caused them."""

from __future__ import annotations

import base64
from urllib.parse import quote

import grpc
from google.rpc import error_details_pb2, status_pb2

from services.common.errors import FieldViolation, InvalidArgument, NotFound, Violations, echo
from services.common.grpc_errors import to_status

# A client refuses trailing metadata beyond this by default.
CLIENT_METADATA_LIMIT = 8 * 1024


def _wire_size(status: grpc.Status) -> int:
    """What the status costs in trailing metadata: the message percent-encoded, the binary
    details base64-encoded."""
    size = len(quote(status.details, safe=" !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~"))
    for key, value in status.trailing_metadata:
        size += len(key) + len(base64.b64encode(value) if isinstance(value, bytes) else value)
    return size


def _violations(status: grpc.Status) -> list[tuple[str, str]]:
    packed = dict(status.trailing_metadata)["grpc-status-details-bin"]
    details = status_pb2.Status.FromString(packed)
    for detail in details.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            return [(v.field, v.description) for v in bad.field_violations]
    return []


def test_a_thousand_bad_lines_name_the_first_twenty_and_count_the_rest() -> None:
    errors = Violations()
    for index in range(1_000):
        errors.add(f"lines[{index}].sku", f"{echo('X' * 10_000)} is not a sku")
    try:
        errors.raise_if_any()
    except InvalidArgument as error:
        status = to_status(error)
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT
    assert _wire_size(status) < CLIENT_METADATA_LIMIT
    shown = _violations(status)
    assert shown[0][0] == "lines[0].sku"
    assert 1 <= len(shown) <= 21
    assert shown[-1][1].endswith("more not shown")
    assert "and 997 more" in status.details


def test_huge_values_are_cut_wherever_they_appear() -> None:
    wide = "界" * 20_000
    error = NotFound("SKU_NOT_FOUND", f"unknown sku {wide}", {"skus": wide, "sku": wide})
    status = to_status(error)
    assert _wire_size(status) < CLIENT_METADATA_LIMIT
    huge_field = InvalidArgument("INVALID_REQUEST", "bad", [FieldViolation(wide, wide)] * 50)
    assert _wire_size(to_status(huge_field)) < CLIENT_METADATA_LIMIT


def test_an_echoed_value_is_quoted_and_cut_to_64_characters() -> None:
    assert echo("SKU-1") == "'SKU-1'"
    shown = echo("A" * 10_000)
    assert len(shown) <= 64 + 3 and shown.endswith("…'")
