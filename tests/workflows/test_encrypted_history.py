"""Whoever reads an order's history in Temporal without the codec (the server's database, a UI
without the codec server) finds no pickup code, e-mail address, phone number or payment token:
the payloads are encrypted. With the codec, the same history replays."""

from __future__ import annotations

import grpc
from temporalio.client import Client, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from clickcollect.orders.v1 import customers_pb2_grpc
from tests.support.codec import encrypted, payloads_in, secrets_shown, with_test_key
from tests.support.customers import a_profile, saved
from tests.support.services import Services
from tests.workflows.conftest import HISTORIES, an_order, place
from workflows.contracts.orders import ConfirmPickupInput, MarkPickedInput
from workflows.order.workflow import OrderWorkflow
from workflows.worker import WORKFLOWS, workflow_runner

EMAIL, CARD = "ada@example.com", "pm_card_visa"
PHONES = ("+31 6 1234 5678", "+31612345678", "612345678")


def without_codec(client: Client) -> Client:
    """The same server, read as someone without the keys reads it."""
    return Client(client.service_client, namespace=client.namespace)


async def collected_order_history(
    env: WorkflowEnvironment, services: Services
) -> tuple[WorkflowHistory, str]:
    """An order of a customer with a profile (e-mail, phone), placed, picked and collected with
    its pickup code: its history as read without the codec, and the code."""
    async with grpc.aio.insecure_channel(services.targets["orders"]) as channel:
        await saved(customers_pb2_grpc.CustomerServiceStub(channel), a_profile())
    handle, decision = await place(env, an_order(customer_email=EMAIL, payment_method=CARD))
    assert decision.accepted
    await handle.execute_update(
        OrderWorkflow.mark_picked, MarkPickedInput("pick-0001", "terminal-1")
    )
    code = (await services.order(decision.order_id)).pickup_code
    confirm = ConfirmPickupInput("handover-0001", code, "Ada Lovelace")
    assert (await handle.execute_update(OrderWorkflow.confirm_pickup, confirm)).state == (
        "PICKED_UP"
    )
    await handle.result()
    raw = without_codec(env.client).get_workflow_handle(handle.id)
    return await raw.fetch_history(), code


async def test_a_collected_orders_history_shows_no_code_address_phone_or_card(
    env: WorkflowEnvironment, services: Services
) -> None:
    history, code = await collected_order_history(env, services)

    assert secrets_shown(history, [code, EMAIL, CARD, *PHONES]) == set()
    started = history.events[0].workflow_execution_started_event_attributes
    assert [encrypted(p) for p in started.input.payloads] == [True]
    assert sum(encrypted(p) for event in history.events for p in payloads_in(event)) >= 10


async def test_the_encrypted_history_replays_with_the_codec_and_not_without(
    env: WorkflowEnvironment, services: Services
) -> None:
    history, _ = await collected_order_history(env, services)

    ours = Replayer(
        workflows=WORKFLOWS, workflow_runner=workflow_runner(), data_converter=with_test_key()
    )
    assert (await ours.replay_workflow(history)).replay_failure is None
    keyless = Replayer(workflows=WORKFLOWS, workflow_runner=workflow_runner())
    assert (await keyless.replay_workflow(history, raise_on_replay_failure=False)).replay_failure


def test_the_check_finds_them_in_a_history_recorded_before_encryption() -> None:
    """The search above would see plain payloads: a history recorded unencrypted shows all."""
    path = HISTORIES / "v7_picked_up.json"
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    assert secrets_shown(history, [EMAIL, CARD]) == {EMAIL, CARD}
