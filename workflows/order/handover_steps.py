"""Money around the hand-over: the card hold is renewed before it lapses while the order waits,
and at the counter exactly what the customer took is charged (units left behind go back on the
shelf, their lines are cancelled and their part of the hold released)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.order.base import OrderWorkflowBase
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from workflows.order.activities import OrderActivities
    from workflows.order.activity_types import (
        AuthorizationResult,
        CancelLinesInput,
        PlanReleaseInput,
        ReleaseUnitsInput,
    )
    from workflows.order.payment_activities import PaymentActivities
    from workflows.order.short_pick_activities import ShortPickActivities
    from workflows.order.types import PARTIAL_PICKUP, PICKED_UP

# Renew this long before the hold lapses (a quarter of its lifetime when that is shorter).
REAUTHORIZE_AHEAD = timedelta(hours=12)


class HandoverSteps(OrderWorkflowBase):
    async def _keep_authorization(self, hold: AuthorizationResult) -> None:
        """Runs beside the lifecycle from acceptance until the money is captured or let go:
        re-authorizes each time the current hold nears its end. While a hand-over is under way
        it waits; a hand-over whose payment was refused sends it back to watching the hold."""
        authorized_at = workflow.now()
        while hold.lifetime_seconds > 0 and not self.money_done:
            lifetime = timedelta(seconds=hold.lifetime_seconds)
            renew_at = authorized_at + lifetime - min(REAUTHORIZE_AHEAD, lifetime / 4)
            if await self._wait(lambda: self.money_settling, renew_at):
                await workflow.wait_condition(lambda: self.money_done or not self.money_settling)
                continue
            self.renewals += 1
            step = f"reauthorize-{self.renewals}"
            self.reauthorizing = True
            try:
                hold = await self._act(PaymentActivities.reauthorize_payment, self._payment(step))
            except ActivityError as error:
                refused = business_refusal(error)
                await self._record(
                    "reauthorization_failed", f"{refused.type}: {refused.message}", f"{step}-failed"
                )
                await self._notify(
                    "REAUTHORIZATION_FAILED", to_ops=True, reason=refused.message or "refused"
                )
                return
            finally:
                self.reauthorizing = False
            authorized_at = workflow.now()

    async def _settle_money(self) -> None:
        """No renewal starts after this, and one under way finishes first."""
        self.money_settling = True
        await workflow.wait_condition(lambda: not self.reauthorizing)

    async def _hand_over(self) -> bool:
        """Charges what the customer takes, then lets the goods go. False when the payment was
        refused: nothing changed hands, the order stays ready and operations are told."""
        assert self.order is not None and self.handover is not None
        await self._settle_money()
        left_behind = self._left_behind()
        partial = bool(left_behind) and self._since(PARTIAL_PICKUP)
        self.capture_attempts += 1
        attempt = self.capture_attempts
        capture = self._payment("capture" if attempt == 1 else f"capture-{attempt}")
        capture.amount_minor -= self._value(left_behind) if partial else 0
        try:
            await self._act(OrderActivities.capture_payment, capture)
        except ActivityError as error:
            await self._refuse_handover(business_refusal(error), attempt)
            return False
        if partial:
            await self._put_back(left_behind)
        for reservation in self._reservations:
            await self._act(OrderActivities.commit_stock, reservation)
        taken = "" if not left_behind else " (" + _units(left_behind) + " left behind)"
        await self._transition(
            PICKED_UP,
            "order_picked_up",
            f"collected by {self.handover.collector_name}{taken}",
            command=self.handover.request_id,
            collected_by=self.handover.collector_name,
        )
        self.money_done = True
        await self._notify("ORDER_PICKED_UP")
        return True

    async def _refuse_handover(self, refused: ApplicationError, attempt: int) -> None:
        reason = refused.message or refused.type or "refused"
        await self._record("capture_refused", reason, f"capture-refused-{attempt}")
        await self._notify("CAPTURE_REFUSED", to_ops=True, reason=reason)
        self.handover_refusal = refused
        self.handover = None
        self.money_settling = False

    def _left_behind(self) -> dict[str, int]:
        """Units at the counter the customer did not take (an empty list means all taken)."""
        assert self.order is not None and self.handover is not None
        if not self.handover.collected:
            return {}
        taken = {line.sku: 0 for line in self.order.lines}
        for line in self.handover.collected:
            taken[line.sku] += line.quantity
        left = {
            line.sku: line.quantity - self.cancelled_units.get(line.sku, 0) - taken[line.sku]
            for line in self.order.lines
        }
        return {sku: quantity for sku, quantity in left.items() if quantity > 0}

    def _value(self, units: dict[str, int]) -> int:
        assert self.order is not None
        prices = {line.sku: line.unit_price_minor for line in self.order.lines}
        return sum(quantity * prices[sku] for sku, quantity in units.items())

    async def _put_back(self, left_behind: dict[str, int]) -> None:
        """Units left at the counter: back on the shelf, cancelled on the order, and what the
        hold still has for them released."""
        assert self.order is not None
        wf = workflow.info().workflow_id
        for sku, quantity in sorted(left_behind.items()):
            plan = PlanReleaseInput(
                f"{wf}:not-collected:{sku}",
                self._reservations,
                self.order.pickup_store_id,
                sku,
                quantity,
            )
            releases: list[ReleaseUnitsInput] = await self._act(
                PaymentActivities.plan_release, plan
            )
            for release in releases:
                await self._act(PaymentActivities.release_units, release)
        numbers = {line.sku: n for n, line in enumerate(self.order.lines, start=1)}
        cancel = CancelLinesInput(
            f"{wf}:cancel-lines-not-collected",
            self.order.order_id,
            {numbers[sku]: quantity for sku, quantity in left_behind.items()},
            "NOT_COLLECTED",
        )
        await self._act(ShortPickActivities.cancel_lines, cancel)
        amount = self._value(left_behind)
        for sku, quantity in left_behind.items():
            self.cancelled_units[sku] = self.cancelled_units.get(sku, 0) + quantity
        self.cancelled_minor += amount
        if amount > 0:  # free items left behind release nothing
            payment = self._payment("reduce-not-collected")
            payment.amount_minor = amount
            await self._act(ShortPickActivities.reduce_authorization, payment)


def _units(units: dict[str, int]) -> str:
    listed = ", ".join(f"{quantity} x {sku}" for sku, quantity in sorted(units.items()))
    if len(listed) <= 200:
        return listed
    return f"{sum(units.values())} units of {len(units)} products"
