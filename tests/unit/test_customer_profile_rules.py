"""Customer profile rules: phone numbers in E.164, the languages we write in, channels per kind
of message, linked identities, and how an update applies to the stored profile."""

from __future__ import annotations

import pytest

from services.common.errors import Violations
from services.orders.customers.domain import (
    MAX_IDENTITIES,
    Identity,
    IdentityKind,
    MessageChannel,
    MessageKind,
    Preference,
    Profile,
    ProfileChange,
    applied,
    channels_for,
    check_change,
    e164,
    fingerprint,
    language_of,
    normalized,
)

CARD = IdentityKind.LOYALTY_CARD
WEB = IdentityKind.WEB_ACCOUNT
APP = IdentityKind.APP_ACCOUNT
EMAIL, SMS = MessageChannel.EMAIL, MessageChannel.SMS
PICKUP = MessageKind.PICKUP


def a_profile(**fields: object) -> Profile:
    base: dict[str, object] = {"customer_id": "cust-1001", "email": "ada@example.com"}
    base.update(fields)
    return Profile(**base)  # type: ignore[arg-type]


def refused_fields(change: ProfileChange) -> list[str]:
    errors = Violations()
    check_change(change, errors)
    return [v.field for v in errors.items]


def applying(current: Profile | None, change: ProfileChange) -> tuple[Profile, list[str]]:
    errors = Violations()
    profile = applied(current, normalized(change), errors)
    return profile, [v.field for v in errors.items]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("+31612345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+1 (650) 253-0000", "+16502530000"),
    ],
)
def test_a_phone_number_with_its_country_code_is_stored_in_e164(written: str, stored: str) -> None:
    assert e164(written) == stored


@pytest.mark.parametrize(
    "phone", ["0612345678", "+31 6 12", "+999 123456", "phone", "+31612345678" + " " * 30, "+"]
)
def test_a_number_without_country_code_or_not_a_real_number_is_refused(phone: str) -> None:
    assert e164(phone) is None
    change = ProfileChange(a_profile(phone=phone), ("phone",))
    assert refused_fields(change) == ["profile.phone"]


@pytest.mark.parametrize(
    ("tag", "language"),
    [("en", "en"), ("fr", "fr"), ("nl", "nl"), ("fr-FR", "fr"), ("nl_NL", "nl"), ("EN-gb", "en")],
)
def test_a_supported_language_or_its_region_variant_reads_as_the_language(
    tag: str, language: str
) -> None:
    assert language_of(tag) == language


@pytest.mark.parametrize("tag", ["de", "de-DE", "english", "fr--FR", "f", "zz-ZZ", "fr FR"])
def test_any_other_locale_is_refused_naming_the_field(tag: str) -> None:
    assert language_of(tag) is None
    assert refused_fields(ProfileChange(a_profile(locale=tag), ("locale",))) == ["profile.locale"]


def test_no_locale_means_english() -> None:
    profile, problems = applying(None, ProfileChange(a_profile(locale="")))
    assert (profile.locale, problems) == ("en", [])


def test_each_kind_of_message_is_chosen_once_and_each_channel_named_once() -> None:
    preferences = (
        Preference(PICKUP, (EMAIL,)),
        Preference(PICKUP, (EMAIL, EMAIL)),
        Preference(None, (None,)),
    )
    change = ProfileChange(a_profile(preferences=preferences), ("preferences",))
    assert refused_fields(change) == [
        "profile.preferences[1].kind",
        "profile.preferences[1].channels[1]",
        "profile.preferences[2].kind",
        "profile.preferences[2].channels[0]",
    ]


def test_sms_is_refused_for_a_profile_without_a_phone_number() -> None:
    change = ProfileChange(a_profile(preferences=(Preference(PICKUP, (EMAIL, SMS)),)))
    _, problems = applying(None, change)
    assert problems == ["profile.preferences[0].channels[1]"]


def test_removing_the_phone_number_sms_still_goes_to_is_refused_naming_the_phone() -> None:
    current = a_profile(phone="+31612345678", preferences=(Preference(PICKUP, (SMS,)),))
    _, problems = applying(current, ProfileChange(a_profile(phone=""), ("phone",)))
    assert problems == ["profile.phone"]


def test_fields_left_out_of_the_mask_are_kept_even_when_sent_wrong() -> None:
    current = a_profile(phone="+31612345678", locale="fr")
    sent = a_profile(email="new@example.com", phone="nonsense", locale="xx")
    change = ProfileChange(sent, ("email",))
    assert refused_fields(change) == []
    profile, problems = applying(current, change)
    assert (profile.email, profile.phone, profile.locale, problems) == (
        "new@example.com",
        "+31612345678",
        "fr",
        [],
    )


