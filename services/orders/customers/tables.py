"""The customers' tables: one row per profile, its channel preferences, its identities (each
(kind, value) is one customer's: the key makes it so) and the UpdateProfile requests answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from services.common.db import TIME


class CustomerRow(SQLModel, table=True):
    __tablename__ = "customers"

    customer_id: str = Field(primary_key=True, max_length=64)
    email: str = Field(default="", max_length=254)
    # The e-mail in lower case, to find the customer whatever case is typed.
    email_key: str = Field(default="", max_length=254, index=True)
    # E.164; empty when none.
    phone: str = Field(default="", max_length=16, index=True)
    locale: str = Field(default="en", max_length=8)
    create_time: datetime = Field(sa_type=TIME)
    update_time: datetime = Field(sa_type=TIME)


class CustomerPreferenceRow(SQLModel, table=True):
    __tablename__ = "customer_preferences"

    customer_id: str = Field(primary_key=True, foreign_key="customers.customer_id", max_length=64)
    kind: str = Field(primary_key=True, max_length=32)
    position: int = 0
    # The channels in the customer's order, comma-separated ("SMS,EMAIL").
    channels: str = Field(max_length=64)


class CustomerIdentityRow(SQLModel, table=True):
    __tablename__ = "customer_identities"

    kind: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=128)
    customer_id: str = Field(foreign_key="customers.customer_id", max_length=64, index=True)
    position: int = 0
    link_time: datetime = Field(sa_type=TIME)


class CustomerRequestRow(SQLModel, table=True):
    """An UpdateProfile answered: a repeat gets the same answer (the profile as it left it)."""

    __tablename__ = "customer_requests"

    customer_id: str = Field(primary_key=True, foreign_key="customers.customer_id", max_length=64)
    request_id: str = Field(primary_key=True, max_length=128)
    fingerprint: str = Field(max_length=32)
    answer: str = Field(sa_type=Text)
    time: datetime = Field(sa_type=TIME)
