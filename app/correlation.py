"""Which request is being served, for whatever runs on its behalf: log lines, outbox events,
audit records. The request id is ours (``req_…``); a caller's own id and W3C trace context are
kept next to it, never instead of it.

``current`` is a context variable: set once by the request-id middleware, it follows the
request into every task the request starts (asyncio copies the context), and is empty in
background work that no request caused.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass

MAX_CORRELATION_LENGTH = 128
_PRINTABLE = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


@dataclass(frozen=True, slots=True)
class Correlation:
    request_id: str
    """Ours: ``req_<ULID>``."""
    correlation_id: str | None = None
    """The caller's ``X-Correlation-Id`` (or, failing that, its ``X-Request-Id``)."""
    traceparent: str | None = None


current: ContextVar[Correlation | None] = ContextVar("reelhouse_correlation", default=None)


def current_request_id() -> str | None:
    """The ``req_…`` of the request being served, or None outside one."""
    correlation = current.get()
    return correlation.request_id if correlation is not None else None


def caller_id(value: str | None) -> str | None:
    """A caller's id if it is printable ASCII of at most 128 characters (so it can go back in
    a header and into a log line unescaped); anything else is ignored. A secret sent as an id
    (a key pasted in the wrong header) is kept, and echoed, as ``[REDACTED]``."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_CORRELATION_LENGTH or not _PRINTABLE.match(value):
        return None
    from app.audit.redaction import scrub  # app.audit imports this module

    return scrub(value)


def trace_parent(value: str | None) -> str | None:
    """A W3C ``traceparent`` in the version-00 shape (lowercase hex), or None."""
    if value is None:
        return None
    value = value.strip()
    if not _TRACEPARENT.match(value) or value.startswith("ff"):
        return None
    return value
