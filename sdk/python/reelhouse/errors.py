"""Typed errors: one exception class per contract error code (``reelhouse._errors``, generated
from the OpenAPI document), all ``ReelhouseError``s carrying the code, message, HTTP status,
the fields at fault and the request id to quote to support."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str


@dataclass
class ReelhouseError(Exception):
    """An error answer of the API (``{"error": {...}}``)."""

    message: str
    status: int
    code: str = "UNKNOWN"
    fields: list[FieldProblem] = field(default_factory=list)
    request_id: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Exception.__init__(self, f"{self.code} ({self.status}): {self.message}")

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked to wait (429 and 503), if it said."""
        value = {k.lower(): v for k, v in self.headers.items()}.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


class ReelhouseConnectionError(ReelhouseError):
    """The server could not be reached (after the retries)."""


class WebhookVerificationFailed(Exception):
    """A webhook whose signature, timestamp or headers do not check out: answer it 400."""


def error_from_response(status: int, body: Any, headers: Mapping[str, str]) -> ReelhouseError:
    from reelhouse._errors import ERRORS

    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ReelhouseError(f"HTTP {status}", status, headers=dict(headers))
    code = str(error.get("code", "UNKNOWN"))
    problems = [
        FieldProblem(str(f.get("field")), str(f.get("code")), str(f.get("message")))
        for f in error.get("fields") or ()
        if isinstance(f, dict)
    ]
    kind = ERRORS.get(code, ReelhouseError)
    return kind(
        str(error.get("message", "")),
        status,
        code,
        problems,
        error.get("request_id"),
        dict(headers),
    )
