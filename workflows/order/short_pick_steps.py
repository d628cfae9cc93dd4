"""Short picks: the associate could not find (or found damaged) some units. The shelf is
corrected; the missing units are shipped in from another location when one has them (the customer
gets a new ready-by), otherwise they are cancelled and their money released."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.routing_steps import RoutingSteps

with workflow.unsafe.imports_passed_through():
    from workflows.order.activities import OrderActivities
    from workflows.order.activity_types import CancelLinesInput, ReserveInput, ShortPickInput
    from workflows.order.route_types import (
        AllocationRow,
        PlanRouteInput,
        RecordRouteInput,
        RoutePlanResult,
        rerouted_allocations,
    )
    from workflows.order.routing_activities import RoutingActivities
    from workflows.order.short_pick_activities import ShortPickActivities
    from workflows.order.types import IN_TRANSIT, CancelInput, MissingLineInput, PickupStore
    from workflows.ship_to_store.types import (
        TransferLineInput,
    )

REPICK, READY, CANCELLED = "REPICK", "READY", "CANCELLED"


class ShortPickSteps(RoutingSteps):
    async def _settle_short_pick(self, store: PickupStore, missing: list[MissingLineInput]) -> str:
        """REPICK when the missing units arrived from elsewhere, READY when they were cancelled
        and the rest can go to the counter, CANCELLED when nothing is left or the order was
        cancelled while waiting."""
        assert self.order is not None
        step = len(self.extra_reservations) + 1
        for item in missing:
            await self._act(
                ShortPickActivities.record_short_pick,
                ShortPickInput(
                    f"{workflow.info().workflow_id}:short-pick-{step}:{item.sku}",
                    self._reservations[-1],
                    self.order.pickup_store_id,
                    item.sku,
                    item.quantity,
                    item.reason,
                ),
            )
        plan = await self._reroute(missing, step)
        if plan is not None:
            return await self._ship_in(store, plan, missing)
        return await self._cancel_missing(missing, step)

    async def _reroute(self, missing: list[MissingLineInput], step: int) -> RoutePlanResult | None:
        """Plans and reserves the missing units elsewhere; None when no location has them."""
        assert self.order is not None
        lines = [TransferLineInput(m.sku, m.quantity) for m in missing]
        request = PlanRouteInput(
            self.order.pickup_store_id, lines, workflow.now(), exclude=[self.order.pickup_store_id]
        )
        plan: RoutePlanResult = await self._act(RoutingActivities.plan_route, request)
        if not plan.routable or not plan.shipments:
            return None
        reservation = f"{self._reservation_id}-{step}"
        reserve = ReserveInput(reservation, self.order.order_id, "", [], plan.allocations)
        try:
            await self._act(OrderActivities.reserve_stock, reserve)
        except ActivityError:
            return None
        self.extra_reservations.append(reservation)
        return plan

    async def _ship_in(
        self, store: PickupStore, plan: RoutePlanResult, missing: list[MissingLineInput]
    ) -> str:
        ready_by = plan.ready_by
        if self._version >= 1:
            await self._record_reroute(plan, missing)
        self.status.ready_by = ready_by
        sources = ", ".join(s.source_id for s in plan.shipments)
        await self._transition(
            IN_TRANSIT, "order_rerouted", f"missing units ship from {sources}", ready_by=ready_by
        )
        await self._notify(
            "ORDER_DELAYED", store_name=store.name, moments={"ready_by": ready_by or workflow.now()}
        )
        await self._start_transfers(self._transfers_for(plan, self.extra_reservations[-1]))
        if not await self._transfers_arrive():
            return CANCELLED
        self.picked = None  # before AWAITING_PICK: the next pick may come at once
        await self._arrived(store)
        return REPICK

    async def _record_reroute(self, plan: RoutePlanResult, missing: list[MissingLineInput]) -> None:
        """The order's lines show where each unit now comes from: the missing units from the
        new sources instead of the pickup store's shelf."""
        assert self.order is not None
        allocations = rerouted_allocations(
            self._allocations(), missing, plan.allocations, self.order.pickup_store_id
        )
        self.status.allocations = allocations
        merged = RoutePlanResult(
            "SHIP_TO_STORE", allocations, plan.shipments, plan.ready_by, plan.explanation
        )
        skus = {number: line.sku for number, line in enumerate(self.order.lines, start=1)}
        step = len(self.extra_reservations)
        request_id = f"{workflow.info().workflow_id}:order_rerouted-{step}:route"
        await self._act(
            RoutingActivities.record_route,
            RecordRouteInput(request_id, self.order.order_id, merged, skus),
        )
        self.status.fulfillment_type = "SHIP_TO_STORE"

    def _allocations(self) -> list[AllocationRow]:
        """Where the order's units come from now (the pickup store's shelf by default)."""
        assert self.order is not None
        if self.status.allocations:
            return list(self.status.allocations)
        store = self.order.pickup_store_id
        return [AllocationRow(store, line.sku, line.quantity) for line in self.order.lines]

    async def _cancel_missing(self, missing: list[MissingLineInput], step: int) -> str:
        assert self.order is not None
        numbers = {line.sku: n for n, line in enumerate(self.order.lines, start=1)}
        prices = {line.sku: line.unit_price_minor for line in self.order.lines}
        amount = sum(m.quantity * prices[m.sku] for m in missing)
        reason = ", ".join(sorted({m.reason for m in missing}))
        wf = workflow.info().workflow_id
        await self._act(
            ShortPickActivities.cancel_lines,
            CancelLinesInput(
                f"{wf}:cancel-lines-{step}",
                self.order.order_id,
                {numbers[m.sku]: m.quantity for m in missing},
                reason,
            ),
        )
        self.cancelled_minor += amount
        for m in missing:
            self.cancelled_units[m.sku] = self.cancelled_units.get(m.sku, 0) + m.quantity
        remaining = self.order.total_minor - self.cancelled_minor
        if amount > 0 and remaining > 0:
            payment = self._payment(f"reduce-{step}")
            payment.amount_minor = amount
            await self._act(ShortPickActivities.reduce_authorization, payment)
        await self._notify(
            "LINES_CANCELLED",
            cancelled_items="\n".join(f"{m.quantity} x {m.sku}" for m in missing),
            released_amount=f"{amount / 100:.2f} {self.order.currency_code}",
            remaining_note=(
                "The rest of your order will be ready for pickup shortly."
                if remaining > 0
                else "Nothing is left of your order; it is cancelled."
            ),
        )
        if remaining <= 0:
            self.cancel_request = CancelInput(
                f"{wf}:unfulfillable", "nothing could be picked", "store"
            )
            return CANCELLED
        return READY
