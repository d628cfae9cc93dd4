"""What an order keeps about operations' actions and its transfers' troubles (one field of the
order's progress, `OrderProgress.ops`): requests seen and their answers (a repeat answers the
same), every transfer started, when each was flagged late, which are lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.contracts.orders import OrderStatus
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.transfers import TransferInput


@dataclass(frozen=True)
class LostTransferPolicy:
    """When a late transfer counts as lost, and what promise an automatic re-route may make
    (worker settings, read once per order through an activity)."""

    lost_after_seconds: int
    promise_days: int


@dataclass
class OperationsLog:
    # request_id -> what it asked (rules.fingerprint); its answer or refusal once given.
    asked: dict[str, str] = field(default_factory=dict)
    answers: dict[str, OrderStatus] = field(default_factory=dict)
    refusals: dict[str, Refusal] = field(default_factory=dict)
    # Every transfer the order started, by id (what it moves, from where, for which reservation).
    transfers: dict[str, TransferInput] = field(default_factory=dict)
    # Transfers flagged late by their workflow, and when.
    late_since: dict[str, datetime] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)  # past the second deadline (handled once)
    waiting: list[str] = field(default_factory=list)  # lost, no source took over: operations
    given_up_sources: list[str] = field(default_factory=list)  # never asked again
    policy: LostTransferPolicy | None = None
    reroutes: int = 0
    rerouted: dict[str, list[str]] = field(default_factory=dict)  # reservation -> its skus
    rerouting: bool = False  # a re-route is under way (one at a time)
    lockouts: int = 0
    lock_shown: bool = False  # PickupLocked was set (so an unlock clears it)
