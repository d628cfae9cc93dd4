"""Baseline: the inventory schema as the releases before migrations created it (``create_all``, up
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
        "movements",
        sa.Column(
            "movement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("location_id", sa.String(length=16), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("on_hand_delta", sa.BigInteger(), nullable=False),
        sa.Column("reserved_delta", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_transit_delta", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("movement_id"),
        sa.UniqueConstraint("reference", "location_id", "sku", "kind", name="uq_movement_once"),
    )
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_movements_stock", ["location_id", "sku", "movement_id"], unique=False
        )

    op.create_table(
        "products",
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("final_sale", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sku"),
    )
    op.create_table(
        "reservations",
        sa.Column("reservation_id", sa.String(length=128), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("reservation_id"),
    )
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.create_index("ix_reservations_expiry", ["state", "expire_time"], unique=False)
        batch_op.create_index(batch_op.f("ix_reservations_order_id"), ["order_id"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("transfer_id", sa.String(length=128), nullable=False),
        sa.Column("reservation_id", sa.String(length=128), nullable=False),
        sa.Column("source_id", sa.String(length=16), nullable=False),
        sa.Column("destination_id", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ship_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receive_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("transfer_id"),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfers_reservation_id"), ["reservation_id"], unique=False
        )

    op.create_table(
        "reservation_lines",
        sa.Column("reservation_id", sa.String(length=128), nullable=False),
        sa.Column("location_id", sa.String(length=16), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("transferring", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_reservation_line_quantity"),
        sa.CheckConstraint(
            "transferring >= 0 AND transferring <= quantity",
            name="ck_reservation_line_transferring",
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.reservation_id"],
        ),
        sa.PrimaryKeyConstraint("reservation_id", "location_id", "sku"),
    )
    op.create_table(
        "stock_levels",
        sa.Column("location_id", sa.String(length=16), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("reserved", sa.BigInteger(), nullable=False),
        sa.Column("safety_stock", sa.BigInteger(), nullable=False),
        sa.Column("in_transit", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("in_transit >= 0", name="ck_stock_in_transit_not_negative"),
        sa.CheckConstraint("on_hand >= 0", name="ck_stock_on_hand_not_negative"),
        sa.CheckConstraint("reserved <= on_hand", name="ck_stock_reserved_within_on_hand"),
        sa.CheckConstraint("reserved >= 0", name="ck_stock_reserved_not_negative"),
        sa.CheckConstraint("safety_stock >= 0", name="ck_stock_safety_not_negative"),
        sa.ForeignKeyConstraint(
            ["sku"],
            ["products.sku"],
        ),
        sa.PrimaryKeyConstraint("location_id", "sku"),
    )
    op.create_table(
        "transfer_lines",
        sa.Column("transfer_id", sa.String(length=128), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_transfer_line_quantity"),
        sa.CheckConstraint(
            "received >= 0 AND received <= quantity", name="ck_transfer_line_received"
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfers.transfer_id"],
        ),
        sa.PrimaryKeyConstraint("transfer_id", "sku"),
    )


def downgrade() -> None:
    op.drop_table("transfer_lines")
    op.drop_table("stock_levels")
    op.drop_table("reservation_lines")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_reservation_id"))

    op.drop_table("transfers")
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservations_order_id"))
        batch_op.drop_index("ix_reservations_expiry")

    op.drop_table("reservations")
    op.drop_table("products")
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.drop_index("ix_movements_stock")

    op.drop_table("movements")
