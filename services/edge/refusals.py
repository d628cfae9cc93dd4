"""What the edge itself answers a JSON request it refuses (bad JSON or a value of the wrong
type, an unknown query parameter or path, a body over the limit): a google.rpc.Status in JSON,
as the gateway's refusals arrive, with Envoy's words as the message."""

from __future__ import annotations

from typing import Any

from services.edge.routes import JSON_API_PREFIX

ERROR_DOMAIN = "clickcollect"
ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"
# HTTP status of the refusal → (google.rpc.Code, ErrorInfo reason).
REFUSALS = {
    400: (3, "INVALID_REQUEST"),  # INVALID_ARGUMENT, as the gateway says of bad input
    404: (5, "METHOD_NOT_FOUND"),  # NOT_FOUND: no method has this path and HTTP method
    413: (3, "REQUEST_TOO_LARGE"),
}
# Set by the field-name check (json_fields.lua), whose refusal is a Status already.
FIELD_CHECK_REFUSED = {"filter": "clickcollect.edge", "path": [{"key": "refused"}]}


def json_api_refusals() -> dict[str, Any]:
    """Envoy rewrites a refusal by the first mapper whose filter matches: the field check's
    is kept as it is, the others on the JSON API become a Status."""
    kept = {
        "filter": {
            "metadata_filter": {
                "matcher": {**FIELD_CHECK_REFUSED, "value": {"present_match": True}},
                "match_if_key_not_found": False,
            }
        },
        "body_format_override": {
            "text_format_source": {"inline_string": "%LOCAL_REPLY_BODY%"},
            "content_type": "application/json",
        },
    }
    return {"mappers": [kept, *(_mapper(status, *answer) for status, answer in REFUSALS.items())]}


def _mapper(status: int, code: int, reason: str) -> dict[str, Any]:
    refused_with = {
        "status_code_filter": {
            "comparison": {
                "op": "EQ",
                "value": {"default_value": status, "runtime_key": "edge.refusal_status"},
            }
        }
    }
    return {
        "filter": {"and_filter": {"filters": [refused_with, _json_api_request()]}},
        "body_format_override": {
            "json_format": {
                "code": code,
                "message": "%LOCAL_REPLY_BODY%",
                "details": [{"@type": ERROR_INFO_TYPE, "reason": reason, "domain": ERROR_DOMAIN}],
            },
            "content_type": "application/json",
        },
    }


def _json_api_request() -> dict[str, Any]:
    """A request to the JSON API, before the transcoder turned it into gRPC or after."""
    paths = [
        {"header_filter": {"header": {"name": name, "string_match": {"prefix": JSON_API_PREFIX}}}}
        for name in (":path", "x-envoy-original-path")
    ]
    return {"or_filter": {"filters": paths}}
