"""One logging setup for every process (``reelhouse serve``, ``reelhouse worker``, the CLI):
the standard library's logging, with uvicorn's loggers sent through it too.

``REELHOUSE_LOG_FORMAT=json`` (the default in production) writes one JSON object per line:
``time``, ``level``, ``logger``, ``message``, the request's ids (``request_id``, and the
caller's ``correlation_id`` and ``traceparent`` when sent) on every line logged while serving
a request, and the fields a line carries (``extra={"fields": {...}}``: the access line's
credential, organisation, transport, operation, status, duration and cost). Otherwise lines are
readable text. Every message passes the audit trail's secret filter (``app.audit.redaction``)
before it is written, so a key or token that reaches a log call never reaches the log.
"""

from __future__ import annotations

import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

import orjson

from app.audit.redaction import scrub
from app.correlation import current


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "fields", None)
    return fields if isinstance(fields, dict) else {}


class Correlated(logging.Filter):
    """Adds the request's ids to every record logged while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        correlation = current.get()
        if correlation is not None and not hasattr(record, "request_id"):
            record.request_id = correlation.request_id
            record.correlation_id = correlation.correlation_id
            record.traceparent = correlation.traceparent
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub_long(record.getMessage()),
        }
        for name in ("request_id", "correlation_id", "traceparent"):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        for name, value in _fields(record).items():
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = scrub_long(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line += f" [{request_id}]"
        fields = _fields(record)
        shown = {
            k: fields[k]
            for k in ("credential_id", "transport", "duration_ms", "cost")
            if fields.get(k) is not None
        }
        if shown:
            line += " " + " ".join(f"{k}={v}" for k, v in shown.items())
        return scrub_long(line)


def scrub_long(text: str) -> str:
    """``scrub`` without its length cut (tracebacks are long)."""
    return scrub(text, limit=None)


def logging_config(json_lines: bool, level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document: every logger (ours, uvicorn's, libraries')
    to one stderr handler. Given to uvicorn as its ``log_config`` too, so each of several
    workers sets itself up the same way."""
    formatter = "app.logs.JsonFormatter" if json_lines else "app.logs.TextFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"correlated": {"()": "app.logs.Correlated"}},
        "formatters": {"reelhouse": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "reelhouse",
                "filters": ["correlated"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            # Our access line (``reelhouse.access``) replaces uvicorn's.
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            # httpx's line per webhook request: the attempt is recorded already, and the
            # line (a formatted record on stderr for every delivery) cost ~3 % of the sender.
            "httpx": {"level": "DEBUG" if level.upper() == "DEBUG" else "WARNING"},
        },
    }


def configure_logging(json_lines: bool, level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(json_lines, level))
