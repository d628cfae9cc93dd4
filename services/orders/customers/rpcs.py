"""CustomerService: profiles read, changed and found; one transaction each."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.orders.v1 import customers_pb2 as pb
from clickcollect.orders.v1 import customers_pb2_grpc
from services.common import fields, ids
from services.common.db import Database
from services.common.errors import Violations
from services.common.server import Context
from services.common.timeconv import utcnow
from services.orders.checks import REQUEST_ID_RULE
from services.orders.customers import handlers
from services.orders.customers.convert import (
    change_from_proto,
    identity_from_proto,
    profile_to_proto,
)
from services.orders.customers.domain import (
    PHONE_RULE,
    Profile,
    check_change,
    check_identity,
    e164,
    normalized,
    normalized_identity,
)

CUSTOMER_ID_RULE = "a customer id: 3-64 characters of A-Z a-z 0-9 _ . -"


def contact_of(session: Session, customer_id: str) -> pb.CustomerProfile | None:
    """How to reach the customer now (the profile without identities), which OpenOrder and
    TransitionOrder answer so that the worker addresses the message that follows without a
    GetProfile of its own; None without a profile."""
    profile = handlers.contact(session, customer_id)
    return profile_to_proto(profile) if profile is not None else None


class CustomerRpcs(customers_pb2_grpc.CustomerServiceServicer):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def GetProfile(
        self, request: pb.GetProfileRequest, context: Context
    ) -> pb.GetProfileResponse:
        v = Violations()
        v.check(ids.is_customer_id(request.customer_id), "customer_id", CUSTOMER_ID_RULE)
        v.raise_if_any()
        profile = await self.db.read(lambda s: handlers.get_profile(s, request.customer_id))
        return pb.GetProfileResponse(profile=profile_to_proto(profile))

    async def UpdateProfile(
        self, request: pb.UpdateProfileRequest, context: Context
    ) -> pb.UpdateProfileResponse:
        v = Violations()
        v.check(ids.is_request_id(request.request_id), "request_id", REQUEST_ID_RULE)
        change = change_from_proto(request)
        check_change(change, v)
        v.raise_if_any("INVALID_PROFILE")
        change = normalized(change)

        def work(s: Session) -> Profile:
            return handlers.update_profile(s, change, request.request_id, utcnow())

        profile = await self.db.run(work)
        return pb.UpdateProfileResponse(profile=profile_to_proto(profile))

    async def FindCustomer(
        self, request: pb.FindCustomerRequest, context: Context
    ) -> pb.FindCustomerResponse:
        by = request.WhichOneof("by")
        v = Violations()
        v.check(by is not None, "email", "give one of email, phone, identity")
        if by == "email":
            email = request.email.strip()
            v.check(fields.is_email(email), "email", fields.EMAIL_RULE)
        elif by == "phone":
            phone = e164(request.phone) or ""
            v.check(bool(phone), "phone", PHONE_RULE)
        elif by == "identity":
            identity = identity_from_proto(request.identity)
            check_identity(identity, v, "identity")
        v.raise_if_any()

        def work(s: Session) -> Profile:
            if by == "email":
                return handlers.find_by_email(s, email)
            if by == "phone":
                return handlers.find_by_phone(s, phone)
            return handlers.find_by_identity(s, normalized_identity(identity))

        profile = await self.db.read(work)
        return pb.FindCustomerResponse(profile=profile_to_proto(profile))
