"""Baseline: the stores schema as the releases before migrations created it (``create_all``, up
to 63016b7), tables, keys, constraints and indexes. A database those releases made is stamped
with this revision instead of running it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("location_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("line1", sa.String(), nullable=False),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("postal_code", sa.String(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("time_zone", sa.String(), nullable=False),
        sa.Column("opening_hours", sa.JSON(), nullable=True),
        sa.Column("capabilities", sa.String(), nullable=False),
        sa.Column("pick_deadline_minutes", sa.Integer(), nullable=False),
        sa.Column("pickup_window_days", sa.Integer(), nullable=False),
        sa.Column("pickup_window_minutes", sa.Integer(), nullable=False),
        sa.Column("receiving_minutes", sa.Integer(), nullable=False),
        sa.Column("dispatch_minutes", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("orders_per_hour", sa.Integer(), nullable=False),
        sa.Column("daily_pickup_limit", sa.Integer(), nullable=False),
        sa.Column("pickup_extension_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("location_id"),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_locations_latitude"), ["latitude"], unique=False)

    op.create_table(
        "pairing_codes",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=False),
        sa.Column("store_id", sa.String(length=16), nullable=False),
        sa.Column("device_name", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redeem_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("request_id"),
    )
    op.create_table(
        "lanes",
        sa.Column("source_id", sa.String(length=16), nullable=False),
        sa.Column("destination_id", sa.String(length=16), nullable=False),
        sa.Column("transit_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["locations.location_id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["locations.location_id"],
        ),
        sa.PrimaryKeyConstraint("source_id", "destination_id"),
    )
    with op.batch_alter_table("lanes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lanes_destination_id"), ["destination_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lanes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lanes_destination_id"))

    op.drop_table("lanes")
    op.drop_table("pairing_codes")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_latitude"))
        batch_op.drop_index(batch_op.f("ix_locations_kind"))

    op.drop_table("locations")