def test_an_unknown_field_in_the_mask_is_refused() -> None:
    change = ProfileChange(a_profile(), ("email", "customer_id", "nickname"))
    assert refused_fields(change) == ["update_mask[1]", "update_mask[2]"]


def test_identities_need_a_kind_a_printable_value_and_are_linked_once() -> None:
    identities = (
        Identity(None, "123"),
        Identity(CARD, ""),
        Identity(CARD, "x" * 129),
        Identity(CARD, "card\x00"),
        Identity(CARD, "LC-1"),
        Identity(CARD, " LC-1 "),
        Identity(IdentityKind.RECEIPT_EMAIL, "not an e-mail"),
    )
    change = ProfileChange(a_profile(identities=identities), ("identities",))
    assert refused_fields(change) == [
        "profile.identities[0].kind",
        "profile.identities[1].value",
        "profile.identities[2].value",
        "profile.identities[3].value",
        "profile.identities[5]",
        "profile.identities[6].value",
    ]


def test_at_most_twenty_identities() -> None:
    many = tuple(Identity(CARD, f"LC-{n}") for n in range(MAX_IDENTITIES + 1))
    change = ProfileChange(a_profile(identities=many), ("identities",))
    assert refused_fields(change) == ["profile.identities"]


def test_a_receipt_email_is_kept_in_lower_case() -> None:
    sent = a_profile(identities=(Identity(IdentityKind.RECEIPT_EMAIL, " Ada@Example.COM"),))
    profile, _ = applying(None, ProfileChange(sent, ("identities",)))
    assert profile.identities == (Identity(IdentityKind.RECEIPT_EMAIL, "ada@example.com"),)


def test_the_account_the_customer_signs_in_with_is_linked_on_the_first_update() -> None:
    change = ProfileChange(a_profile(), ("email",), Identity(WEB, "cust-1001"))
    profile, problems = applying(None, change)
    assert (profile.identities, problems) == ((Identity(WEB, "cust-1001"),), [])
    again, _ = applying(profile, change)
    assert again.identities == (Identity(WEB, "cust-1001"),)


def test_with_an_account_the_identities_sent_replace_cards_and_keep_accounts() -> None:
    current = a_profile(identities=(Identity(WEB, "cust-1001"), Identity(CARD, "LC-1")))
    sent = a_profile(identities=(Identity(CARD, "LC-2"),))
    change = ProfileChange(sent, ("identities",), Identity(APP, "cust-1001"))
    profile, problems = applying(current, change)
    assert problems == []
    assert profile.identities == (
        Identity(WEB, "cust-1001"),
        Identity(CARD, "LC-2"),
        Identity(APP, "cust-1001"),
    )


def test_with_an_account_an_account_not_yet_linked_cannot_be_sent() -> None:
    current = a_profile(identities=(Identity(WEB, "cust-1001"),))
    sent = a_profile(identities=(Identity(WEB, "cust-1001"), Identity(APP, "someone-else")))
    change = ProfileChange(sent, ("identities",), Identity(WEB, "cust-1001"))
    _, problems = applying(current, change)
    assert problems == ["profile.identities[1].kind"]


def test_the_default_channels_are_email_and_sms_when_there_is_a_number() -> None:
    assert channels_for(a_profile(), PICKUP) == (EMAIL,)
    assert channels_for(a_profile(phone="+31612345678"), PICKUP) == (EMAIL, SMS)
    chosen = a_profile(phone="+31612345678", preferences=(Preference(PICKUP, (SMS,)),))
    assert channels_for(chosen, PICKUP) == (SMS,)
    assert channels_for(chosen, MessageKind.RETURNS) == (EMAIL, SMS)


def test_a_change_has_the_fingerprint_of_what_it_names_only() -> None:
    one = normalized(ProfileChange(a_profile(phone="+31 6 1234 5678"), ("phone",)))
    same = normalized(ProfileChange(a_profile(phone="+31612345678", locale="fr"), ("phone",)))
    other = normalized(ProfileChange(a_profile(phone="+31612345679"), ("phone",)))
    assert fingerprint(one) == fingerprint(same) != fingerprint(other)


def test_a_flood_of_preferences_or_channels_is_refused_at_once() -> None:
    kinds = tuple(Preference(PICKUP, (EMAIL,)) for _ in range(1000))
    assert refused_fields(ProfileChange(a_profile(preferences=kinds))) == ["profile.preferences"]
    channels = (Preference(PICKUP, (EMAIL, SMS, EMAIL)),)
    flood = ProfileChange(a_profile(preferences=channels))
    assert refused_fields(flood) == ["profile.preferences[0].channels"]
