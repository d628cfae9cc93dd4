"""Payload encryption in tests: a fixed test key (the workflow tests and the replay test use it,
as the worker and the gateway use theirs), and what a history shows to someone reading it
without the codec."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from typing import TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter

from services.common.codec import CodecSettings, data_converter

TEST_KEY_ID = "test-1"
Found = TypeVar("Found", bound=Message)


def key_entry(key_id: str, seed: int) -> str:
    """``kid:base64key`` for a 32-byte key made from ``seed`` (tests only: not secret)."""
    return f"{key_id}:{base64.b64encode(bytes((seed + i) % 256 for i in range(32))).decode()}"


TEST_CODEC = CodecSettings(keys=SecretStr(key_entry(TEST_KEY_ID, 1)), key_id=TEST_KEY_ID)


def with_test_key() -> DataConverter:
    return data_converter(TEST_CODEC)


def found_in(message: Message, kind: type[Found]) -> Iterator[Found]:
    """Every message of ``kind`` anywhere inside a protobuf message (events, failures, maps,
    lists), outermost first."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values: Iterable[object] = value.values()
        elif field.is_repeated:
            values = value
        else:
            values = [value]
        for item in values:
            if isinstance(item, kind):
                yield item
            if isinstance(item, Message) and not isinstance(item, Payload):
                yield from found_in(item, kind)


def payloads_in(message: Message) -> Iterator[Payload]:
    return found_in(message, Payload)


def failures_in(history: WorkflowHistory) -> list[Failure]:
    """Every failure the history keeps (a failure's causes are failures inside it)."""
    return [failure for event in history.events for failure in found_in(event, Failure)]


def shown(history: WorkflowHistory) -> list[bytes]:
    """What a reader without the codec sees: every payload's data as stored, and the history's
    JSON (failure messages, names, ids) with the payloads' data left out."""
    found = []
    for event in history.events:
        found += [payload.data for payload in payloads_in(event)]
        copy = type(event)()
        copy.CopyFrom(event)
        for payload in payloads_in(copy):
            payload.data = b""
        found.append(json_format.MessageToJson(copy).encode())
    return found


def secrets_shown(history: WorkflowHistory, secrets: Iterable[str]) -> set[str]:
    """The secrets a reader without the codec finds in the history. A short one (a pickup code)
    is looked for as a JSON or protobuf string, where a random run of digits will not match."""
    seen = shown(history)
    found = set()
    for secret in secrets:
        raw = secret.encode()
        needles = [raw] if len(raw) > 8 else [b'"' + raw + b'"', bytes([len(raw)]) + raw]
        if any(needle in text for text in seen for needle in needles):
            found.add(secret)
    return found


def encrypted(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == b"binary/encrypted"
