"""The validators of operations' updates and the field checks on what a person may type into an
order's updates: each refusal names the field (INVALID_ARGUMENT) or the state
(FAILED_PRECONDITION); a repeat of a request already taken passes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError

from services.common.order_states import OrderState
from workflows.contracts.operations import (
    ForceCancelInput,
    RerouteInput,
    ResendNotificationInput,
    UnlockInput,
)
from workflows.contracts.orders import (
    CancelInput,
    ConfirmPickupInput,
    Decision,
    MarkPickedInput,
    OrderLineInput,
    PlaceOrderInput,
)
from workflows.contracts.refusal import Refusal
from workflows.contracts.transfers import TransferInput, TransferLineInput
from workflows.order import operations_checks as checks
from workflows.order.operations.rules import fingerprint
from workflows.order.progress import OrderProgress

WHEN = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)


@dataclass
class Child:
    """Stands in for a ShipToStore child's handle: its id, and whether it ended."""

    id: str
    ended: bool = False

    def done(self) -> bool:
        return self.ended


def an_order(state: OrderState = OrderState.AWAITING_PICK, **status: Any) -> OrderProgress:
    order = PlaceOrderInput(
        "ORD-0000000001", "cust-1001", "ada@example.com", "WEB", "STORE-001", "EUR", "pm_card",
        [OrderLineInput("LAMP-DESK-01", "Desk lamp", 1, 3999)],
    )  # fmt: skip
    progress = OrderProgress.of(order)
    progress.decision = Decision(True, order.order_id)
    progress.status.state = progress.recorded_state = state
    for name, value in status.items():
        setattr(progress.status, name, value)
    return progress


def in_transit(*children: Child) -> OrderProgress:
    progress = an_order(OrderState.IN_TRANSIT)
    for child in children:
        progress.ops.transfers[child.id] = TransferInput(
            "ORD-0000000001", child.id, "order-ORD-0000000001", "DC-01", "STORE-001",
            [TransferLineInput("LAMP-DESK-01", 1)], WHEN, WHEN,
        )  # fmt: skip
    progress.children = list(children)  # type: ignore[arg-type]
    return progress


def refused(check: Callable[[], None]) -> Refusal:
    with pytest.raises(ApplicationError) as raised:
        check()
    return Refusal.of(raised.value)


def test_a_force_cancel_needs_a_reason_and_names_the_field() -> None:
    got = refused(lambda: checks.check_force_cancel(an_order(), ForceCancelInput("fc-000001", " ")))
    assert (got.code.value, list(got.violations)) == ("INVALID_ARGUMENT", ["reason"])


@pytest.mark.parametrize("operator", ["anna smith", "x" * 65, "a\nb"])
def test_an_operator_is_an_actor_id(operator: str) -> None:
    request = ForceCancelInput("fc-000001", "fraud", operator)
    got = refused(lambda: checks.check_force_cancel(an_order(), request))
    assert list(got.violations) == ["operator"]


def test_a_malformed_request_id_is_refused_before_anything_else() -> None:
    got = refused(lambda: checks.check_unlock(an_order(), UnlockInput("short", "")))
    assert (got.reason, list(got.violations)) == ("INVALID_REQUEST", ["request_id"])


@pytest.mark.parametrize(
    "state", [OrderState.AWAITING_PICK, OrderState.IN_TRANSIT, OrderState.READY_FOR_PICKUP]
)
def test_force_cancel_is_taken_in_every_state_a_cancel_is(state: OrderState) -> None:
    checks.check_force_cancel(an_order(state), ForceCancelInput("fc-000001", "fraud"))


def test_force_cancel_of_a_finished_order_is_refused_with_its_state() -> None:
    got = refused(
        lambda: checks.check_force_cancel(
            an_order(OrderState.PICKED_UP), ForceCancelInput("fc-000001", "fraud")
        )
    )
    assert (got.reason, got.code.value) == ("ORDER_NOT_CANCELLABLE", "FAILED_PRECONDITION")
    assert got.metadata["state"] == "PICKED_UP"


def test_force_cancel_while_handing_over_is_refused() -> None:
    progress = an_order(OrderState.READY_FOR_PICKUP)
    progress.handover = ConfirmPickupInput("handover-01", "123456", "Ada")
    got = refused(lambda: checks.check_force_cancel(progress, ForceCancelInput("fc-000001", "x")))
    assert (got.reason, got.metadata["state"]) == ("ORDER_BEING_HANDED_OVER", "READY_FOR_PICKUP")


def test_force_cancel_of_an_order_already_being_cancelled_is_refused() -> None:
    progress = an_order()
    progress.cancel_request = CancelInput("cancel-0001", "changed my mind")
    got = refused(lambda: checks.check_force_cancel(progress, ForceCancelInput("fc-000001", "x")))
    assert got.reason == "ORDER_ALREADY_CANCELLING"


