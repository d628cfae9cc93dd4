"""ReturnWorkflow (id `return-<return_id>`): goods come back, money follows them.

eligibility (the orders service applies the return policy while it holds the order) →
  in store: received at the counter at once;
  by mail: RMA issued and mailed → waits for the parcel at the DC or any store, or lapses →
inspection per line (resellable: back on the receiving location's shelf; damaged: written off) →
refund to the original tender for the returned units → customer told.
The first step answers RequestReturn / ProcessReturn synchronously (update-with-start).
A parcel scanned the moment a read shows the return AUTHORIZED is taken, even while the workflow
is still noting its own decision. A cancel request from the Temporal UI is recorded on the order's
timeline and ignored: a mail return lapses on its own, and goods already back are refunded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError

from workflows.contracts.ids import command_key
from workflows.ignored_cancels import IgnoredCancels
from workflows.returns.checks import check_parcel_fields
from workflows.steps import (
    act,
    business_refusal,
    check_request_id,
    refusal,
    run_to_completion,
    wait_until,
)

with workflow.unsafe.imports_passed_through():
    from workflows.contracts import search
    from workflows.contracts.returns import (
        AUTHORIZED,
        EXPIRED,
        FINAL_STATES,
        MAIL,
        RECEIVED,
        REFUNDED,
        REJECTED,
        ReceiveReturnInput,
        ReturnDecision,
        ReturnInput,
        ReturnItemInput,
        ReturnStatus,
        return_kind,
    )
    from workflows.returns.activities import ReturnActivities
    from workflows.returns.notices import refund_params, return_address, return_notice
    from workflows.returns.types import (
        CreateReturnInput,
        RecordReceiptInput,
        RestockInput,
        ReturnRecord,
        ReturnStepInput,
    )
    from workflows.shared.activities import SharedActivities


@workflow.defn
class ReturnWorkflow:
    @workflow.init
    def __init__(self, ret: ReturnInput) -> None:
        self.ret: ReturnInput | None = ret  # known to update validators from the first moment
        self.status = ReturnStatus("", "", "PENDING", "")
        self.decision: ReturnDecision | None = None
        self.received: ReceiveReturnInput | None = None
        self.items: list[ReturnItemInput] = []
        self.receiving_name = ""  # where the goods came in, as the customer knows it
        self.lapsing = False
        self.retry_refund_asked = False
        self.ignored = IgnoredCancels()

    @workflow.run
    async def run(self, ret: ReturnInput) -> ReturnStatus:
        return await run_to_completion(self._run(ret), self._on_cancel_request)

    def _on_cancel_request(self) -> None:
        assert self.ret is not None
        detail = (
            f"cancel request for return {self.ret.return_id} ignored: an RMA lapses on its own; "
            "goods already back are refunded"
        )
        self.ignored.note(self.ret.order_id, "return_cancel_ignored", detail)

    async def _run(self, ret: ReturnInput) -> ReturnStatus:
        self.ret = ret
        self.status = ReturnStatus(
            ret.return_id, ret.order_id, "PENDING", ret.method, ret.receiving_location_id
        )
        self.receiving_name = ret.receiving_location_name or ret.receiving_location_id
        record = await self._open(ret)
        if record is not None:
            if ret.method == MAIL and not await self._parcel_arrives(record):
                await self._expire()
            else:
                await self._restock_and_refund()
        await self.ignored.written()  # and every handler finished
        return self.status

    async def _open(self, ret: ReturnInput) -> ReturnRecord | None:
        """Eligibility: the orders service checks the policy and records the return."""
        now = workflow.now()
        expires = now + timedelta(days=ret.rma_valid_days) if ret.method == MAIL else None
        create = CreateReturnInput(self._step("create"), ret, expires)
        try:
            record: ReturnRecord = await act(ReturnActivities.create_return, create)
        except ActivityError as error:
            refused = business_refusal(error)
            self.decision = ReturnDecision.refused(ret.return_id, refused)
            self.status.state_reason = refused.reason
            self.status.refusal = self.decision
            self._set_state(REJECTED)
            return None
        self.items = record.items
        self.status.rma_number = record.rma_number
        self.status.expire_time = expires
        self.status.refund_minor = record.refund_minor
        self.status.currency_code = record.currency_code
        self._set_state(record.state)
        self.decision = ReturnDecision(True, ret.return_id)
        return record

    async def _parcel_arrives(self, record: ReturnRecord) -> bool:
        """Mail: the RMA goes to the customer; True once the parcel is received in time."""
        assert self.ret is not None and self.status.expire_time is not None
        await self._notify(
            "RETURN_AUTHORIZED",
            "authorized",
            {"expires_at": self.status.expire_time},
            rma_number=record.rma_number,
            **return_address(self.ret),
        )
        if not await wait_until(lambda: self.received is not None, self.status.expire_time):
            self.lapsing = True  # from here on a parcel scan is refused
            return False
        assert self.received is not None
        receipt = RecordReceiptInput(
            self._step(f"return_received:{command_key(self.received.request_id)}"),
            self.ret.return_id,
            self.received.location_id,
            self.received.items,
            self.received.request_id,
        )
        recorded: ReturnRecord = await act(ReturnActivities.record_receipt, receipt)
        self.items = recorded.items
        self.status.receiving_location_id = self.received.location_id
        self.receiving_name = self.received.location_name or self.received.location_id
        self._set_state(RECEIVED)
        return True

    async def _restock_and_refund(self) -> None:
        assert self.ret is not None
        location = self.status.receiving_location_id
        restock = RestockInput(self._step("restock"), self.ret.return_id, location, self.items)
        await act(ReturnActivities.restock, restock)
        refunded = await self._refund()
        self.status.refund_minor = refunded.refund_minor
        self._set_state(REFUNDED)
        await self._notify(
            "RETURN_REFUNDED",
            "refunded",
            received_at=self.receiving_name,
            **refund_params(refunded.refund_minor, refunded.currency_code),
        )

    async def _refund(self) -> ReturnRecord:
        """Money follows the goods: a refused refund is escalated to operations and tried
        again (a new attempt, a new idempotency key) when they signal retry_refund."""
        assert self.ret is not None
        attempt = 0
        while True:
            step = "refund" if attempt == 0 else f"refund-retry-{attempt}"
            refund = ReturnStepInput(self._step(step), self.ret.return_id)
            try:
                record: ReturnRecord = await act(ReturnActivities.refund_return, refund)
                self.status.refund_failed = False
                return record
            except ActivityError as error:
                refused = business_refusal(error)
            attempt += 1
            self.status.refund_failed = True
            self.status.state_reason = refused.reason or "REFUND_FAILED"
            self.retry_refund_asked = False
            await self._notify(
                "REFUND_FAILED",
                f"refund-failed-{attempt}",
                to_ops=True,
                reason=refused.message,
                **refund_params(self.status.refund_minor, self.status.currency_code),
            )
            await workflow.wait_condition(lambda: self.retry_refund_asked)

    async def _expire(self) -> None:
        assert self.ret is not None
        expire = ReturnStepInput(self._step("expired"), self.ret.return_id)
        await act(ReturnActivities.expire_return, expire)
        self.status.state_reason = "RMA_LAPSED"
        self._set_state(EXPIRED)
        await self._notify("RETURN_EXPIRED", "expired", rma_number=self.status.rma_number)

    def _step(self, step: str) -> str:
        return f"{workflow.info().workflow_id}:{step}"

    def _set_state(self, state: str) -> None:
        self.status.state = state
        workflow.upsert_search_attributes(self._search_attributes())

    def _search_attributes(self) -> list[SearchAttributeUpdate[Any]]:
        updates: list[SearchAttributeUpdate[Any]] = [
            search.RETURN_STATE.value_set(self.status.state)
        ]
        if self.status.receiving_location_id:
            updates.append(search.RECEIVING_STORE_ID.value_set(self.status.receiving_location_id))
        return updates

    async def _notify(
        self,
        template: str,
        step: str,
        moments: dict[str, Any] | None = None,
        to_ops: bool = False,
        **params: str,
    ) -> None:
        assert self.ret is not None
        key = f"{workflow.info().workflow_id}:{step}"
        notice = return_notice(self.ret, self.items, template, key, moments, to_ops, **params)
        if notice is not None:
            await act(SharedActivities.send_notification, notice)

    @workflow.update
    async def decision_made(self, kind: str = "") -> ReturnDecision:
        """Used with update-with-start: waits for the policy's answer. `kind` is the caller's
        request (types.return_kind)."""
        await workflow.wait_condition(lambda: self.decision is not None)
        assert self.decision is not None
        return self.decision

    @decision_made.validator
    def _validate_decision_made(self, kind: str = "") -> None:
        """A request id names one return: the same id for another kind of return is refused."""
        if kind and self.ret is not None and kind != return_kind(self.ret):
            raise refusal(
                "REQUEST_ID_REUSED",
                "this request_id already names another return of this order; use a new request_id",
                "ALREADY_EXISTS",
                return_id=self.ret.return_id,
            )

    @workflow.update
    async def receive(self, parcel: ReceiveReturnInput) -> ReturnStatus:
        """A mail return's parcel was scanned at a store or DC; answers once refunded. A scan
        taken while the decision was still being noted is checked once it is."""
        if self.decision is None:
            await workflow.wait_condition(lambda: self.decision is not None)
            self._check_parcel(parcel)
        self.received = self.received or parcel
        await workflow.wait_condition(lambda: self.status.state in FINAL_STATES)
        if self.status.state != REFUNDED:
            raise refusal("RETURN_EXPIRED", "the RMA lapsed first", "FAILED_PRECONDITION")
        return self.status

    @receive.validator
    def _validate_receive(self, parcel: ReceiveReturnInput) -> None:
        check_parcel_fields(parcel)
        if self.decision is None and self.status.method == MAIL:
            return  # the RMA may already show as AUTHORIZED: checked once decided
        self._check_parcel(parcel)

    def _check_parcel(self, parcel: ReceiveReturnInput) -> None:
        check_request_id(parcel.request_id)
        if self.received is not None and self.received.request_id == parcel.request_id:
            return
        if self.received is not None or self.status.state in (RECEIVED, REFUNDED):
            raise refusal(
                "RETURN_ALREADY_RECEIVED", "this return was already received", "FAILED_PRECONDITION"
            )
        if self.lapsing or self.status.state == EXPIRED:
            raise refusal(
                "RETURN_EXPIRED", "the RMA has lapsed; start a new return", "FAILED_PRECONDITION"
            )
        if self.status.method != MAIL or self.status.state != AUTHORIZED:
            raise refusal(
                "RETURN_NOT_AWAITING_PARCEL",
                f"return is {self.status.state}",
                "FAILED_PRECONDITION",
                state=self.status.state,
            )
        expected = sorted((i.sku, i.quantity) for i in self.items)
        if sorted((i.sku, i.quantity) for i in parcel.items) != expected:
            raise refusal(
                "RETURN_ITEMS_MISMATCH",
                "the parcel must list the return's items: "
                + ", ".join(f"{q} x {s}" for s, q in expected),
                "INVALID_ARGUMENT",
            )

    @workflow.signal
    def retry_refund(self, *args: Any) -> None:
        """Operations: the cause of a failed refund is fixed; try paying it again (any input
        is ignored; while no refund has failed it does nothing)."""
        self.retry_refund_asked = True

    @workflow.query
    def state(self) -> ReturnStatus:
        return self.status
