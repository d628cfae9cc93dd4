"""The gateway's customer rules: one lookup criterion at a time, a till names its customer once,
a customer changes only their own profile, and the views show each caller what is theirs."""

from __future__ import annotations

import pytest

from clickcollect.gateway.v1 import profiles_pb2
from clickcollect.orders.v1 import customers_pb2 as pb
from services.common.errors import PermissionDenied, Violations
from services.gateway.profile_rules import (
    Lookup,
    account_kind,
    check_lookup,
    check_till_customer,
    ensure_own_profile,
)
from services.gateway.profiles import internal_profile
from services.gateway.views import customer_profile, customer_summary


def looked_up(**given: str) -> tuple[Lookup, list[str]]:
    errors = Violations()
    lookup = check_lookup(given, errors)
    return lookup, [v.field for v in errors.items]


@pytest.mark.parametrize(
    ("given", "lookup"),
    [
        ({"customer_id": "cust-1001"}, Lookup("customer_id", "cust-1001")),
        ({"email": " ada@example.com "}, Lookup("email", "ada@example.com")),
        ({"phone": "+31 6 1234 5678"}, Lookup("phone", "+31 6 1234 5678")),
        ({"loyalty_card": "LC-0001", "email": "  "}, Lookup("loyalty_card", "LC-0001")),
    ],
)
def test_a_customer_is_looked_up_by_the_one_criterion_given(
    given: dict[str, str], lookup: Lookup
) -> None:
    assert looked_up(**given) == (lookup, [])


def test_no_criterion_or_several_are_refused_naming_the_fields() -> None:
    assert looked_up()[1] == ["customer_id"]
    both = looked_up(customer_id="cust-1001", phone="+31612345678", loyalty_card="LC-1")
    assert both[1] == ["phone", "loyalty_card"]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"customer_id": "a b"}, "customer_id"),
        ({"email": "ada@"}, "email"),
        ({"phone": "+31" + "6" * 40}, "phone"),
        ({"loyalty_card": "LC\x00"}, "loyalty_card"),
        ({"loyalty_card": "x" * 129}, "loyalty_card"),
    ],
)
def test_a_criterion_out_of_its_form_is_refused(given: dict[str, str], field: str) -> None:
    assert looked_up(**given)[1] == [field]


def test_a_till_names_its_customer_by_id_or_by_card_not_both() -> None:
    errors = Violations()
    check_till_customer("cust-1001", "LC-1", errors)
    check_till_customer("", "LC\x07", errors)
    check_till_customer("cust-1001", "", errors)
    check_till_customer("", "LC-1", errors)
    assert [v.field for v in errors.items] == ["loyalty_card", "loyalty_card"]


def test_the_account_linked_follows_where_the_customer_signs_in() -> None:
    errors = Violations()
    kinds = [account_kind(channel, errors) for channel in ("UNSPECIFIED", "WEB", "APP")]
    assert kinds == ["WEB_ACCOUNT", "WEB_ACCOUNT", "APP_ACCOUNT"] and not errors.items
    account_kind("STORE", errors)
    assert [v.field for v in errors.items] == ["channel"]


def test_a_customer_changes_only_their_own_profile() -> None:
    ensure_own_profile("cust-1001", "")
    ensure_own_profile("cust-1001", "cust-1001")
    with pytest.raises(PermissionDenied):
        ensure_own_profile("cust-1001", "cust-2002")


def a_stored_profile() -> pb.CustomerProfile:
    return pb.CustomerProfile(
        customer_id="cust-1001",
        email="ada@example.com",
        phone="+31612345678",
        locale="nl",
        preferences=[
            pb.ChannelPreference(
                kind=pb.MESSAGE_KIND_PICKUP,
                channels=[pb.MESSAGE_CHANNEL_SMS, pb.MESSAGE_CHANNEL_EMAIL],
            )
        ],
        identities=[
            pb.Identity(kind=pb.IDENTITY_KIND_WEB_ACCOUNT, value="cust-1001"),
            pb.Identity(kind=pb.IDENTITY_KIND_LOYALTY_CARD, value="LC-SECRET-0001"),
        ],
    )


def test_the_customer_sees_their_whole_profile_and_sends_it_back_unchanged() -> None:
    view = customer_profile(a_stored_profile())
    assert view.phone == "+31612345678" and view.locale == "nl"
    assert [(p.kind, list(p.channels)) for p in view.preferences] == [
        (
            profiles_pb2.MESSAGE_KIND_PICKUP,
            [profiles_pb2.MESSAGE_CHANNEL_SMS, profiles_pb2.MESSAGE_CHANNEL_EMAIL],
        )
    ]
    assert [i.value for i in view.identities] == ["cust-1001", "LC-SECRET-0001"]
    assert internal_profile(view, "cust-1001") == a_stored_profile()


def test_an_enum_value_the_public_api_does_not_name_reaches_the_service_to_be_refused() -> None:
    sent = profiles_pb2.CustomerProfile()
    sent.preferences.add().channels.append(9)  # type: ignore[arg-type]
    assert list(internal_profile(sent, "cust-1001").preferences[0].channels) == [9]


def test_a_terminal_sees_contact_and_whether_a_card_is_linked_but_no_identity() -> None:
    summary = customer_summary(a_stored_profile())
    assert (summary.customer_id, summary.email, summary.phone) == (
        "cust-1001",
        "ada@example.com",
        "+31612345678",
    )
    assert summary.has_loyalty_card
    assert b"LC-SECRET-0001" not in summary.SerializeToString()
    assert not customer_summary(pb.CustomerProfile(customer_id="c-1")).has_loyalty_card
