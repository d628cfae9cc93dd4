"""Pairing a store's device: operations issue a one-time code (OpsService.IssuePairingCode),
the device sends it once (StoreOpsService.PairDevice) and gets a terminal token bound to the
store the code was made for. The codes live in the stores service; the gateway keeps nothing."""

from __future__ import annotations

from datetime import timedelta

from clickcollect.gateway.v1 import devices_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.errors import (
    DomainError,
    ErrorKind,
    FieldViolation,
    InvalidArgument,
    Violations,
)
from services.common.server import Context
from services.common.timeconv import to_timestamp, utcnow
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Role
from services.gateway.reads import Reads, ask

MAX_TYPED = 32  # a code with room for spaces and dashes
CODE_HINT = "the code operations gave, like 7KQ2-M9XD-4TPA"


async def issue_pairing_code(
    reads: Reads, request: devices_pb2.IssuePairingCodeRequest
) -> devices_pb2.IssuePairingCodeResponse:
    """A code for the store (checked by the stores service, which names any bad field)."""
    made = (
        await ask(
            reads.stores.CreatePairingCode,
            stores_pb2.CreatePairingCodeRequest(
                request_id=request.request_id,
                store_id=request.store_id,
                device_name=request.device_name,
                ttl_minutes=request.ttl_minutes,
            ),
        )
    ).pairing_code
    return devices_pb2.IssuePairingCodeResponse(
        pairing_code=made.code,
        store_id=made.store_id,
        device_name=made.device_name,
        expire_time=made.expire_time,
    )


class DevicePairing:
    """StoreOpsService.PairDevice (mixed into the servicer)."""

    auth: TokenAuthority
    reads: Reads
    device_token_ttl: timedelta

    async def PairDevice(
        self, request: devices_pb2.PairDeviceRequest, context: Context
    ) -> devices_pb2.PairDeviceResponse:
        self.auth.refuse_bad_token(context)
        errors = Violations()
        errors.check(0 < len(request.pairing_code) <= MAX_TYPED, "pairing_code", CODE_HINT)
        errors.raise_if_any()
        redeem = stores_pb2.RedeemPairingCodeRequest(code=request.pairing_code)
        try:
            paired = (await ask(self.reads.stores.RedeemPairingCode, redeem)).pairing_code
        except DomainError as refused:
            if refused.kind is ErrorKind.INVALID_ARGUMENT:  # the stores service's "code"
                violations = [FieldViolation("pairing_code", CODE_HINT)]
                message = f"pairing_code: {CODE_HINT}"
                raise InvalidArgument(refused.reason, message, violations) from None
            raise
        expires = utcnow() + self.device_token_ttl
        token = self.auth.issue(
            Role.STORE, paired.device_id, paired.store_id, self.device_token_ttl
        )
        return devices_pb2.PairDeviceResponse(
            access_token=token,
            token_expire_time=to_timestamp(expires),
            store_id=paired.store_id,
            terminal_id=paired.device_id,
            device_name=paired.device_name,
        )
