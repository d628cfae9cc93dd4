"""Payment rules (holds, captures, re-authorization, refunds) and the sandbox provider."""

from __future__ import annotations

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument, Violations
from services.orders.orders.domain import Money
from services.orders.payments.domain import (
    Movement,
    PaymentOperation,
    PaymentStatus,
    capture_to_refund,
    check_amount,
    check_can_authorize,
    current_hold,
    hold_to_capture,
    hold_to_reauthorize,
    hold_to_reduce,
    hold_to_void,
    refundable,
    validate_amount,
)
from services.orders.payments.provider import SandboxProvider, provider_for

OK, DECLINED = PaymentStatus.SUCCEEDED, PaymentStatus.DECLINED
AUTH, CAPTURE, VOID = PaymentOperation.AUTHORIZE, PaymentOperation.CAPTURE, PaymentOperation.VOID
REVERSE, REFUND = PaymentOperation.REVERSE, PaymentOperation.REFUND


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def movement(
    pid: str, op: PaymentOperation, minor: int, status: PaymentStatus = OK, auth: str = ""
) -> Movement:
    return Movement(pid, op, status, eur(minor), f"ref-{pid}", auth)


def test_capture_draws_on_the_latest_successful_authorization() -> None:
    ledger = [movement("a1", AUTH, 1000, DECLINED), movement("a2", AUTH, 1000)]
    assert hold_to_capture(ledger, eur(1000)).payment_id == "a2"


def test_captures_together_stay_within_the_authorized_amount() -> None:
    ledger = [movement("a", AUTH, 1000), movement("c1", CAPTURE, 600, auth="a")]
    hold_to_capture(ledger, eur(400))

    with pytest.raises(FailedPrecondition) as refused:
        hold_to_capture(ledger, eur(401))

    assert refused.value.reason == "CAPTURE_EXCEEDS_AUTHORIZATION"
    assert refused.value.metadata["captured_minor"] == "600"


@pytest.mark.parametrize(
    "ledger",
    [
        [],
        [movement("a", AUTH, 1000, DECLINED)],
        [movement("a", AUTH, 1000), movement("v", VOID, 1000, auth="a")],
    ],
)
def test_capture_needs_a_live_authorization(ledger: list[Movement]) -> None:
    with pytest.raises(FailedPrecondition) as refused:
        hold_to_capture(ledger, eur(1))
    assert refused.value.reason == "NO_AUTHORIZATION"


def test_one_hold_at_a_time_but_a_new_one_after_a_void() -> None:
    held = [movement("a", AUTH, 1000)]
    with pytest.raises(FailedPrecondition) as refused:
        check_can_authorize(held)
    assert refused.value.reason == "ALREADY_AUTHORIZED"

    check_can_authorize([movement("a", AUTH, 1000, DECLINED)])
    check_can_authorize([*held, movement("v", VOID, 1000, auth="a")])


def test_reversal_releases_at_most_what_is_held_and_not_captured() -> None:
    ledger = [movement("a", AUTH, 1000), movement("c", CAPTURE, 300, auth="a")]
    assert hold_to_reduce(ledger, eur(700)).payment_id == "a"

    with pytest.raises(FailedPrecondition) as refused:
        hold_to_reduce([*ledger, movement("r", REVERSE, 500, auth="a")], eur(201))

    assert refused.value.reason == "REVERSAL_EXCEEDS_AUTHORIZATION"
    assert refused.value.metadata == {
        "authorized_minor": "1000",
        "captured_minor": "300",
        "reversed_minor": "500",
        "requested_minor": "201",
    }


def test_declined_reversals_release_nothing() -> None:
    ledger = [movement("a", AUTH, 1000), movement("r", REVERSE, 600, DECLINED, auth="a")]
    assert hold_to_reduce(ledger, eur(1000)).payment_id == "a"


