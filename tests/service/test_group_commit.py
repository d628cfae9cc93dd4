"""The shared group commit on real databases (SQLite and PostgreSQL), with a write of the
test's own: callers that arrive together share one transaction and still get their own answers,
a group that fails is written again item by item, twins never share a group, a slow group leaves
the event loop free, and closing answers everything already submitted."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Sequence

import pytest
from sqlalchemy import CheckConstraint, Column, Connection, Integer, MetaData, String, Table, select

from services.common.db import Database
from services.common.errors import DomainError, FailedPrecondition, Unavailable
from services.common.group_commit import GroupCommit
from tests.support.write_lock import writes_held

NOTES = Table(
    "group_commit_notes",
    MetaData(),
    Column("key", String(32), primary_key=True),
    Column("value", Integer, CheckConstraint("value >= 0"), nullable=False),
)
REFUSED = -1  # a value the write refuses itself (a DomainError), writing nothing


class Notes:
    """A write that stores (key, value) notes and remembers the groups it was given."""

    def __init__(self) -> None:
        self.groups: list[list[str]] = []

    def write(
        self, connection: Connection, items: Sequence[tuple[str, int]]
    ) -> list[str | DomainError]:
        self.groups.append([key for key, _value in items])
        outcomes: list[str | DomainError] = []
        for key, value in items:
            if value == REFUSED:
                outcomes.append(FailedPrecondition("REFUSED", f"{key} refused"))
                continue
            connection.execute(NOTES.insert().values(key=key, value=value))  # < 0: CHECK fails
            outcomes.append(key)
        return outcomes


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    NOTES.metadata.create_all(database.engine)
    yield database
    database.dispose()


def stored(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {row.key: row.value for row in connection.execute(select(NOTES))}


def new_key() -> str:
    return uuid.uuid4().hex[:12]


async def outcome(call: asyncio.Future[str] | asyncio.Task[str]) -> str:
    try:
        return await call
    except DomainError as error:
        return error.reason
    except Exception as error:
        return type(error).__name__


async def test_callers_that_arrive_together_share_one_transaction(db: Database) -> None:
    notes = Notes()
    group = GroupCommit(db, notes.write, key=lambda item: item[0])
    keys = [new_key() for _ in range(5)]

    answers = await asyncio.gather(*(group.submit((key, 1)) for key in keys))

    assert answers == keys
    assert notes.groups == [keys]
    assert stored(db) == dict.fromkeys(keys, 1)


async def test_a_refused_item_costs_no_other_item_its_write(db: Database) -> None:
    notes = Notes()
    group = GroupCommit(db, notes.write, key=lambda item: item[0])
    keys = [new_key() for _ in range(3)]
    values = [1, REFUSED, 1]

    answers = [
        await outcome(call)
        for call in [asyncio.ensure_future(group.submit(x)) for x in zip(keys, values, strict=True)]
    ]

    assert answers == [keys[0], "REFUSED", keys[2]]
    assert len(notes.groups) == 1
    assert stored(db) == {keys[0]: 1, keys[2]: 1}


async def test_a_group_that_fails_is_written_again_item_by_item(db: Database) -> None:
    notes = Notes()
    group = GroupCommit(db, notes.write, key=lambda item: item[0])
    keys = [new_key() for _ in range(4)]
    values = [1, 2, -5, 4]  # -5 breaks the table's CHECK: the whole transaction fails

    calls = [asyncio.ensure_future(group.submit(x)) for x in zip(keys, values, strict=True)]
    answers = [await outcome(call) for call in calls]

    assert answers == [keys[0], keys[1], "IntegrityError", keys[3]]
    assert notes.groups == [keys, *([key] for key in keys)]
    assert stored(db) == {keys[0]: 1, keys[1]: 2, keys[3]: 4}


async def test_twins_never_share_a_group(db: Database) -> None:
    notes = Notes()
    group = GroupCommit(db, notes.write, key=lambda item: item[0])
    twin, other = new_key(), new_key()

    answers = await asyncio.gather(
        *(
            outcome(asyncio.ensure_future(group.submit(x)))
            for x in [(twin, 1), (other, 1), (twin, 1)]
        )
    )

    assert answers[:2] == [twin, other]
    assert answers[2] == "IntegrityError"  # the twin ran after the first had committed
    assert notes.groups == [[twin, other], [twin]]


async def test_a_slow_group_leaves_the_event_loop_free(database_url: str, db: Database) -> None:
    group = GroupCommit(db, Notes().write, key=lambda item: item[0])
    key = new_key()

    with writes_held(database_url, NOTES.name):
        call = asyncio.ensure_future(group.submit((key, 1)))
        started = time.monotonic()
        await asyncio.sleep(0.3)
        slept = time.monotonic() - started
        assert not call.done()
    assert await call == key

    assert slept < 1.0  # the loop woke on time while the group waited for the database


async def test_callers_arriving_while_it_lingers_join_the_group(db: Database) -> None:
    notes = Notes()
    group = GroupCommit(db, notes.write, key=lambda item: item[0], linger_seconds=0.5)
    await asyncio.gather(*(group.submit((new_key(), 1)) for _ in range(2)))  # concurrent callers
    first, second = new_key(), new_key()

    early = asyncio.ensure_future(group.submit((first, 1)))
    await asyncio.sleep(0.05)
    late = asyncio.ensure_future(group.submit((second, 1)))

    assert [await early, await late] == [first, second]
    assert notes.groups[-1] == [first, second]


async def test_a_lone_caller_does_not_linger(db: Database) -> None:
    notes = Notes()
    group = GroupCommit(db, notes.write, key=lambda item: item[0], linger_seconds=5)
    key = new_key()

    answer = await asyncio.wait_for(group.submit((key, 1)), timeout=3)

    assert answer == key


async def test_close_answers_what_was_submitted_and_refuses_the_rest(
    database_url: str, db: Database
) -> None:
    group = GroupCommit(db, Notes().write, key=lambda item: item[0])
    keys = [new_key() for _ in range(3)]

    with writes_held(database_url, NOTES.name):
        calls = [asyncio.ensure_future(group.submit((key, 1))) for key in keys]
        await asyncio.sleep(0.1)
        closing = asyncio.ensure_future(group.close())
        await asyncio.sleep(0.1)
        assert not closing.done()
    await closing

    assert [call.result() for call in calls] == keys
    assert set(stored(db)) == set(keys)
    with pytest.raises(Unavailable):
        await group.submit((new_key(), 1))
