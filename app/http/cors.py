"""CORS for browser apps on other origins: preflights answered here, before authentication
(a browser sends no ``Authorization`` on a preflight), and the allow/expose headers added to
every answer to an allowed origin, errors included, so a page can read why a call failed.

Origins are matched exactly (``https://app.example.com``); ``*`` allows any origin, and is
refused at start-up when credentials are allowed (browsers would refuse it anyway).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import ApiError, ErrorCode
from app.http.errors import send_error
from app.http.headers import header
from app.types import ASGIApp, Message, Receive, Scope, Send

ALLOWED_METHODS = ("GET", "POST", "PATCH", "DELETE", "OPTIONS")
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-None-Match",
    "X-Request-Id",
    "X-Correlation-Id",
    "traceparent",
)
EXPOSED_HEADERS = (
    "X-Request-Id",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Resource",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "Idempotent-Replayed",
    "Location",
    "ETag",
    "Deprecation",
    "Sunset",
    "Link",
)
PREFLIGHT_MAX_AGE = 600


class CorsConfigError(ValueError):
    """``*`` together with credentials: no browser accepts it, so it is refused at start-up."""


class CorsMiddleware:
    def __init__(
        self, app: ASGIApp, origins: Sequence[str], *, allow_credentials: bool = False
    ) -> None:
        if "*" in origins and allow_credentials:
            raise CorsConfigError(
                "REELHOUSE_CORS_ORIGINS may not be `*` while credentials are allowed: "
                "list the exact origins"
            )
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(o.rstrip("/") for o in origins if o != "*")
        self.allow_credentials = allow_credentials
        common = [(b"vary", b"Origin")]
        if allow_credentials:
            common.append((b"access-control-allow-credentials", b"true"))
        self._common = common
        self._preflight = [
            (b"access-control-allow-methods", ", ".join(ALLOWED_METHODS).encode()),
            (b"access-control-allow-headers", ", ".join(ALLOWED_HEADERS).encode()),
            (b"access-control-max-age", str(PREFLIGHT_MAX_AGE).encode()),
        ]
        self._expose = [(b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode())]

    def _allowed(self, origin: str) -> bool:
        return self.any_origin or origin in self.origins

    def _allow_origin(self, origin: str) -> list[tuple[bytes, bytes]]:
        shown = "*" if self.any_origin and not self.allow_credentials else origin
        return [(b"access-control-allow-origin", shown.encode("latin-1")), *self._common]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (self.any_origin or self.origins):
            await self.app(scope, receive, send)
            return
        origin = header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        preflight = scope["method"] == "OPTIONS" and (
            header(scope, b"access-control-request-method") is not None
        )
        if preflight:
            await self._answer_preflight(scope, send, origin)
            return
        if not self._allowed(origin):
            await self.app(scope, receive, send)
            return
        extra = [*self._allow_origin(origin), *self._expose]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _answer_preflight(self, scope: Scope, send: Send, origin: str) -> None:
        if not self._allowed(origin):
            error = ApiError(ErrorCode.FORBIDDEN, f"Origin {origin} may not call this API.")
            await send_error(scope, send, error)
            return
        headers = [*self._allow_origin(origin), *self._preflight, (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