@pytest.mark.parametrize(
    "ledger",
    [
        [],
        [movement("a", AUTH, 1000, DECLINED)],
        [movement("a", AUTH, 1000), movement("v", VOID, 1000, auth="a")],
    ],
)
def test_reversal_needs_a_live_authorization(ledger: list[Movement]) -> None:
    with pytest.raises(FailedPrecondition) as refused:
        hold_to_reduce(ledger, eur(1))
    assert refused.value.reason == "NO_AUTHORIZATION"


def test_capture_after_a_reversal_takes_at_most_what_is_left() -> None:
    ledger = [movement("a", AUTH, 1000), movement("r", REVERSE, 400, auth="a")]
    hold_to_capture(ledger, eur(600))

    with pytest.raises(FailedPrecondition) as refused:
        hold_to_capture(ledger, eur(601))

    assert refused.value.reason == "CAPTURE_EXCEEDS_AUTHORIZATION"
    assert refused.value.metadata["reversed_minor"] == "400"


def test_void_without_authorization_has_nothing_to_do() -> None:
    assert hold_to_void([]) is None


def test_void_after_a_capture_is_refused() -> None:
    with pytest.raises(FailedPrecondition) as refused:
        hold_to_void([movement("a", AUTH, 1000), movement("c", CAPTURE, 1, auth="a")])
    assert refused.value.reason == "ALREADY_CAPTURED"


