"""Message texts from Jinja2 template files, one set per language:
``templates/<language>/<name>.txt.j2`` (en, fr, nl; every template in every language).

A template's first line is ``Subject: ...``, then a blank line, then the body. The caller passes
raw values; the template formats them for the reader with filters (formatting.py):
``{{ total_minor|money(currency_code) }}``, ``{{ ready_by|datetime(time_zone) }}``,
``{{ opening_hours|hours_on(sent_at, time_zone) }}``, ``{% for line in lines|order_lines %}``.

Rendering is strict: a parameter the template needs but the caller did not give refuses the
message instead of sending it half filled in (except those with a default, OPTIONAL_PARAMS).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel import Locale
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    UndefinedError,
    meta,
)

from services.common.errors import FieldViolation, InvalidArgument
from services.common.timeconv import utcnow
from services.notifications import formatting
from services.notifications.domain import Template

TEMPLATE_DIR = Path(__file__).parent / "templates"
_UNDEFINED_NAME = re.compile(r"'(\w+)' is undefined")

# Params a caller may leave out, and what they stand for then: an address or opening hours
# not known (the message leaves them out), times in UTC; `sent_at` (the moment the message is
# sent, for "open today") is the time of rendering.
OPTIONAL_PARAMS = {
    "time_zone": "UTC",
    "sent_at": "",
    "store_address": "",
    "opening_hours": "",
    "return_to": "",
    "return_address": "",
}
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@functools.cache
def _environment(language: str, locale_tag: str) -> Environment:
    """The templates of `language` (English for one missing), formatting for `locale_tag`."""
    locale = Locale.parse(locale_tag)
    folders = [TEMPLATE_DIR / language, TEMPLATE_DIR / formatting.DEFAULT_LANGUAGE]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text messages, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=lambda minor, currency: formatting.money(minor, currency, locale),
        datetime=lambda moment, zone: formatting.date_time(moment, zone, locale),
        date=lambda moment, zone: formatting.date_only(moment, zone, locale),
        hours_on=lambda rows, moment, zone: formatting.hours_on(rows, moment, zone, locale),
        order_lines=formatting.lines,
    )
    return env


def _file(template: Template) -> str:
    return f"{template.value}.txt.j2"


@functools.cache
def declared_params(
    template: Template, language: str = formatting.DEFAULT_LANGUAGE
) -> frozenset[str]:
    """Every parameter the template of `language` reads (OPTIONAL_PARAMS included)."""
    env = _environment(language, language)
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, _file(template))
    return frozenset(meta.find_undeclared_variables(env.parse(source)))


def template_params(template: Template) -> frozenset[str]:
    """The parameters a template needs (a caller must give each of them)."""
    return declared_params(template) - OPTIONAL_PARAMS.keys()


def render(
    template: Template,
    params: dict[str, str],
    locale: str = "",
    now: datetime | None = None,
) -> Rendered:
    """Subject and body in the reader's language (`locale`, BCP 47; English when empty or
    unknown); INVALID_ARGUMENT/MISSING_TEMPLATE_PARAM naming what is missing."""
    missing = sorted(template_params(template) - params.keys())
    if missing:
        raise _missing(template, missing)
    reader = formatting.reader_of(locale)
    values = {**OPTIONAL_PARAMS, "sent_at": (now or utcnow()).isoformat(), **params}
    env = _environment(reader.language, str(reader.locale))
    try:
        text = env.get_template(_file(template)).render(values)
    except UndefinedError as error:  # a name the static check could not see
        found = _UNDEFINED_NAME.search(str(error))
        raise _missing(template, [found.group(1) if found else str(error)]) from None
    return _split(text)


def shown_params(params: dict[str, str], locale: str = "") -> dict[str, str]:
    """The params as the reader sees them, for a short form of the message (a text message):
    each ISO-8601 moment in the store's zone and the reader's format, each `<name>_minor`
    also as `<name>` in the currency (`refund_minor` → `refund`: "12,50 €")."""
    reader = formatting.reader_of(locale)
    zone, currency = params.get("time_zone", "UTC"), params.get("currency_code", "")
    shown = dict(params)
    for name, value in params.items():
        if _MOMENT.match(value):
            shown[name] = formatting.date_time(value, zone, reader.locale)
        elif name.endswith("_minor") and currency:
            shown[name.removesuffix("_minor")] = formatting.money(value, currency, reader.locale)
    return shown


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
    return Rendered(subject, _BLANK_LINES.sub("\n\n", body.lstrip("\n")))
