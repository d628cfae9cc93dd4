"""structlog, configured once per process: JSON off a terminal, console on one."""

from __future__ import annotations

import logging
import sys

import structlog

from services.common.tracing import log_processors

# No value a caller sends may grow a log line without bound: each value is cut to this many
# characters (the event and a stack trace, which are ours, to more), with a marker.
MAX_VALUE_CHARS = 128
MAX_TEXT_CHARS = 8_192
_LONG_FIELDS = frozenset({"event", "exception", "stack"})


def configure_logging(service: str, level: str = "INFO", json: bool | None = None) -> None:
    """structlog's own lines go straight to stderr (the cheap path: every RPC writes one);
    stdlib logging (grpc, temporalio, sqlalchemy) goes through the same processors. In a
    process that traces (tracing started first), each line written inside a span carries
    its trace and span ids."""
    use_json = (not sys.stderr.isatty()) if json is None else json
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        *log_processors(),
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    )
    last: list[structlog.types.Processor] = [
        structlog.processors.format_exc_info if use_json else _identity,
        cap_values,
        renderer,
    ]
    structlog.configure(
        processors=[*shared, *last],
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *last],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Alembic tells of each step at INFO; a migration run is one line of ours (schema_migrated).
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def cap_values(
    logger: object, name: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """Cuts every value longer than its limit, marking how much was left out."""
    for key, value in event_dict.items():
        if key == "exc_info" or value is None or isinstance(value, bool | int | float):
            continue
        text = value if isinstance(value, str) else str(value)
        limit = MAX_TEXT_CHARS if key in _LONG_FIELDS else MAX_VALUE_CHARS
        if len(text) > limit:
            event_dict[key] = f"{text[:limit]}…[{len(text) - limit} more chars]"
    return event_dict


def _identity(
    logger: object, name: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    return event_dict