def test_a_repeat_passes_whatever_the_state_now_and_a_reuse_is_refused() -> None:
    progress = an_order(OrderState.PICKED_UP)
    first = ForceCancelInput("fc-000001", "fraud")
    progress.ops.asked["fc-000001"] = fingerprint(checks.FORCE_CANCEL, first)
    checks.check_force_cancel(progress, ForceCancelInput("fc-000001", "fraud"))
    got = refused(lambda: checks.check_unlock(progress, UnlockInput("fc-000001", "fraud")))
    assert (got.reason, got.code.value) == ("REQUEST_ID_REUSED", "ALREADY_EXISTS")


def test_unlock_is_refused_with_the_state_when_the_pickup_is_not_locked() -> None:
    got = refused(
        lambda: checks.check_unlock(
            an_order(OrderState.READY_FOR_PICKUP), UnlockInput("unlock-0001", "id checked")
        )
    )
    assert (got.reason, got.metadata["state"]) == ("PICKUP_NOT_LOCKED", "READY_FOR_PICKUP")
    locked = an_order(OrderState.READY_FOR_PICKUP, pickup_locked=True)
    checks.check_unlock(locked, UnlockInput("unlock-0001", "id checked"))


def test_resend_names_the_messages_it_knows() -> None:
    got = refused(
        lambda: checks.check_resend(an_order(), ResendNotificationInput("rs-000001", "hello"))
    )
    assert list(got.violations) == ["message"]
    assert "ready_for_pickup" in got.violations["message"]


def test_resend_of_a_message_never_due_in_this_state_is_refused() -> None:
    request = ResendNotificationInput("rs-000001", "ready_for_pickup")
    got = refused(lambda: checks.check_resend(an_order(), request))
    assert (got.reason, got.metadata["state"]) == ("MESSAGE_NOT_DUE", "AWAITING_PICK")
    ready = an_order(OrderState.READY_FOR_PICKUP)
    ready.pickup_code = "123456"
    checks.check_resend(ready, request)


def test_reroute_needs_an_order_in_transit() -> None:
    got = refused(lambda: checks.check_reroute(an_order(), RerouteInput("rr-000001", "van")))
    assert (got.reason, got.metadata["state"]) == ("ORDER_NOT_IN_TRANSIT", "AWAITING_PICK")


def test_reroute_takes_the_only_open_transfer_when_none_is_named() -> None:
    progress = in_transit(Child("transfer-ORD-0000000001-1"))
    checks.check_reroute(progress, RerouteInput("rr-000001", "van broke down"))


def test_reroute_asks_which_transfer_when_several_are_open() -> None:
    progress = in_transit(Child("transfer-ORD-0000000001-1"), Child("transfer-ORD-0000000001-2"))
    got = refused(lambda: checks.check_reroute(progress, RerouteInput("rr-000001", "van")))
    assert list(got.violations) == ["transfer_id"]


def test_reroute_of_an_unknown_transfer_is_not_found_and_of_an_arrived_one_refused() -> None:
    progress = in_transit(Child("transfer-ORD-0000000001-1", ended=True))
    unknown = RerouteInput("rr-000001", "van", transfer_id="transfer-ORD-9999999999-1")
    assert refused(lambda: checks.check_reroute(progress, unknown)).code.value == "NOT_FOUND"
    arrived = RerouteInput("rr-000001", "van", transfer_id="transfer-ORD-0000000001-1")
    assert refused(lambda: checks.check_reroute(progress, arrived)).reason == "TRANSFER_NOT_OPEN"


@pytest.mark.parametrize("source_id", ["nowhere", "DC-01"])
def test_reroute_to_no_location_or_the_same_source_names_the_field(source_id: str) -> None:
    progress = in_transit(Child("transfer-ORD-0000000001-1"))
    request = RerouteInput("rr-000001", "van", source_id=source_id)
    assert list(refused(lambda: checks.check_reroute(progress, request)).violations) == [
        "source_id"
    ]


def test_one_reroute_at_a_time() -> None:
    progress = in_transit(Child("transfer-ORD-0000000001-1"))
    progress.ops.rerouting = True
    got = refused(lambda: checks.check_reroute(progress, RerouteInput("rr-000001", "van")))
    assert got.reason == "REROUTE_IN_PROGRESS"


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (CancelInput("cancel-0001", "no", "the boss"), "requested_by"),
        (CancelInput("cancel-0001", "x" * 501, "customer"), "reason"),
        (CancelInput("cancel-0001", "bell\x07", "operations"), "reason"),
    ],
)
def test_a_cancel_sent_by_hand_names_who_and_why_within_limits(
    request_: CancelInput, field: str
) -> None:
    assert list(refused(lambda: checks.check_cancel_fields(request_)).violations) == [field]


@pytest.mark.parametrize("name", ["", "Ada\nLovelace", "x" * 101])
def test_a_collector_is_one_named_person(name: str) -> None:
    request = ConfirmPickupInput("handover-01", "123456", name)
    got = refused(lambda: checks.check_handover_fields(request))
    assert list(got.violations) == ["collector_name"]


def test_an_associate_name_fits_the_timeline() -> None:
    request = MarkPickedInput("pick-00001", "x\x00")
    assert list(refused(lambda: checks.check_pick_fields(request)).violations) == ["associate"]
    checks.check_pick_fields(MarkPickedInput("pick-00001", "terminal-001-a"))
