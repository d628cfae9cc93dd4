"""Pairing codes on the stores service over real gRPC, on SQLite and PostgreSQL: a code pairs
one device once, typed loosely; a repeat of the request answers the same code; a used, unknown
or expired code is the same refusal; bad input names its field and makes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

import grpc
import pytest

from clickcollect.stores.v1 import stores_pb2 as pb
from services.common.timeconv import utcnow
from tests.support.stores import a_location, refused, running_stores, upsert

if TYPE_CHECKING:
    from tests.support.stores import Stub

CODE = grpc.StatusCode


@pytest.fixture
async def stores(database_url: str) -> AsyncIterator[Stub]:
    async with running_stores(database_url) as stub:
        await upsert(stub, a_location("STORE-001"))
        yield stub


async def make(stub: Stub, request_id: str = "pair-0001", **fields: object) -> pb.PairingCode:
    values: dict[str, object] = {"store_id": "STORE-001", "device_name": "Counter tablet"}
    values.update(fields)
    request = pb.CreatePairingCodeRequest(request_id=request_id, **values)  # type: ignore[arg-type]
    return (await stub.CreatePairingCode(request)).pairing_code


async def redeem(stub: Stub, code: str) -> pb.PairingCode:
    return (await stub.RedeemPairingCode(pb.RedeemPairingCodeRequest(code=code))).pairing_code


async def test_a_code_pairs_one_device_once_and_can_be_typed_loosely(stores: Stub) -> None:
    made = await make(stores, device_name="  Counter   tablet ")
    assert len(made.code) == 14 and made.code.count("-") == 2
    assert made.device_name == "Counter tablet" and made.device_id.startswith("device-")
    lifetime = made.expire_time.ToDatetime().replace(tzinfo=utcnow().tzinfo) - utcnow()
    assert timedelta(minutes=14) < lifetime <= timedelta(minutes=15)

    typed = made.code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    paired = await redeem(stores, typed)
    assert (paired.store_id, paired.device_id) == ("STORE-001", made.device_id)

    again = await refused(redeem(stores, made.code))
    assert (again.code, again.reason) == (CODE.NOT_FOUND, "PAIRING_CODE_NOT_VALID")
    unknown = await refused(redeem(stores, "ZZZZ-ZZZZ-ZZZZ"))
    assert (unknown.code, unknown.reason, unknown.message) == (
        again.code,
        again.reason,
        again.message,
    )


async def test_a_repeated_request_answers_the_same_code_and_another_use_is_refused(
    stores: Stub,
) -> None:
    first = await make(stores)
    assert await make(stores) == first
    error = await refused(make(stores, device_name="Back room phone"))
    assert (error.code, error.reason) == (CODE.ALREADY_EXISTS, "REQUEST_ID_REUSED")


async def test_two_devices_typing_one_code_at_once_pair_one(stores: Stub) -> None:
    made = await make(stores, request_id="pair-race-1")
    answers = await asyncio.gather(
        *(redeem(stores, made.code) for _ in range(8)), return_exceptions=True
    )
    paired = [a for a in answers if isinstance(a, pb.PairingCode)]
    others = [a for a in answers if not isinstance(a, pb.PairingCode)]
    assert len(paired) == 1
    assert all(isinstance(a, grpc.aio.AioRpcError) and a.code() == CODE.NOT_FOUND for a in others)


async def test_bad_input_names_its_field_and_makes_nothing(stores: Stub) -> None:
    error = await refused(
        make(stores, request_id="x", store_id="STORE 1", device_name=" ", ttl_minutes=61)
    )
    assert error.code == CODE.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "request_id",
        "store_id",
        "device_name",
        "ttl_minutes",
    }
    unknown_store = await refused(make(stores, request_id="pair-0002", store_id="STORE-404"))
    assert (unknown_store.code, unknown_store.reason) == (CODE.NOT_FOUND, "LOCATION_NOT_FOUND")
    for typed in ("", "ABC", "UUUU-UUUU-UUUU", "7KQ2-M9XD-4TPA-9"):
        bad = await refused(redeem(stores, typed))
        assert (bad.code, [v.field for v in bad.violations]) == (CODE.INVALID_ARGUMENT, ["code"])
