"""Customer profile rules: what a valid profile is, how a change applies to the stored one, and
which channels a kind of message goes by.

Plain Python: no transport, no storage. Bad input is collected in ``Violations`` naming the
field as the request names it (``profile.phone``, ``profile.identities[2].value``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

import phonenumbers

from services.common import fields, ids
from services.common.errors import AlreadyExists, FailedPrecondition, NotFound, Violations

# The languages our messages are written in; a region variant (fr-FR) reads its language.
LOCALES = ("en", "fr", "nl")
DEFAULT_LOCALE = "en"
LOCALE_RULE = "one of en, fr, nl (a region variant like fr-FR or nl_NL is read as its language)"
_LOCALE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
PHONE_RULE = "a valid phone number in E.164 form, like +31612345678"
MAX_PHONE_INPUT = 32
MAX_IDENTITY_VALUE = 128
MAX_IDENTITIES = 20
IDENTITY_RULE = f"1-{MAX_IDENTITY_VALUE} printable characters"


class MessageChannel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"


class MessageKind(StrEnum):
    ORDER_UPDATES = "ORDER_UPDATES"
    PICKUP = "PICKUP"
    RETURNS = "RETURNS"


class IdentityKind(StrEnum):
    WEB_ACCOUNT = "WEB_ACCOUNT"
    APP_ACCOUNT = "APP_ACCOUNT"
    LOYALTY_CARD = "LOYALTY_CARD"
    RECEIPT_EMAIL = "RECEIPT_EMAIL"


# Identities a customer gets by signing in; the others (cards, receipt e-mails) they link.
ACCOUNTS = frozenset({IdentityKind.WEB_ACCOUNT, IdentityKind.APP_ACCOUNT})


@dataclass(frozen=True)
class Preference:
    """The channels for one kind of message (None: a value the caller's enum does not name)."""

    kind: MessageKind | None
    channels: tuple[MessageChannel | None, ...] = ()


@dataclass(frozen=True)
class Identity:
    kind: IdentityKind | None
    value: str


@dataclass(frozen=True)
class Profile:
    customer_id: str
    email: str = ""
    phone: str = ""
    locale: str = DEFAULT_LOCALE
    preferences: tuple[Preference, ...] = ()
    identities: tuple[Identity, ...] = ()
    update_time: datetime | None = None


# The fields of a profile an update may name in its mask (all of them when it names none).
FIELDS = ("email", "phone", "locale", "preferences", "identities")


@dataclass(frozen=True)
class ProfileChange:
    """What an UpdateProfile asks: the profile as sent, the fields to change, and the account
    the caller signs in with (linked when missing; with it, accounts are kept as they are)."""

    sent: Profile
    mask: tuple[str, ...] = ()
    account: Identity | None = None
    changed: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        named = tuple(name for name in FIELDS if name in self.mask)
        object.__setattr__(self, "changed", named if self.mask else FIELDS)


def e164(phone: str) -> str | None:
    """The number in E.164 form ("+31 6 1234 5678" → "+31612345678"); None unless it is a valid
    number written with its country code."""
    if len(phone) > MAX_PHONE_INPUT or not phone.lstrip().startswith("+"):
        return None
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def language_of(locale: str) -> str | None:
    """The supported language a locale tag reads ("fr-FR" → "fr"); None for any other tag."""
    match = _LOCALE_TAG.fullmatch(locale.strip())
    language = match.group(1).lower() if match else ""
    return language if language in LOCALES else None


def check_identity(identity: Identity, errors: Violations, path: str) -> None:
    """A kind, and a value of 1-128 printable characters (an e-mail for a receipt e-mail)."""
    errors.check(identity.kind is not None, f"{path}.kind", "one of " + ", ".join(IdentityKind))
    value = identity.value.strip()
    ok = 0 < len(value) <= MAX_IDENTITY_VALUE and value.isprintable()
    errors.check(ok, f"{path}.value", IDENTITY_RULE)
    if ok and identity.kind is IdentityKind.RECEIPT_EMAIL:
        errors.check(fields.is_email(value), f"{path}.value", fields.EMAIL_RULE)


def check_change(change: ProfileChange, errors: Violations) -> None:
    """Every field the change names, as sent; the mask; the account."""
    sent = change.sent
    path = "profile."
    if not ids.is_customer_id(sent.customer_id):
        errors.add(f"{path}customer_id", "a customer id: 3-64 characters of A-Z a-z 0-9 _ . -")
    for index, name in enumerate(change.mask):
        errors.check(name in FIELDS, f"update_mask[{index}]", "one of " + ", ".join(FIELDS))
    if "email" in change.changed and sent.email.strip():
        errors.check(fields.is_email(sent.email.strip()), f"{path}email", fields.EMAIL_RULE)
    if "phone" in change.changed and sent.phone.strip():
        errors.check(e164(sent.phone) is not None, f"{path}phone", PHONE_RULE)
    if "locale" in change.changed and sent.locale.strip():
        errors.check(language_of(sent.locale) is not None, f"{path}locale", LOCALE_RULE)
    if "preferences" in change.changed:
        check_preferences(sent.preferences, errors, f"{path}preferences")
    if "identities" in change.changed:
        check_identities(sent.identities, errors, f"{path}identities")
    if change.account is not None:
        check_identity(change.account, errors, "account")
        errors.check(change.account.kind in ACCOUNTS, "account.kind", "WEB_ACCOUNT or APP_ACCOUNT")


def check_preferences(preferences: Sequence[Preference], errors: Violations, path: str) -> None:
    """One entry per kind of message; each channel EMAIL or SMS, once."""
    seen: set[MessageKind] = set()
    if len(preferences) > len(MessageKind):
        errors.add(path, f"at most {len(MessageKind)}: one per kind of message")
        return
    for i, preference in enumerate(preferences):
        if len(preference.channels) > len(MessageChannel):
            errors.add(f"{path}[{i}].channels", "EMAIL, SMS or both, each once")
            continue
        kind = preference.kind
        errors.check(kind is not None, f"{path}[{i}].kind", "one of " + ", ".join(MessageKind))
        errors.check(kind not in seen, f"{path}[{i}].kind", "one entry per kind of message")
        if kind is not None:
            seen.add(kind)
        for j, channel in enumerate(preference.channels):
            where = f"{path}[{i}].channels[{j}]"
            errors.check(channel is not None, where, "EMAIL or SMS")
            errors.check(channel not in preference.channels[:j], where, "named twice")


def check_identities(identities: Sequence[Identity], errors: Violations, path: str) -> None:
    errors.check(len(identities) <= MAX_IDENTITIES, path, f"at most {MAX_IDENTITIES}")
    for i, identity in enumerate(identities[: MAX_IDENTITIES + 1]):
        check_identity(identity, errors, f"{path}[{i}]")
        twice = normalized_identity(identity) in map(normalized_identity, identities[:i])
        errors.check(not twice, f"{path}[{i}]", "linked twice")


def normalized_identity(identity: Identity) -> Identity:
    """Trimmed; a receipt e-mail in lower case (it is found whatever case the till types)."""
    value = identity.value.strip()
    if identity.kind is IdentityKind.RECEIPT_EMAIL:
        value = value.lower()
    return Identity(identity.kind, value)


def normalized(change: ProfileChange) -> ProfileChange:
    """A checked change in stored form: E.164 phone, language-only locale (empty: English),
    trimmed values, preferences without an entry that names no channel (the default)."""
    sent = change.sent
    profile = Profile(
        customer_id=sent.customer_id,
        email=sent.email.strip(),
        phone=(e164(sent.phone) or "") if sent.phone.strip() else "",
        locale=language_of(sent.locale) or DEFAULT_LOCALE,
        preferences=tuple(p for p in sent.preferences if p.channels),
        identities=tuple(normalized_identity(i) for i in sent.identities),
    )
    account = normalized_identity(change.account) if change.account else None
    return ProfileChange(profile, change.mask, account)


def applied(current: Profile | None, change: ProfileChange, errors: Violations) -> Profile:
    """The profile after a normalized change: the fields it names replaced, the caller's account
    linked. With an account, "identities" replaces the linked cards and receipt e-mails; the
    accounts stay (one sent must already be linked: accounts are linked by signing in)."""
    base = current or Profile(change.sent.customer_id)
    updates = {name: getattr(change.sent, name) for name in change.changed}
    if "identities" in updates and change.account is not None:
        sent = change.sent.identities
        for i, identity in enumerate(sent):
            linked = identity in base.identities or identity == change.account
            if identity.kind in ACCOUNTS and not linked:
                errors.add(f"profile.identities[{i}].kind", "an account is linked by signing in")
        accounts = tuple(i for i in base.identities if i.kind in ACCOUNTS)
        updates["identities"] = accounts + tuple(i for i in sent if i.kind not in ACCOUNTS)
    profile = replace(base, **updates)
    if change.account is not None and change.account not in profile.identities:
        profile = replace(profile, identities=(*profile.identities, change.account))
    check_reachable(profile, change, errors)
    return profile


def check_reachable(profile: Profile, change: ProfileChange, errors: Violations) -> None:
    """SMS only to a profile with a phone number; at most MAX_IDENTITIES identities."""
    for i, preference in enumerate(profile.preferences):
        if MessageChannel.SMS not in preference.channels or profile.phone:
            continue
        if "preferences" in change.changed:
            j = preference.channels.index(MessageChannel.SMS)
            where = f"profile.preferences[{i}].channels[{j}]"
            errors.add(where, "SMS needs a phone number on the profile")
        else:
            errors.add("profile.phone", f"required while {preference.kind} messages go by SMS")
    count = len(profile.identities)
    errors.check(count <= MAX_IDENTITIES, "profile.identities", f"at most {MAX_IDENTITIES}")


def channels_for(profile: Profile, kind: MessageKind) -> tuple[MessageChannel, ...]:
    """The channels a kind of message goes by: the customer's choice, or by default e-mail
    (when there is an address) and SMS (when there is a phone number)."""
    chosen = next((p.channels for p in profile.preferences if p.kind is kind), ())
    if chosen:
        return tuple(c for c in chosen if c is not None)
    default = (MessageChannel.EMAIL, bool(profile.email)), (MessageChannel.SMS, bool(profile.phone))
    return tuple(channel for channel, reachable in default if reachable)


def fingerprint(change: ProfileChange) -> str:
    """What a normalized change asks for (the fields it names, the account): a request id
    repeated with another change has another fingerprint."""
    asked = (
        change.sent.customer_id,
        tuple((name, getattr(change.sent, name)) for name in change.changed),
        change.account,
    )
    return hashlib.sha256(repr(asked).encode()).hexdigest()[:32]


def identity_taken(index: int | None, identity: Identity) -> AlreadyExists:
    """Another customer has this identity (who is not said)."""
    kind = identity.kind.value if identity.kind else ""
    where = f"profile.identities[{index}]" if index is not None else "account"
    return AlreadyExists(
        "IDENTITY_TAKEN",
        f"this {kind.lower().replace('_', ' ')} belongs to another customer ({where})",
        {"kind": kind, "field": where},
    )


def request_id_reused() -> AlreadyExists:
    return AlreadyExists(
        "REQUEST_ID_REUSED", "request_id was already used for another change of this profile"
    )


def not_found(customer_id: str = "") -> NotFound:
    metadata = {"customer_id": customer_id} if customer_id else {}
    return NotFound("CUSTOMER_NOT_FOUND", "no customer matches", metadata)


def ambiguous(matches: int) -> FailedPrecondition:
    """Several customers share what was asked for: a card or the customer id tells them apart."""
    return FailedPrecondition(
        "CUSTOMER_AMBIGUOUS",
        f"{matches} customers match; look up by loyalty card or customer id",
        {"matches": str(matches)},
    )