def test_second_void_finds_the_first() -> None:
    ledger = [movement("a", AUTH, 1000), movement("v", VOID, 1000, auth="a")]
    hold = hold_to_void(ledger)
    assert hold is not None and hold.void is not None and hold.void.payment_id == "v"
    assert current_hold(ledger) == hold


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        (Money(0, "EUR"), "amount.amount_minor"),
        (Money(5, "USD"), "amount.currency_code"),
        (Money(5, "eur"), "amount.currency_code"),
    ],
)
def test_amount_must_be_positive_in_the_order_currency(amount: Money, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_amount(amount, "EUR")
    assert [v.field for v in refused.value.violations] == [field]


@pytest.mark.parametrize("card", ["pm_card_visa", "pm_card_mastercard", "pm_card_amex_3ds"])
def test_sandbox_approves_card_tokens(card: str) -> None:
    result = SandboxProvider().authorize(eur(1000), card, "key-1")
    assert result.approved and result.reference and not result.decline_reason


@pytest.mark.parametrize(
    ("card", "reason"),
    [("pm_card_declined", "card_declined"), ("pm_card_insufficient_funds", "insufficient_funds")],
)
def test_sandbox_declines_the_documented_cards(card: str, reason: str) -> None:
    result = SandboxProvider().authorize(eur(1000), card, "key-1")
    assert not result.approved and result.decline_reason == reason


@pytest.mark.parametrize(
    "card", ["", "pm_card_", "4242424242424242", "pm_sepa_debit", "pm_card_visa\n"]
)
def test_sandbox_refuses_malformed_payment_methods(card: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        SandboxProvider().authorize(eur(1000), card, "key-1")
    assert [v.field for v in refused.value.violations] == ["payment_method"]


def test_sandbox_answers_a_repeated_key_with_the_same_reference() -> None:
    sandbox = SandboxProvider()
    first = sandbox.capture("ref-a", eur(10), "key-1")
    assert sandbox.capture("ref-a", eur(10), "key-1") == first
    assert sandbox.capture("ref-a", eur(10), "key-2") != first


def test_sandbox_approves_reversals_with_a_reference_per_key() -> None:
    sandbox = SandboxProvider()
    first = sandbox.reverse("ref-a", eur(10), "key-1")
    assert first.approved and first.reference
    assert sandbox.reverse("ref-a", eur(10), "key-1") == first
    assert sandbox.reverse("ref-a", eur(10), "key-2") != first


def test_sandbox_moves_money_once_per_key_and_operation() -> None:
    sandbox = SandboxProvider()
    first = sandbox.refund("ref-c", eur(10), "key-1")
    assert sandbox.refund("ref-c", eur(10), "key-1") == first
    sandbox.refund("ref-c", eur(20), "key-2")
    sandbox.capture("ref-a", eur(30), "key-1")

    assert [(t.idempotency_key, t.amount_minor) for t in sandbox.moved_by("refund")] == [
        ("key-1", 10),
        ("key-2", 20),
    ]
    assert [t.operation for t in sandbox.moved] == ["refund", "refund", "capture"]


def test_sandbox_declines_move_nothing_and_are_answered_again() -> None:
    sandbox = SandboxProvider()
    first = sandbox.authorize(eur(1000), "pm_card_declined", "key-1")
    assert sandbox.authorize(eur(1000), "pm_card_declined", "key-1") == first
    assert sandbox.moved == []


def test_provider_is_chosen_by_name_and_unknown_names_fail_at_start() -> None:
    assert provider_for("sandbox").name == "sandbox"
    with pytest.raises(ValueError, match="unknown payment provider"):
        provider_for("acme-pay")


def test_after_a_reauthorization_the_new_hold_is_current() -> None:
    ledger = [
        movement("a1", AUTH, 1000),
        movement("a2", AUTH, 1000),
        movement("v1", VOID, 1000, auth="a1"),
    ]

    hold = current_hold(ledger)

    assert hold is not None and hold.authorization.payment_id == "a2" and hold.void is None
    assert hold_to_capture(ledger, eur(1000)).payment_id == "a2"
    with pytest.raises(FailedPrecondition) as refused:
        check_can_authorize(ledger)
    assert refused.value.reason == "ALREADY_AUTHORIZED"


def test_when_every_hold_is_voided_the_newest_is_current() -> None:
    ledger = [
        movement("a1", AUTH, 1000),
        movement("a2", AUTH, 1000),
        movement("v1", VOID, 1000, auth="a1"),
        movement("v2", VOID, 1000, auth="a2"),
    ]
    hold = current_hold(ledger)
    assert hold is not None and hold.authorization.payment_id == "a2"
    assert hold.void is not None and hold.void.payment_id == "v2"
    check_can_authorize(ledger)


def test_reauthorization_is_for_what_the_hold_still_holds() -> None:
    ledger = [movement("a", AUTH, 3000), movement("r", REVERSE, 500, auth="a")]

    hold = hold_to_reauthorize(ledger)

    assert hold.authorization.payment_id == "a"
    assert hold.remaining == eur(2500)


@pytest.mark.parametrize(
    "ledger",
    [
        [],
        [movement("a", AUTH, 1000, DECLINED)],
        [movement("a", AUTH, 1000), movement("v", VOID, 1000, auth="a")],
        [movement("a", AUTH, 1000), movement("r", REVERSE, 1000, auth="a")],
    ],
    ids=["nothing", "declined", "voided", "all-released"],
)
def test_reauthorization_needs_a_live_hold(ledger: list[Movement]) -> None:
    with pytest.raises(FailedPrecondition) as refused:
        hold_to_reauthorize(ledger)
    assert refused.value.reason == "NO_AUTHORIZATION"


def test_reauthorization_after_a_capture_is_refused() -> None:
    with pytest.raises(FailedPrecondition) as refused:
        hold_to_reauthorize([movement("a", AUTH, 1000), movement("c", CAPTURE, 1, auth="a")])
    assert refused.value.reason == "ALREADY_CAPTURED"


def test_partial_refunds_add_up_to_at_most_what_was_captured() -> None:
    ledger = [
        movement("a", AUTH, 3000),
        movement("c", CAPTURE, 2000, auth="a"),
        movement("f1", REFUND, 500, auth="a"),
        movement("f2", REFUND, 700, auth="a"),
    ]
    assert capture_to_refund(ledger, eur(800)).payment_id == "c"

    with pytest.raises(FailedPrecondition) as refused:
        capture_to_refund(ledger, eur(801))

    assert refused.value.reason == "REFUND_EXCEEDS_CAPTURE"
    assert refused.value.metadata == {
        "captured_minor": "2000",
        "refunded_minor": "1200",
        "requested_minor": "801",
    }


@pytest.mark.parametrize(
    "ledger",
    [
        [],
        [movement("a", AUTH, 1000)],
        [movement("a", AUTH, 1000), movement("c", CAPTURE, 1000, DECLINED, auth="a")],
    ],
    ids=["nothing", "authorized-only", "capture-declined"],
)
def test_refund_with_nothing_captured_is_refused(ledger: list[Movement]) -> None:
    with pytest.raises(FailedPrecondition) as refused:
        capture_to_refund(ledger, eur(1))
    assert refused.value.reason == "REFUND_EXCEEDS_CAPTURE"
    assert refused.value.metadata["captured_minor"] == "0"


def test_refundable_counts_captures_of_every_authorization_and_ignores_declined_refunds() -> None:
    ledger = [
        movement("a1", AUTH, 1000),
        movement("c1", CAPTURE, 1000, auth="a1"),
        movement("a2", AUTH, 500),
        movement("c2", CAPTURE, 500, auth="a2"),
        movement("f1", REFUND, 300, auth="a1"),
        movement("f2", REFUND, 900, DECLINED, auth="a2"),
    ]

    assert refundable(ledger).remaining_minor == 1200
    assert capture_to_refund(ledger, eur(1200)).payment_id == "c2"


def test_a_refund_of_one_minor_unit_is_the_last_one_the_capture_allows() -> None:
    ledger = [
        movement("a", AUTH, 1000),
        movement("c", CAPTURE, 1000, auth="a"),
        movement("f", REFUND, 999, auth="a"),
    ]
    assert capture_to_refund(ledger, eur(1)).payment_id == "c"

    for too_much in (eur(2), eur(0)):
        with pytest.raises(FailedPrecondition) as refused:
            capture_to_refund(ledger, too_much)
        assert refused.value.reason == "REFUND_EXCEEDS_CAPTURE"
        assert refused.value.message == (
            f"refund of {too_much.amount_minor} exceeds the 1 captured and not yet refunded"
        )


def test_a_refund_goes_back_through_the_newest_successful_capture() -> None:
    ledger = [
        movement("a", AUTH, 1000),
        movement("c1", CAPTURE, 600, auth="a"),
        movement("c2", CAPTURE, 400, auth="a"),
        movement("c3", CAPTURE, 400, DECLINED, auth="a"),
    ]
    assert capture_to_refund(ledger, eur(1000)).payment_id == "c2"


def test_a_reversal_may_release_exactly_what_is_left_but_not_nothing() -> None:
    ledger = [movement("a", AUTH, 1000), movement("c", CAPTURE, 999, auth="a")]
    assert hold_to_reduce(ledger, eur(1)).payment_id == "a"

    with pytest.raises(FailedPrecondition) as refused:
        hold_to_reduce(ledger, eur(0))
    assert refused.value.reason == "REVERSAL_EXCEEDS_AUTHORIZATION"
    assert refused.value.message == "releasing 0 exceeds the 1 still held"


def test_a_capture_beyond_the_hold_names_the_hold_and_the_request() -> None:
    ledger = [movement("a", AUTH, 1000), movement("c", CAPTURE, 999, auth="a")]
    assert hold_to_capture(ledger, eur(1)).payment_id == "a"

    with pytest.raises(FailedPrecondition) as refused:
        hold_to_capture(ledger, eur(2))
    assert refused.value.message == "capture of 2 exceeds the 1 still authorized"
    assert refused.value.metadata == {
        "authorized_minor": "1000",
        "captured_minor": "999",
        "reversed_minor": "0",
        "requested_minor": "2",
    }


def test_refusals_name_the_authorization_they_concern() -> None:
    held = [movement("a", AUTH, 1000)]
    captured = [*held, movement("c", CAPTURE, 1, auth="a")]
    with pytest.raises(FailedPrecondition) as already:
        check_can_authorize(held)
    with pytest.raises(FailedPrecondition) as voided_late:
        hold_to_void(captured)
    with pytest.raises(FailedPrecondition) as reauthorized_late:
        hold_to_reauthorize(captured)
    with pytest.raises(FailedPrecondition) as nothing_held:
        hold_to_capture([], eur(1))

    assert already.value.metadata == {"payment_id": "a"}
    assert "void it first" in already.value.message
    assert voided_late.value.metadata == {"payment_id": "a"}
    assert "refund instead" in voided_late.value.message
    assert reauthorized_late.value.metadata == {
        "payment_id": "a",
        "authorized_minor": "1000",
        "captured_minor": "1",
        "reversed_minor": "0",
    }
    assert nothing_held.value.message == "the order holds no authorization to capture"


def test_an_exhausted_hold_names_its_figures_when_reauthorized() -> None:
    ledger = [movement("a", AUTH, 1000), movement("r", REVERSE, 1000, auth="a")]
    with pytest.raises(FailedPrecondition) as refused:
        hold_to_reauthorize(ledger)
    assert refused.value.metadata == {
        "payment_id": "a",
        "authorized_minor": "1000",
        "captured_minor": "0",
        "reversed_minor": "1000",
    }
    one_left = [movement("a", AUTH, 1000), movement("r", REVERSE, 999, auth="a")]
    assert hold_to_reauthorize(one_left).remaining == eur(1)


def test_a_void_lets_go_of_an_uncaptured_hold_and_finds_a_voided_one_again() -> None:
    held = [movement("a", AUTH, 1000)]
    hold = hold_to_void(held)
    assert hold is not None and hold.authorization.payment_id == "a" and hold.void is None

    captured_then_voided = [
        *held,
        movement("c", CAPTURE, 1, auth="a"),
        movement("v", VOID, 999, auth="a"),
    ]
    again = hold_to_void(captured_then_voided)
    assert again is not None and again.void is not None and again.void.payment_id == "v"


def test_one_minor_unit_in_any_currency_passes_when_the_order_currency_is_unknown() -> None:
    errors = Violations()
    check_amount(errors, Money(1, "USD"))
    check_amount(errors, Money(0, "usd"), field="refund")
    assert [(v.field, v.description) for v in errors.items] == [
        ("refund.amount_minor", "must be greater than 0"),
        ("refund.currency_code", "must be an ISO 4217 code like EUR"),
    ]
    validate_amount(Money(1, "EUR"), "EUR")
    with pytest.raises(InvalidArgument) as refused:
        validate_amount(Money(1, "USD"), "EUR")
    assert refused.value.reason == "INVALID_AMOUNT"
    assert refused.value.violations[0].description == "the order is in EUR"


def test_each_refusal_tells_the_caller_what_happened() -> None:
    held = [movement("a", AUTH, 1000)]
    captured = [*held, movement("c", CAPTURE, 1, auth="a")]
    released = [*held, movement("r", REVERSE, 1000, auth="a")]
    cases = [
        (
            lambda: check_can_authorize(held),
            "the order already holds an authorization; void it first",
        ),
        (
            lambda: hold_to_void(captured),
            "money was already captured on this authorization; refund instead",
        ),
        (
            lambda: hold_to_reauthorize(captured),
            "money was already captured on this authorization; it cannot be re-authorized",
        ),
        (
            lambda: hold_to_reauthorize(released),
            "the authorization holds nothing any more to re-authorize",
        ),
        (lambda: hold_to_reauthorize([]), "the order holds no authorization to re-authorize"),
        (lambda: hold_to_reduce([], eur(1)), "the order holds no authorization to reduce"),
    ]
    for refused_call, message in cases:
        with pytest.raises(FailedPrecondition) as refused:
            refused_call()
        assert refused.value.message == message


def test_a_live_hold_stays_current_when_a_newer_one_was_voided() -> None:
    ledger = [
        movement("a1", AUTH, 1000),
        movement("a2", AUTH, 1000),
        movement("v2", VOID, 1000, auth="a2"),
    ]

    hold = current_hold(ledger)

    assert hold is not None and hold.authorization.payment_id == "a1" and hold.void is None
