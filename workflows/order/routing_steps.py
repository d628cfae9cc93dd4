"""Routing inside the order workflow: plan where the units come from, reserve the plan
all-or-nothing (re-planning when a concurrent buyer took the stock first), record the decision,
and run one ShipToStore child per shipment."""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.order.base import OrderWorkflowBase
from workflows.steps import business_refusal, refusal

with workflow.unsafe.imports_passed_through():
    from workflows.order.activities import OrderActivities
    from workflows.order.activity_types import PlanPickupTimesInput, ReserveInput
    from workflows.order.route_types import (
        MAX_ROUTE_ATTEMPTS,
        AllocationRow,
        ConvertHoldInput,
        PlanRouteInput,
        RecordRouteInput,
        RoutePlanResult,
        out_of_stock,
    )
    from workflows.order.routing_activities import RoutingActivities
    from workflows.order.types import AWAITING_PICK, PickupStore, PlaceOrderInput
    from workflows.ship_to_store.activities import TransferActivities
    from workflows.ship_to_store.types import (
        ShipmentRecord,
        TransferInput,
        TransferLineInput,
        transfer_id,
    )
    from workflows.ship_to_store.workflow import ShipToStoreWorkflow


class RoutingSteps(OrderWorkflowBase):
    plan: RoutePlanResult | None = None
    transfers: list[TransferInput] = []

    async def _route_and_reserve(self, order: PlaceOrderInput) -> ApplicationError | None:
        """Plans and reserves; None when reserved, else the refusal (OUT_OF_STOCK …)."""
        if order.hold_id:
            return await self._convert_hold(order)
        basket = [TransferLineInput(line.sku, line.quantity) for line in order.lines]
        refused: ApplicationError | None = None
        for _ in range(MAX_ROUTE_ATTEMPTS):
            plan: RoutePlanResult = await self._act(
                RoutingActivities.plan_route,
                PlanRouteInput(order.pickup_store_id, basket, workflow.now()),
            )
            if not plan.routable:
                return out_of_stock(basket, plan.missing)
            reserve = ReserveInput(
                self._reservation_id, order.order_id, "", [], allocations=plan.allocations
            )
            try:
                await self._act(OrderActivities.reserve_stock, reserve)
            except ActivityError as error:
                refused = business_refusal(error)
                if refused.type != "OUT_OF_STOCK":
                    return refused
                # a concurrent buyer got there first: plan again with fresh stock (at once: the
                # plan sees what the winner took; orders of version 0 paused a moment first)
                if self._version < 1:
                    await asyncio.sleep(workflow.random().uniform(0.05, 0.5))
                continue
            self.plan = plan
            return None
        return refused

    async def _convert_hold(self, order: PlaceOrderInput) -> ApplicationError | None:
        """The checkout hold becomes the order's reservation; its units decide the plan."""
        try:
            held: list[AllocationRow] = await self._act(
                RoutingActivities.convert_hold,
                ConvertHoldInput(order.hold_id, order.order_id, order.customer_id),
            )
        except ActivityError as error:
            return business_refusal(error)
        basket = [TransferLineInput(line.sku, line.quantity) for line in order.lines]
        if sorted((a.sku, a.quantity) for a in _merged(held)) != sorted(
            (line.sku, line.quantity) for line in basket
        ):
            await self._act(OrderActivities.release_stock, order.hold_id)
            return refusal("HOLD_MISMATCH", "the hold is for another basket", "FAILED_PRECONDITION")
        request = PlanRouteInput(order.pickup_store_id, basket, workflow.now(), fixed=held)
        self.plan = await self._act(RoutingActivities.plan_route, request)
        if self.plan is None or not self.plan.routable:
            await self._act(OrderActivities.release_stock, order.hold_id)
            return refusal(
                "OUT_OF_STOCK",
                "the held stock can no longer reach the store",
                "FAILED_PRECONDITION",
            )
        return None

    async def _record_route(self) -> None:
        assert self.order is not None and self.plan is not None
        skus = {number: line.sku for number, line in enumerate(self.order.lines, start=1)}
        record = RecordRouteInput(
            f"{workflow.info().workflow_id}:order_routed", self.order.order_id, self.plan, skus
        )
        await self._act(RoutingActivities.record_route, record)
        self.status.fulfillment_type = self._fulfillment_type
        self.status.ready_by = self.plan.ready_by
        self.status.allocations = self.plan.allocations
        self.status.route_explanation = self.plan.explanation

    @property
    def _fulfillment_type(self) -> str:
        shipped = bool(self.plan and self.plan.shipments)
        return "SHIP_TO_STORE" if shipped else "PICKUP_IN_STORE"

    def _transfers_for(self, plan: RoutePlanResult, reservation_id: str) -> list[TransferInput]:
        """One transfer per shipment, numbered in order across the life of the order."""
        assert self.order is not None
        transfers = []
        for shipment in plan.shipments:
            self.transfers_started += 1
            transfers.append(
                TransferInput(
                    order_id=self.order.order_id,
                    transfer_id=transfer_id(self.order.order_id, self.transfers_started),
                    reservation_id=reservation_id,
                    source_id=shipment.source_id,
                    destination_id=self.order.pickup_store_id,
                    lines=shipment.lines,
                    expected_arrival=shipment.arrives_at,
                    ready_by=shipment.ready_by,
                    store_email=self.store_email,
                )
            )
        return transfers

    async def _record_planned(self, transfers: list[TransferInput]) -> None:
        """The order shows its shipments (with expected dates) before the transfers start."""
        for t in transfers:
            await self._act(
                TransferActivities.record_shipment,
                ShipmentRecord(
                    f"{t.transfer_id}:planned",
                    t.order_id,
                    t.transfer_id,
                    t.source_id,
                    "PLANNED",
                    t.lines,
                    t.expected_arrival,
                    t.ready_by,
                ),
            )

    async def _start_transfers(self, transfers: list[TransferInput]) -> None:
        """Records the shipments on the order and starts a ShipToStore child for each, so the
        transfers exist (and can be shipped) by the time anyone sees the order."""
        await self._record_planned(transfers)
        self.children = [
            await workflow.start_child_workflow(ShipToStoreWorkflow.run, t, id=t.transfer_id)
            for t in transfers
        ]
        self.all_children += self.children

    async def _transfers_arrive(self) -> bool:
        """Waits for every started transfer to be received. False when the order was cancelled
        meanwhile (the transfers are told to stop)."""
        children = self.children
        await self._await_input(
            lambda: all(child.done() for child in children) or self.cancel_request is not None
        )
        if self.cancel_request is None:
            return True
        for child in children:
            if not child.done():
                await child.signal(ShipToStoreWorkflow.cancel)
        return False

    async def _plan_pick(self, store: PickupStore) -> datetime:
        """Sets the pick deadline (counted in opening hours from now); returns the ready-by."""
        times = await self._act(
            OrderActivities.plan_pickup_times, PlanPickupTimesInput(store, workflow.now())
        )
        self.status.ready_by, self.status.pick_deadline = times.ready_by, times.pick_deadline
        return times.ready_by

    async def _arrived(self, store: PickupStore) -> None:
        """Everything is at the pickup store: the store picks it against a fresh deadline."""
        await self._plan_pick(store)
        await self._transition(
            AWAITING_PICK,
            "transfers_received",
            f"all stock at {store.name}; to pick",
            pick_deadline=self.status.pick_deadline,
        )


def _merged(rows: list[AllocationRow]) -> list[AllocationRow]:
    by_sku: dict[str, int] = {}
    for row in rows:
        by_sku[row.sku] = by_sku.get(row.sku, 0) + row.quantity
    return [AllocationRow("", sku, quantity) for sku, quantity in by_sku.items()]
