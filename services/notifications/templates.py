"""Message texts from Jinja2 template files: ``templates/<name>.txt.j2``.

A template's first line is ``Subject: ...``, then a blank line, then the body. Rendering is strict:
a parameter the template needs but the caller did not give refuses the message instead of sending
it half filled in.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, UndefinedError, meta

from services.common.errors import FieldViolation, InvalidArgument
from services.notifications.domain import Template

TEMPLATE_DIR = Path(__file__).parent / "templates"
_UNDEFINED_NAME = re.compile(r"'(\w+)' is undefined")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text mail, not HTML
        keep_trailing_newline=True,
    )


def _file(template: Template) -> str:
    return f"{template.value}.txt.j2"


@functools.cache
def template_params(template: Template) -> frozenset[str]:
    """The parameters a template needs (all of them are required)."""
    env = _environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, _file(template))
    return frozenset(meta.find_undeclared_variables(env.parse(source)))


def render(template: Template, params: dict[str, str]) -> Rendered:
    """Subject and body; INVALID_ARGUMENT/MISSING_TEMPLATE_PARAM naming what is missing."""
    missing = sorted(template_params(template) - params.keys())
    if missing:
        raise _missing(template, missing)
    try:
        text = _environment().get_template(_file(template)).render(params)
    except UndefinedError as error:  # a name the static check could not see
        found = _UNDEFINED_NAME.search(str(error))
        raise _missing(template, [found.group(1) if found else str(error)]) from None
    return _split(text)


def _missing(template: Template, names: list[str]) -> InvalidArgument:
    return InvalidArgument(
        "MISSING_TEMPLATE_PARAM",
        f"template {template.value} needs {', '.join(names)}",
        [FieldViolation(f"params.{name}", "required by the template") for name in names],
        {"template": template.value, "param": ",".join(names)},
    )


def _split(text: str) -> Rendered:
    head, _, body = text.partition("\n")
    if not head.startswith("Subject:"):
        raise ValueError("a template starts with a 'Subject:' line")
    subject = " ".join(head.removeprefix("Subject:").split())  # one line, whatever the params
    return Rendered(subject, body.lstrip("\n"))
