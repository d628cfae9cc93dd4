"""The field-name check's rules, read from the descriptor set: which requests carry a JSON body,
the paths they answer, and the names (proto and JSON) each message takes."""

from __future__ import annotations

import re

import pytest

from deploy.local.stack_config import ROOT
from services.edge.filters import CHECKOUT_SERVICE
from services.edge.json_fields import lua_filter_code, path_pattern

DESCRIPTOR_SET = ROOT / "gen" / "clickcollect.pb"


@pytest.mark.parametrize(
    ("template", "pattern"),
    [
        ("/v1/orders:place", "^/v1/orders:place$"),
        ("/v1/orders/{order_id}:cancel", "^/v1/orders/[^/]+:cancel$"),
        ("/v1/pickup-options:search", "^/v1/pickup%-options:search$"),
        ("/v1/returns/{return_id=*}", "^/v1/returns/[^/]+$"),
    ],
)
def test_a_path_template_becomes_an_anchored_lua_pattern(template: str, pattern: str) -> None:
    assert path_pattern(template) == pattern


@pytest.mark.parametrize("template", ["/v1/{name=shelves/*}", "/v1/files/**"])
def test_a_template_the_edge_cannot_match_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match="not supported"):
        path_pattern(template)


def test_every_request_with_a_body_is_checked_and_no_read() -> None:
    code = lua_filter_code(DESCRIPTOR_SET, [CHECKOUT_SERVICE])
    rules = re.findall(r'\{"(POST|PATCH|GET)", "([^"]+)", "([^"]+)"\}', code)
    assert ("POST", "^/v1/orders:place$", "clickcollect.gateway.v1.PlaceOrderRequest") in rules
    assert ("PATCH", "^/v1/profile$", "clickcollect.gateway.v1.UpdateProfileRequest") in rules
    assert not [rule for rule in rules if rule[0] == "GET"]


def test_a_field_goes_by_its_proto_name_and_its_json_name() -> None:
    code = lua_filter_code(DESCRIPTOR_SET, [CHECKOUT_SERVICE])
    line = next(
        row for row in code.splitlines() if '["clickcollect.gateway.v1.PlaceOrderRequest"]' in row
    )
    assert '["pickup_store_id"] = {name = "pickup_store_id"}' in line
    assert '["pickupStoreId"] = {name = "pickup_store_id"}' in line
    assert '["lines"] = {name = "lines", message = "clickcollect.gateway.v1.BasketLine"}' in line
