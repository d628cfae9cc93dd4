"""On the stack `make run` starts, an order's history in Temporal holds no pickup code, e-mail,
phone or card token for whoever reads it without the codec, while operations read it decrypted:
the Temporal UI through the codec server it was started with, the `temporal` CLI with the
codec endpoint and token of var/demo.env. Without the token the codec server decodes nothing."""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.error
import urllib.request
import uuid
from typing import Any

import grpc
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client

from clickcollect.gateway.v1 import checkout_pb2, store_ops_pb2
from clickcollect.gateway.v1 import order_views_pb2 as pb
from deploy.local.run import codec_environment
from deploy.local.stack import Stack
from deploy.local.stack_config import BIN
from tests.e2e.profiles_support import a_profile, new_customer, new_phone, update
from tests.support.codec import encrypted, secrets_shown
from tests.support.gateway import Caller

SHIRT = "TSHIRT-WHT-M"
CARD = "pm_card_visa"


async def collected(customer: Caller, terminal: Caller, email: str) -> tuple[str, str]:
    """An order placed, picked and collected with its code: (order id, code)."""
    order = await customer.place((SHIRT, 1), customer_email=email)
    assert order.state == pb.ORDER_STATE_AWAITING_PICK
    oid = order.order_id
    mark = store_ops_pb2.MarkPickedRequest(request_id=f"p-{oid}", order_id=oid)
    await terminal.store_ops.MarkPicked(mark, metadata=terminal.metadata)
    read = checkout_pb2.GetOrderRequest(order_id=order.order_id)
    code = (await customer.checkout.GetOrder(read, metadata=customer.metadata)).order.pickup_code
    handover = store_ops_pb2.ConfirmPickupRequest(
        request_id=f"h-{order.order_id}",
        order_id=order.order_id,
        pickup_code=code,
        collector_name="Ada Lovelace",
    )
    done = await terminal.store_ops.ConfirmPickup(handover, metadata=terminal.metadata)
    assert done.order.state == pb.ORDER_STATE_PICKED_UP
    return order.order_id, code


def post(url: str, body: bytes, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, body, {"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers.items()), refused.read()


def ui_codec_endpoint(stack: Stack) -> Any:
    """The codec endpoint the Temporal UI was started with, from the UI's own settings."""
    url = f"http://127.0.0.1:{stack.config.temporal_ui_port}/api/v1/settings"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())["Codec"]["Endpoint"]


async def test_an_orders_history_hides_its_secrets_but_the_codec_server_shows_them_to_operations(
    stack: Stack, gateway_channel: grpc.aio.Channel, terminal: Caller
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    email, phone = f"{customer_id}@example.com", new_phone()
    await update(customer, a_profile(email, phone))
    order_id, code = await collected(customer, terminal, email)

    raw = await Client.connect(stack.config.temporal_address)  # no codec: what Temporal keeps
    history = await raw.get_workflow_handle(f"order-{order_id}").fetch_history()
    assert secrets_shown(history, [code, email, phone, CARD]) == set()
    started = history.events[0].workflow_execution_started_event_attributes.input
    assert [encrypted(p) for p in started.payloads] == [True]

    body = json_format.MessageToJson(started).encode()
    endpoint = ui_codec_endpoint(stack)
    assert endpoint == f"{stack.config.codec_url}/{stack.codec.token}"
    ui_origin = f"http://127.0.0.1:{stack.config.temporal_ui_port}"
    status, headers, decoded = await asyncio.to_thread(
        post, f"{endpoint}/decode", body, origin=ui_origin, x_namespace="default"
    )
    assert status == 200 and headers["Access-Control-Allow-Origin"] == ui_origin
    [order] = json_format.Parse(decoded, Payloads()).payloads
    assert json.loads(order.data)["customer_email"] == email

    status, _, refused = await asyncio.to_thread(post, f"{stack.config.codec_url}/decode", body)
    assert status == 401 and email.encode() not in refused


async def shown_by_cli(stack: Stack, workflow_id: str, env: dict[str, str]) -> str:
    process = await asyncio.create_subprocess_exec(
        str(BIN / "temporal"),
        "workflow",
        "show",
        "--workflow-id",
        workflow_id,
        "--output",
        "json",
        "--address",
        stack.config.temporal_address,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output
    return output.decode()


def started_input(shown: str) -> dict[str, bytes]:
    """The order's input as `temporal workflow show -o json` printed it (base64 decoded)."""
    started = json.loads(shown)["events"][0]["workflowExecutionStartedEventAttributes"]
    [payload] = started["input"]["payloads"]
    return {
        "encoding": base64.b64decode(payload["metadata"]["encoding"]),
        "data": base64.b64decode(payload["data"]),
    }


async def test_the_cli_shows_payloads_decrypted_with_demo_envs_codec_settings(
    stack: Stack, customer: Caller, terminal: Caller
) -> None:
    email = f"cli-{uuid.uuid4().hex[:8]}@example.com"
    order_id, _ = await collected(customer, terminal, email)
    plain_env = {"PATH": "/usr/bin:/bin", "HOME": str(stack.config.var_dir)}

    without = await shown_by_cli(stack, f"order-{order_id}", plain_env)
    with_codec = {**plain_env, **codec_environment(stack.config)}
    shown = await shown_by_cli(stack, f"order-{order_id}", with_codec)
    assert email not in without and started_input(without)["encoding"] == b"binary/encrypted"
    decrypted = started_input(shown)
    assert decrypted["encoding"] == b"json/plain"
    assert json.loads(decrypted["data"])["customer_email"] == email
