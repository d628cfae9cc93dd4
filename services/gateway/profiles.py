"""Customer profiles through the gateway: the customer's own profile (CheckoutService
GetProfile / UpdateProfile), and the profile reads checkout and the till lean on. Profiles are
kept by the orders service's CustomerService; its refusals are answered unchanged (its field
paths are those of the public request)."""

from __future__ import annotations

from typing import Any

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, profiles_pb2
from clickcollect.orders.v1 import customers_pb2
from services.common.errors import DomainError, ErrorKind, NotFound, Violations
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Role, check_request_id, enum_name
from services.gateway.profile_rules import account_kind, ensure_own_profile
from services.gateway.reads import Reads, ask
from services.gateway.views import customer_profile


class ProfileDesk:
    """CheckoutService's profile methods: a customer token, acting on its own profile only."""

    auth: TokenAuthority
    reads: Reads

    async def GetProfile(
        self, request: checkout_pb2.GetProfileRequest, context: Context
    ) -> checkout_pb2.GetProfileResponse:
        principal = self.auth.authenticate(context, Role.CUSTOMER)
        profile = await profile_of(self.reads, principal.subject)
        if profile is None:
            raise NotFound("PROFILE_NOT_FOUND", "no profile yet: UpdateProfile makes one")
        return checkout_pb2.GetProfileResponse(profile=customer_profile(profile))

    async def UpdateProfile(
        self, request: checkout_pb2.UpdateProfileRequest, context: Context
    ) -> checkout_pb2.UpdateProfileResponse:
        principal = self.auth.authenticate(context, Role.CUSTOMER)
        errors = Violations()
        check_request_id(request.request_id, errors)
        channel = enum_name(order_views_pb2.Channel, request.channel, "CHANNEL_")
        kind = account_kind(channel, errors)
        errors.raise_if_any()
        ensure_own_profile(principal.subject, request.profile.customer_id)
        change = customers_pb2.UpdateProfileRequest(
            request_id=request.request_id,
            profile=internal_profile(request.profile, principal.subject),
            update_mask=list(request.update_mask),
            account=customers_pb2.Identity(
                kind=customers_pb2.IdentityKind.Value(f"IDENTITY_KIND_{kind}"),
                value=principal.subject,
            ),
        )
        answer = await ask(self.reads.customers.UpdateProfile, change)
        return checkout_pb2.UpdateProfileResponse(profile=customer_profile(answer.profile))


def internal_profile(
    profile: profiles_pb2.CustomerProfile, customer_id: str
) -> customers_pb2.CustomerProfile:
    """The public profile a customer sent, as the orders service's request names it (enum
    values by name; a number the public enum does not name is passed on, for the service to
    refuse naming the field)."""
    return customers_pb2.CustomerProfile(
        customer_id=customer_id,
        email=profile.email,
        phone=profile.phone,
        locale=profile.locale,
        preferences=[
            customers_pb2.ChannelPreference(
                kind=_same(p.kind, profiles_pb2.MessageKind, customers_pb2.MessageKind),
                channels=[
                    _same(c, profiles_pb2.MessageChannel, customers_pb2.MessageChannel)
                    for c in p.channels
                ],
            )
            for p in profile.preferences
        ],
        identities=[
            customers_pb2.Identity(
                kind=_same(i.kind, profiles_pb2.IdentityKind, customers_pb2.IdentityKind),
                value=i.value,
            )
            for i in profile.identities
        ],
    )


def _same(number: int, public: Any, internal: Any) -> Any:
    """The internal enum's value of the public value's name (the number itself when unnamed)."""
    name = public.DESCRIPTOR.values_by_number.get(number)
    return internal.Value(name.name) if name is not None else number


async def profile_of(reads: Reads, customer_id: str) -> customers_pb2.CustomerProfile | None:
    """The customer's profile; None when they never made one."""
    request = customers_pb2.GetProfileRequest(customer_id=customer_id)
    try:
        return (await ask(reads.customers.GetProfile, request)).profile
    except DomainError as error:
        if error.kind is ErrorKind.NOT_FOUND:
            return None
        raise


async def holder_of(reads: Reads, kind: str, value: str) -> str | None:
    """The customer who linked this identity (a card, a receipt e-mail); None when nobody."""
    identity = customers_pb2.Identity(
        kind=customers_pb2.IdentityKind.Value(f"IDENTITY_KIND_{kind}"), value=value
    )
    try:
        found = await ask(
            reads.customers.FindCustomer, customers_pb2.FindCustomerRequest(identity=identity)
        )
    except DomainError as error:
        if error.kind is ErrorKind.NOT_FOUND:
            return None
        raise
    return found.profile.customer_id


async def checkout_email(reads: Reads, customer_id: str, given: str) -> str:
    """The e-mail an order is placed with: the one given (no read), else the profile's."""
    if given:
        return given
    profile = await profile_of(reads, customer_id)
    if profile is None or not profile.email:
        errors = Violations()
        errors.add("customer_email", "required: the customer's profile has no e-mail")
        errors.raise_if_any()
    assert profile is not None
    return profile.email


async def linked_customer(reads: Reads, card: str, email: str) -> str | None:
    """Whose history a till sale without a customer id lands in: the customer who linked the
    card, else the one who linked the receipt e-mail; None when nobody did (the sale stays
    anonymous: a card nobody linked never stops a sale)."""
    if card and (holder := await holder_of(reads, "LOYALTY_CARD", card)):
        return holder
    if email and (holder := await holder_of(reads, "RECEIPT_EMAIL", email)):
        return holder
    return None
