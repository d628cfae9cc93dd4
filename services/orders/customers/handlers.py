"""Customer use cases: each runs inside the caller's unit of work (one transaction per RPC).

An update locks the customer's row (making it on the first update), answers a repeated request
id from the record, applies the change, refuses an identity another customer holds, and keeps
its answer. A refusal raises: the transaction rolls back and nothing is changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.common.errors import AlreadyExists, Violations
from services.orders.customers import repository as repo
from services.orders.customers.domain import (
    Identity,
    Profile,
    ProfileChange,
    ambiguous,
    applied,
    fingerprint,
    identity_taken,
    not_found,
    request_id_reused,
)


def get_profile(session: Session, customer_id: str) -> Profile:
    profile = repo.load(session, customer_id)
    if profile is None:
        raise not_found(customer_id)
    return profile


def contact(session: Session, customer_id: str) -> Profile | None:
    """How to reach the customer (the profile without its identities); None without one."""
    return repo.load(session, customer_id, with_identities=False) if customer_id else None


def update_profile(
    session: Session, change: ProfileChange, request_id: str, now: datetime
) -> Profile:
    """Applies a checked, normalized change; a repeat of the request id gets the first answer
    (another change under the same request id is refused)."""
    customer_id = change.sent.customer_id
    created = repo.lock_or_create(session, customer_id, now)
    asked = fingerprint(change)
    stored = repo.answered(session, customer_id, request_id)
    if stored is not None:
        if stored.fingerprint != asked:
            raise request_id_reused()
        return repo.of_json(stored.answer)
    errors = Violations()
    profile = applied(None if created else repo.load(session, customer_id), change, errors)
    errors.raise_if_any("INVALID_PROFILE")
    _ensure_free(session, profile, change)
    try:
        with session.begin_nested():
            repo.save(session, profile, now)
    except IntegrityError:  # a concurrent update linked one of them first
        _ensure_free(session, profile, change)
        raise
    saved = replace(profile, update_time=now)
    repo.remember(session, customer_id, request_id, asked, saved, now)
    return saved


def _ensure_free(session: Session, profile: Profile, change: ProfileChange) -> None:
    """IDENTITY_TAKEN when another customer holds one of the profile's identities."""
    for identity, holder in repo.owners(session, profile.identities).items():
        if holder != profile.customer_id:
            raise _taken(identity, change)


def _taken(identity: Identity, change: ProfileChange) -> AlreadyExists:
    sent = change.sent.identities if "identities" in change.changed else ()
    index = sent.index(identity) if identity in sent else None
    return identity_taken(index, identity)


def find_by_email(session: Session, email: str) -> Profile:
    return _the_one(session, repo.with_email(session, email))


def find_by_phone(session: Session, phone: str) -> Profile:
    return _the_one(session, repo.with_phone(session, phone))


def find_by_identity(session: Session, identity: Identity) -> Profile:
    return _the_one(session, repo.with_identity(session, identity))


def _the_one(session: Session, customer_ids: list[str]) -> Profile:
    if not customer_ids:
        raise not_found()
    if len(customer_ids) > 1:
        raise ambiguous(len(customer_ids))
    return get_profile(session, customer_ids[0])
