"""The gateway's rules for customers, free of transport: which account a profile update links,
what a terminal may look a customer up by, and how a till names the customer of a sale."""

from __future__ import annotations

from dataclasses import dataclass

from services.common import fields, ids
from services.common.errors import PermissionDenied, Violations

# A loyalty card number, as the profile keeps identities.
MAX_CARD = 128
CARD_RULE = f"a loyalty card number: 1-{MAX_CARD} printable characters"
# What a terminal may type as a phone number (the orders service reads it as E.164).
MAX_PHONE = 32
PHONE_RULE = "a phone number with its country code, like +31612345678"
LOOKUPS = ("customer_id", "email", "phone", "loyalty_card")
# Where the customer signs in -> the account their token's subject is linked as.
ACCOUNT_KINDS = {"UNSPECIFIED": "WEB_ACCOUNT", "WEB": "WEB_ACCOUNT", "APP": "APP_ACCOUNT"}


@dataclass(frozen=True)
class Lookup:
    """What a terminal looks a customer up by: one field and its value."""

    field: str
    value: str


def account_kind(channel: str, errors: Violations) -> str:
    """The identity kind the token's subject is linked as, for the channel the customer uses."""
    errors.check(channel in ACCOUNT_KINDS, "channel", "CHANNEL_WEB or CHANNEL_APP")
    return ACCOUNT_KINDS.get(channel, "")


def ensure_own_profile(subject: str, customer_id: str) -> None:
    """A customer changes their own profile only (an empty customer_id means their own)."""
    if customer_id not in ("", subject):
        raise PermissionDenied(
            "PROFILE_OF_ANOTHER_CUSTOMER", "this profile belongs to someone else"
        )


def is_card(value: str) -> bool:
    return 0 < len(value) <= MAX_CARD and value.isprintable()


def check_lookup(given: dict[str, str], errors: Violations) -> Lookup:
    """Exactly one criterion, in its form. ``given``: each of LOOKUPS and what was sent."""
    named = [(name, given.get(name, "").strip()) for name in LOOKUPS]
    named = [(name, value) for name, value in named if value]
    if not named:
        errors.add("customer_id", "give one of customer_id, email, phone, loyalty_card")
        return Lookup("customer_id", "")
    for name, _ in named[1:]:
        errors.add(name, f"give only one criterion (already {named[0][0]})")
    name, value = named[0]
    if name == "customer_id":
        errors.check(ids.is_customer_id(value), name, "not a customer id")
    elif name == "email":
        errors.check(fields.is_email(value), name, fields.EMAIL_RULE)
    elif name == "phone":
        errors.check(len(value) <= MAX_PHONE and value.isprintable(), name, PHONE_RULE)
    else:
        errors.check(is_card(value), name, CARD_RULE)
    return Lookup(name, value)


def check_till_customer(customer_id: str, loyalty_card: str, errors: Violations) -> None:
    """A till names its customer by id or by card, not both; a card in its form."""
    if not loyalty_card:
        return
    errors.check(is_card(loyalty_card), "loyalty_card", CARD_RULE)
    errors.check(not customer_id, "loyalty_card", "give customer_id or loyalty_card, not both")
