"""Storing and finding customer profiles. Helpers take the caller's session and never commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from services.common.timeconv import as_utc
from services.orders.customers.domain import (
    Identity,
    IdentityKind,
    MessageChannel,
    MessageKind,
    Preference,
    Profile,
)
from services.orders.customers.tables import (
    CustomerIdentityRow,
    CustomerPreferenceRow,
    CustomerRequestRow,
    CustomerRow,
)


def lock_or_create(session: Session, customer_id: str, now: datetime) -> bool:
    """Locks the customer's row, making an empty one first when there is none (safe against a
    concurrent creator: the second waits, then finds it). True when this call made it."""
    insert = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    statement = (
        insert(CustomerRow)
        .values(customer_id=customer_id, locale="en", create_time=now, update_time=now)
        .on_conflict_do_nothing(index_elements=["customer_id"])
    )
    result = cast("CursorResult[Any]", session.execute(statement))
    query = select(CustomerRow).where(CustomerRow.customer_id == customer_id).with_for_update()
    session.exec(query).one()
    return result.rowcount == 1


def load(session: Session, customer_id: str, with_identities: bool = True) -> Profile | None:
    """The profile; without its identities (loyalty cards, accounts) when `with_identities` is
    false, as addressing a message needs."""
    row = session.get(CustomerRow, customer_id)
    if row is None:
        return None
    preferences = session.exec(
        select(CustomerPreferenceRow)
        .where(CustomerPreferenceRow.customer_id == customer_id)
        .order_by(col(CustomerPreferenceRow.position))
    ).all()
    identities: Sequence[CustomerIdentityRow] = ()
    if with_identities:
        identities = session.exec(
            select(CustomerIdentityRow)
            .where(CustomerIdentityRow.customer_id == customer_id)
            .order_by(col(CustomerIdentityRow.position), col(CustomerIdentityRow.link_time))
        ).all()
    return Profile(
        customer_id=row.customer_id,
        email=row.email,
        phone=row.phone,
        locale=row.locale,
        preferences=tuple(_preference(p) for p in preferences),
        identities=tuple(Identity(IdentityKind(i.kind), i.value) for i in identities),
        update_time=as_utc(row.update_time),
    )


def save(session: Session, profile: Profile, now: datetime) -> None:
    """Writes a profile over the locked row: fields, preferences, identities (kept ones keep
    their link time; the key refuses one another customer holds, at flush)."""
    row = session.get(CustomerRow, profile.customer_id)
    assert row is not None  # locked or made by lock_or_create
    row.email, row.email_key = profile.email, profile.email.lower()
    row.phone, row.locale, row.update_time = profile.phone, profile.locale, now
    session.add(row)
    session.execute(
        delete(CustomerPreferenceRow).where(
            col(CustomerPreferenceRow.customer_id) == profile.customer_id
        )
    )
    for position, preference in enumerate(profile.preferences):
        channels = ",".join(str(c) for c in preference.channels)
        session.add(
            CustomerPreferenceRow(
                customer_id=profile.customer_id,
                kind=str(preference.kind),
                position=position,
                channels=channels,
            )
        )
    _save_identities(session, profile, now)
    session.flush()


def _save_identities(session: Session, profile: Profile, now: datetime) -> None:
    stored = {
        (row.kind, row.value): row
        for row in session.exec(
            select(CustomerIdentityRow).where(
                CustomerIdentityRow.customer_id == profile.customer_id
            )
        ).all()
    }
    wanted = {(str(i.kind), i.value): position for position, i in enumerate(profile.identities)}
    for key, row in stored.items():
        if key not in wanted:
            session.delete(row)
        else:
            row.position = wanted[key]
            session.add(row)
    session.flush()
    for (kind, value), position in wanted.items():
        if (kind, value) not in stored:
            session.add(
                CustomerIdentityRow(
                    kind=kind,
                    value=value,
                    customer_id=profile.customer_id,
                    position=position,
                    link_time=now,
                )
            )


def owners(session: Session, identities: Sequence[Identity]) -> dict[Identity, str]:
    """Who holds each of these identities (those nobody holds are left out)."""
    found: dict[Identity, str] = {}
    for identity in identities:
        row = session.get(CustomerIdentityRow, (str(identity.kind), identity.value))
        if row is not None:
            found[identity] = row.customer_id
    return found


def with_email(session: Session, email: str) -> list[str]:
    """Customers whose profile has this e-mail, or who linked it as their receipt e-mail."""
    key = email.lower()
    by_profile = select(CustomerRow.customer_id).where(CustomerRow.email_key == key)
    by_receipt = select(CustomerIdentityRow.customer_id).where(
        CustomerIdentityRow.kind == IdentityKind.RECEIPT_EMAIL.value,
        CustomerIdentityRow.value == key,
    )
    ids_ = set(session.exec(by_profile).all()) | set(session.exec(by_receipt).all())
    return sorted(ids_)


def with_phone(session: Session, phone: str) -> list[str]:
    query = select(CustomerRow.customer_id).where(CustomerRow.phone == phone)
    return sorted(session.exec(query).all())


def with_identity(session: Session, identity: Identity) -> list[str]:
    holder = owners(session, [identity]).get(identity)
    return [holder] if holder else []


def answered(session: Session, customer_id: str, request_id: str) -> CustomerRequestRow | None:
    return session.get(CustomerRequestRow, (customer_id, request_id))


def remember(
    session: Session,
    customer_id: str,
    request_id: str,
    fingerprint: str,
    profile: Profile,
    now: datetime,
) -> None:
    session.add(
        CustomerRequestRow(
            customer_id=customer_id,
            request_id=request_id,
            fingerprint=fingerprint,
            answer=as_json(profile),
            time=now,
        )
    )
    session.flush()


def as_json(profile: Profile) -> str:
    """A profile as a request's stored answer."""
    return json.dumps(
        {
            "customer_id": profile.customer_id,
            "email": profile.email,
            "phone": profile.phone,
            "locale": profile.locale,
            "preferences": [
                [str(p.kind), [str(c) for c in p.channels]] for p in profile.preferences
            ],
            "identities": [[str(i.kind), i.value] for i in profile.identities],
            "update_time": profile.update_time.isoformat() if profile.update_time else None,
        }
    )


def of_json(text: str) -> Profile:
    data = json.loads(text)
    stamp = data["update_time"]
    return Profile(
        customer_id=data["customer_id"],
        email=data["email"],
        phone=data["phone"],
        locale=data["locale"],
        preferences=tuple(
            Preference(MessageKind(kind), tuple(MessageChannel(c) for c in channels))
            for kind, channels in data["preferences"]
        ),
        identities=tuple(Identity(IdentityKind(k), v) for k, v in data["identities"]),
        update_time=as_utc(datetime.fromisoformat(stamp)) if stamp else None,
    )


def _preference(row: CustomerPreferenceRow) -> Preference:
    channels = tuple(MessageChannel(c) for c in row.channels.split(",") if c)
    return Preference(MessageKind(row.kind), channels)
