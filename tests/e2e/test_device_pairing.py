"""Pairing a store's device through the gateway (real processes): operations issue a one-time
code, the device sends it without a token and gets a terminal token for that store only; the
code pairs one device once; wrong callers, bad tokens and bad codes are refused."""

from __future__ import annotations

import uuid

import grpc

from clickcollect.gateway.v1 import devices_pb2, store_ops_pb2
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, refused, token

CODE = grpc.StatusCode


def issue(store_id: str, name: str = "Back room phone") -> devices_pb2.IssuePairingCodeRequest:
    return devices_pb2.IssuePairingCodeRequest(
        request_id=f"pair-{uuid.uuid4().hex}", store_id=store_id, device_name=name
    )


async def test_a_device_paired_by_a_code_acts_for_its_store_only(
    gateway_channel: grpc.aio.Channel, customer: Caller
) -> None:
    ops = Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))
    issued = await ops.ops.IssuePairingCode(issue("STORE-002"), metadata=ops.metadata)
    assert (issued.store_id, issued.device_name) == ("STORE-002", "Back room phone")

    device = Caller(gateway_channel, ())
    typed = issued.pairing_code.replace("-", "").lower()  # as hurried fingers type it
    paired = await device.store_ops.PairDevice(devices_pb2.PairDeviceRequest(pairing_code=typed))
    assert (paired.store_id, paired.device_name) == ("STORE-002", "Back room phone")
    assert paired.terminal_id.startswith("device-") and paired.token_expire_time.seconds > 0

    again = await refused(
        device.store_ops.PairDevice(devices_pb2.PairDeviceRequest(pairing_code=typed))
    )
    assert (again.code, again.reason) == (CODE.NOT_FOUND, "PAIRING_CODE_NOT_VALID")

    tablet = Caller(gateway_channel, bearer(paired.access_token))
    queue = store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_TO_PICK)
    listed = await tablet.store_ops.ListStoreOrders(queue, metadata=tablet.metadata)
    assert all(o.pickup_store_id == "STORE-002" for o in listed.orders)
    elsewhere = await customer.place(("MUG-CERAMIC", 1), store="STORE-001")
    pick = store_ops_pb2.MarkPickedRequest(
        request_id=f"pick-{uuid.uuid4().hex}", order_id=elsewhere.order_id
    )
    error = await refused(tablet.store_ops.MarkPicked(pick, metadata=tablet.metadata))
    assert error.code in (CODE.PERMISSION_DENIED, CODE.NOT_FOUND)


async def test_only_operations_issue_codes_and_bad_codes_or_tokens_are_refused(
    gateway_channel: grpc.aio.Channel, customer: Caller
) -> None:
    terminal = Caller(gateway_channel, bearer(token(Role.STORE, "terminal-001-a", "STORE-001")))
    for caller in (customer, terminal):
        denied = await refused(
            caller.ops.IssuePairingCode(issue("STORE-001"), metadata=caller.metadata)
        )
        assert (denied.code, denied.reason) == (CODE.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    ops = Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))
    unknown = await refused(ops.ops.IssuePairingCode(issue("STORE-404"), metadata=ops.metadata))
    assert (unknown.code, unknown.reason) == (CODE.NOT_FOUND, "LOCATION_NOT_FOUND")
    bad = await refused(ops.ops.IssuePairingCode(issue("STORE-001", " "), metadata=ops.metadata))
    assert (bad.code, [v.field for v in bad.violations]) == (CODE.INVALID_ARGUMENT, ["device_name"])

    device = Caller(gateway_channel, ())
    for typed in ("", "7KQ2", "x" * 33):
        wrong = await refused(
            device.store_ops.PairDevice(devices_pb2.PairDeviceRequest(pairing_code=typed))
        )
        assert (wrong.code, [v.field for v in wrong.violations]) == (
            CODE.INVALID_ARGUMENT,
            ["pairing_code"],
        )
    forged = await refused(
        device.store_ops.PairDevice(
            devices_pb2.PairDeviceRequest(pairing_code="7KQ2-M9XD-4TPA"),
            metadata=bearer("not-a-token"),
        )
    )
    assert (forged.code, forged.reason) == (CODE.UNAUTHENTICATED, "TOKEN_INVALID")
