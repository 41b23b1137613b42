"""Refuses request bodies over the configured size, declared or streamed, with 413.

A public route (``app.http.public``) has its own limit instead of the global one."""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import ApiError, ErrorCode
from app.http.errors import send_error
from app.http.public import PublicRoute, public_route_of
from app.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(ApiError):
    """Raised from ``receive`` once a streamed body passes the limit, so reading stops there.

    Routes render it like any ``ApiError``; ``ErrorBoundary`` does if one lets it escape."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, public: Sequence[PublicRoute] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.public = tuple(public)

    @staticmethod
    def _error(limit: int) -> BodyTooLarge:
        return BodyTooLarge(
            ErrorCode.PAYLOAD_TOO_LARGE, f"Request body is larger than the {limit}-byte limit."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = public_route_of(scope, self.public) if self.public else None
        limit = route.max_body_bytes if route is not None else self.max_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0:
                    error = ApiError(ErrorCode.BAD_REQUEST, "Bad Content-Length.")
                    await send_error(scope, send, error)
                    return
                if declared > limit:
                    await send_error(scope, send, self._error(limit))
                    return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise self._error(limit)
            return message

        await self.app(scope, limited_receive, send)
