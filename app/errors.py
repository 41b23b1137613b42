"""The error codes of the public contract and the exception that carries them.

Failures that are not the caller's input are raised as ``ApiError`` anywhere below the
transport; both transports render it (GraphQL ``extensions.code``, REST ``{"error": ...}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    API_KEY_REVOKED = "API_KEY_REVOKED"
    API_KEY_EXPIRED = "API_KEY_EXPIRED"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHORIZED_SCOPE = "UNAUTHORIZED_SCOPE"
    IP_NOT_ALLOWED = "IP_NOT_ALLOWED"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_KEY_IN_USE = "IDEMPOTENCY_KEY_IN_USE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    BAD_REQUEST = "BAD_REQUEST"
    TIMEOUT = "TIMEOUT"
    """The request ran past ``REELHOUSE_REQUEST_TIMEOUT_SECONDS`` and was cancelled; nothing it
    wrote was kept."""
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    """The database or Redis cannot be reached (or the server is shutting down); retry after
    ``Retry-After`` seconds."""
    INTERNAL = "INTERNAL"

    @property
    def http_status(self) -> int:
        return _STATUS[self]


_STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.API_KEY_REVOKED: 401,
    ErrorCode.API_KEY_EXPIRED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.UNAUTHORIZED_SCOPE: 403,
    ErrorCode.IP_NOT_ALLOWED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.IDEMPOTENCY_KEY_IN_USE: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.VALIDATION_FAILED: 422,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    ErrorCode.RATE_LIMIT_EXCEEDED: 429,
    ErrorCode.QUOTA_EXCEEDED: 429,
    ErrorCode.QUERY_TOO_COMPLEX: 400,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.TIMEOUT: 504,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
}


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; ``field`` is a path such as ``("input", "slug")``."""

    field: tuple[str, ...]
    code: str
    message: str


@dataclass(slots=True)
class ApiError(Exception):
    code: ErrorCode
    message: str
    fields: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    """Overrides the code's usual HTTP status (for a status the contract has no code of)."""
    extensions: dict[str, Any] = field(default_factory=dict)
    """More machine-readable detail for GraphQL's ``extensions`` (e.g. ``resumeAfter``)."""

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message)

    @property
    def http_status(self) -> int:
        return self.status or self.code.http_status
