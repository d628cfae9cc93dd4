"""A newer version adds columns to tables an older version created; the data stays."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from services.common.db import Database, missing_column_statements


def shop_table(metadata: MetaData, *extra: Column[object]) -> Table:
    return Table(
        "upgrade_shops",
        metadata,
        Column("shop_id", String(20), primary_key=True),
        Column("name", String(50), nullable=False),
        *extra,
    )


def test_added_columns_appear_with_their_defaults_and_old_rows_survive(database_url: str) -> None:
    db = Database(database_url)
    old = MetaData()
    shop_table(old).create(db.engine)
    with db.engine.begin() as connection:
        connection.execute(insert(shop_table(MetaData())), [{"shop_id": "S1", "name": "Centraal"}])

    new = MetaData()
    shops = shop_table(
        new,
        Column("window_minutes", Integer, nullable=False, default=0),
        Column("note", String(20), nullable=True),
    )
    with db.engine.begin() as connection:
        statements = missing_column_statements(connection, [shops])
        for statement in statements:
            connection.exec_driver_sql(statement)
        assert len(statements) == 2
        assert missing_column_statements(connection, [shops]) == []
        row = connection.execute(select(shops)).one()
    assert (row.shop_id, row.name, row.window_minutes, row.note) == ("S1", "Centraal", 0, None)
    db.dispose()
