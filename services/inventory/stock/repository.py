"""Mapping between tables and domain objects, and the inventory's reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from services.common.timeconv import as_utc
from services.inventory.stock.domain import Movement, MovementKind, Product, StockLevel
from services.inventory.stock.tables import MovementRow, ProductRow, StockLevelRow


def product_from_row(row: ProductRow) -> Product:
    return Product(row.sku, row.name, row.price_minor, row.currency_code, row.final_sale)


def level_from_row(row: StockLevelRow) -> StockLevel:
    return StockLevel(
        row.location_id, row.sku, row.on_hand, row.reserved, row.safety_stock, row.in_transit
    )


def movement_from_row(row: MovementRow) -> Movement:
    return Movement(
        movement_id=row.movement_id or 0,
        location_id=row.location_id,
        sku=row.sku,
        kind=MovementKind(row.kind),
        on_hand_delta=row.on_hand_delta,
        reserved_delta=row.reserved_delta,
        reference=row.reference,
        reason=row.reason,
        create_time=as_utc(row.create_time),
        in_transit_delta=row.in_transit_delta,
    )


def utc_or_none(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def save_product(session: Session, product: Product) -> Product:
    """Creates or replaces a product (idempotent by its sku)."""
    session.merge(
        ProductRow(
            sku=product.sku,
            name=product.name,
            price_minor=product.price_minor,
            currency_code=product.currency_code,
            final_sale=product.final_sale,
        )
    )
    session.flush()
    return product


def products_by_sku(session: Session, skus: Sequence[str]) -> dict[str, Product]:
    rows = session.exec(select(ProductRow).where(col(ProductRow.sku).in_(set(skus)))).all()
    return {row.sku: product_from_row(row) for row in rows}


def list_products(session: Session, offset: int, limit: int, text: str = "") -> list[Product]:
    """Products by sku; with ``text``, those whose sku starts with it or whose name has a word
    starting with it (case-insensitive)."""
    query = select(ProductRow)
    if text:
        start = _like_escaped(text.lower())
        name, sku = func.lower(ProductRow.name), func.lower(ProductRow.sku)
        query = query.where(
            or_(
                sku.like(f"{start}%", escape="\\"),
                name.like(f"{start}%", escape="\\"),
                name.like(f"% {start}%", escape="\\"),
            )
        )
    query = query.order_by(col(ProductRow.sku)).offset(offset).limit(limit)
    return [product_from_row(row) for row in session.exec(query).all()]


def _like_escaped(text: str) -> str:
    """``text`` matched literally inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def stock_level(session: Session, location_id: str, sku: str) -> StockLevel:
    row = session.get(StockLevelRow, (location_id, sku), populate_existing=True)
    return level_from_row(row) if row is not None else StockLevel(location_id, sku)


def stock_levels(
    session: Session, location_ids: Sequence[str], skus: Sequence[str]
) -> list[StockLevel]:
    """Every (location, sku) pair asked, locations outer; a missing row reads as zeros. Read
    afresh, after the conditional UPDATEs of the same transaction."""
    query = (
        select(StockLevelRow)
        .where(
            col(StockLevelRow.location_id).in_(set(location_ids)),
            col(StockLevelRow.sku).in_(set(skus)),
        )
        .execution_options(populate_existing=True)
    )
    found = {(row.location_id, row.sku): level_from_row(row) for row in session.exec(query)}
    return [
        found.get((location_id, sku)) or StockLevel(location_id, sku)
        for location_id in dict.fromkeys(location_ids)
        for sku in dict.fromkeys(skus)
    ]


def list_movements(
    session: Session, location_id: str, sku: str, offset: int, limit: int
) -> list[Movement]:
    """The movements of one (location, sku), oldest first."""
    query = (
        select(MovementRow)
        .where(MovementRow.location_id == location_id, MovementRow.sku == sku)
        .order_by(col(MovementRow.movement_id))
        .offset(offset)
        .limit(limit)
    )
    return [movement_from_row(row) for row in session.exec(query)]


def movement_exists(
    session: Session, reference: str, location_id: str, sku: str, kind: MovementKind
) -> bool:
    query = select(MovementRow.movement_id).where(
        MovementRow.reference == reference,
        MovementRow.location_id == location_id,
        MovementRow.sku == sku,
        MovementRow.kind == str(kind),
    )
    return session.exec(query).first() is not None


def any_movement(
    session: Session, reference: str, location_id: str, skus: Sequence[str], kind: MovementKind
) -> bool:
    """True when a movement of ``kind`` with that reference exists at the location for any of
    the skus: a request over several skus wrote all of its movements or none."""
    query = select(MovementRow.movement_id).where(
        MovementRow.reference == reference,
        MovementRow.location_id == location_id,
        col(MovementRow.sku).in_(set(skus)),
        MovementRow.kind == str(kind),
    )
    return session.exec(query.limit(1)).first() is not None
