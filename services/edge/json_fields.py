"""The fields a JSON request may name, read from the descriptor set the transcoder reads, for
the Lua filter that refuses any other (json_fields.lua): Envoy's transcoder drops an unknown
JSON field without a word, and a web shop would never learn its typo."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2

LUA_CODE = Path(__file__).with_name("json_fields.lua")
F = descriptor_pb2.FieldDescriptorProto
# Rendered in JSON as a string or as anything at all: nothing to check inside.
UNCHECKED_PACKAGES = ("google.protobuf.",)
VARIABLE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*(=\*)?\}")
LUA_MAGIC = re.compile(r"([\^$()%.\[\]*+\-?])")


@dataclass(frozen=True)
class BodyRule:
    """A request with a JSON body: its HTTP method, a Lua pattern of its path, its message."""

    method: str
    pattern: str
    message: str


@dataclass(frozen=True)
class Field:
    name: str
    message: str | None
    is_map: bool


def lua_filter_code(descriptor_set: Path, services: Iterable[str]) -> str:
    files = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes()).file
    messages = _messages(files)
    rules = _body_rules(files, set(services), messages)
    reachable = _reachable([rule.message for rule in rules], messages)
    return "\n".join(
        [
            "local RULES = {",
            *(f"  {{{_lua(r.method)}, {_lua(r.pattern)}, {_lua(r.message)}}}," for r in rules),
            "}",
            "local MESSAGES = {",
            *(_lua_message(name, messages[name]) for name in sorted(reachable)),
            "}",
            LUA_CODE.read_text(encoding="utf-8"),
        ]
    )


def path_pattern(template: str) -> str:
    """A google.api.http path template as an anchored Lua pattern: `/v1/orders/{order_id}:cancel`
    → `^/v1/orders/[^/]+:cancel$`."""
    parts = VARIABLE.split(template)
    if any("{" in part or "*" in part for part in parts[::2]):
        raise ValueError(f"path template not supported at the edge: {template}")
    literals = [LUA_MAGIC.sub(r"%\1", part) for part in parts[::2]]
    return "^" + "[^/]+".join(literals) + "$"


def _messages(
    files: Iterable[descriptor_pb2.FileDescriptorProto],
) -> dict[str, dict[str, Field]]:
    found: dict[str, dict[str, Field]] = {}
    for file in files:
        for message in file.message_type:
            _add(found, f"{file.package}.{message.name}", message)
    return found


def _add(
    found: dict[str, dict[str, Field]], name: str, message: descriptor_pb2.DescriptorProto
) -> None:
    entries = {f".{name}.{nested.name}": nested for nested in message.nested_type}
    for nested in message.nested_type:
        _add(found, f"{name}.{nested.name}", nested)
    fields: dict[str, Field] = {}
    for field in message.field:
        entry = entries.get(field.type_name)
        if entry is not None and entry.options.map_entry:
            value = next(f for f in entry.field if f.name == "value")
            described = Field(field.name, _message_of(value), is_map=True)
        else:
            described = Field(field.name, _message_of(field), is_map=False)
        fields[field.name] = described
        fields[field.json_name or field.name] = described
    found[name] = fields


def _message_of(field: descriptor_pb2.FieldDescriptorProto) -> str | None:
    """The message a field holds, when it is one whose JSON has fields of its own."""
    if field.type != F.TYPE_MESSAGE:
        return None
    name = field.type_name.lstrip(".")
    return None if name.startswith(UNCHECKED_PACKAGES) else name


def _body_rules(
    files: Iterable[descriptor_pb2.FileDescriptorProto],
    services: set[str],
    messages: dict[str, dict[str, Field]],
) -> list[BodyRule]:
    rules = []
    for file in files:
        for service in file.service:
            if f"{file.package}.{service.name}" not in services:
                continue
            for method in service.method:
                http = method.options.Extensions[annotations_pb2.http]
                for binding in [http, *http.additional_bindings]:
                    rule = _body_rule(binding, method.input_type.lstrip("."), messages)
                    if rule is not None:
                        rules.append(rule)
    return rules


def _body_rule(
    http: http_pb2.HttpRule, message: str, messages: dict[str, dict[str, Field]]
) -> BodyRule | None:
    kind = http.WhichOneof("pattern")
    if kind is None or kind == "custom" or not http.body:
        return None
    if http.body != "*":
        message = messages[message][http.body].message or ""
    return BodyRule(kind.upper(), path_pattern(getattr(http, kind)), message)


def _reachable(roots: list[str], messages: dict[str, dict[str, Field]]) -> set[str]:
    seen: set[str] = set()
    todo = [root for root in roots if root in messages]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [f.message for f in messages[name].values() if f.message in messages]
    return seen


def _lua_message(name: str, fields: dict[str, Field]) -> str:
    entries = []
    for key, field in sorted(fields.items()):
        parts = [f"name = {_lua(field.name)}"]
        if field.message:
            parts.append(f"message = {_lua(field.message)}")
        if field.is_map:
            parts.append("map = true")
        entries.append(f"[{_lua(key)}] = {{{', '.join(parts)}}}")
    return f"  [{_lua(name)}] = {{{', '.join(entries)}}},"


def _lua(text: str) -> str:
    """A Lua string literal (our names and patterns are plain ASCII)."""
    if not text.isascii():
        raise ValueError(f"not ASCII: {text!r}")
    return json.dumps(text)
