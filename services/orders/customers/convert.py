"""Between the customer protos and the profile domain: ``from_proto`` in, ``to_proto`` out.
An enum number the proto does not name (or UNSPECIFIED) comes in as None, for the rules to
name the field."""

from __future__ import annotations

from collections.abc import Iterable

from clickcollect.orders.v1 import customers_pb2 as pb
from services.common.timeconv import to_timestamp
from services.orders.customers.domain import (
    Identity,
    IdentityKind,
    MessageChannel,
    MessageKind,
    Preference,
    Profile,
    ProfileChange,
)

CHANNEL_OUT = {c: pb.MessageChannel.Value(f"MESSAGE_CHANNEL_{c}") for c in MessageChannel}
KIND_OUT = {k: pb.MessageKind.Value(f"MESSAGE_KIND_{k}") for k in MessageKind}
IDENTITY_OUT = {k: pb.IdentityKind.Value(f"IDENTITY_KIND_{k}") for k in IdentityKind}
CHANNEL_IN = {number: channel for channel, number in CHANNEL_OUT.items()}
KIND_IN = {number: kind for kind, number in KIND_OUT.items()}
IDENTITY_IN = {number: kind for kind, number in IDENTITY_OUT.items()}


def identity_from_proto(identity: pb.Identity) -> Identity:
    return Identity(IDENTITY_IN.get(identity.kind), identity.value)


def profile_from_proto(profile: pb.CustomerProfile) -> Profile:
    return Profile(
        customer_id=profile.customer_id,
        email=profile.email,
        phone=profile.phone,
        locale=profile.locale,
        preferences=tuple(
            Preference(KIND_IN.get(p.kind), tuple(CHANNEL_IN.get(c) for c in p.channels))
            for p in profile.preferences
        ),
        identities=tuple(identity_from_proto(i) for i in profile.identities),
    )


def change_from_proto(request: pb.UpdateProfileRequest) -> ProfileChange:
    account = identity_from_proto(request.account) if request.HasField("account") else None
    return ProfileChange(profile_from_proto(request.profile), tuple(request.update_mask), account)


def profile_to_proto(profile: Profile) -> pb.CustomerProfile:
    return pb.CustomerProfile(
        customer_id=profile.customer_id,
        email=profile.email,
        phone=profile.phone,
        locale=profile.locale,
        preferences=[
            pb.ChannelPreference(kind=KIND_OUT[p.kind], channels=_channels(p.channels))
            for p in profile.preferences
            if p.kind is not None
        ],
        identities=[
            pb.Identity(kind=IDENTITY_OUT[i.kind], value=i.value)
            for i in profile.identities
            if i.kind is not None
        ],
        update_time=to_timestamp(profile.update_time),
    )


def _channels(channels: Iterable[MessageChannel | None]) -> list[pb.MessageChannel.ValueType]:
    return [CHANNEL_OUT[c] for c in channels if c is not None]
