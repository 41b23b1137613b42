"""Refuses request bodies over the configured size, declared or streamed, with 413; query
strings over their limit with 414; and a body that takes longer than the body read timeout to
arrive (a client trickling it a byte at a time holds a request slot) with 408.

A public route (``app.http.public``) has its own size limit instead of the global one, and no
read timeout (uploads of large files take as long as they take)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from app.errors import ApiError, ErrorCode
from app.http.errors import send_error
from app.http.public import PublicRoute, public_route_of
from app.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(ApiError):
    """Raised from ``receive`` once a streamed body passes the limit, so reading stops there.

    Routes render it like any ``ApiError``; ``ErrorBoundary`` does if one lets it escape."""


class BodyTooSlow(ApiError):
    """Raised from ``receive`` once the body read timeout has passed."""


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        public: Sequence[PublicRoute] = (),
        *,
        max_query_string_bytes: int | None = None,
        read_timeout: float | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.public = tuple(public)
        self.max_query_string_bytes = max_query_string_bytes
        self.read_timeout = read_timeout

    @staticmethod
    def _error(limit: int) -> BodyTooLarge:
        return BodyTooLarge(
            ErrorCode.PAYLOAD_TOO_LARGE, f"Request body is larger than the {limit}-byte limit."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        longest = self.max_query_string_bytes
        if longest is not None and len(scope.get("query_string", b"")) > longest:
            error = ApiError(
                ErrorCode.BAD_REQUEST,
                f"The query string is longer than the {longest}-byte limit; "
                "send large GraphQL documents with POST.",
                status=414,
            )
            await send_error(scope, send, error)
            return
        route = public_route_of(scope, self.public) if self.public else None
        limit = route.max_body_bytes if route is not None else self.max_bytes
        timeout = self.read_timeout if route is None else None
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
        deadline: float | None = None
        complete = False

        async def limited_receive() -> Message:
            nonlocal received, deadline, complete
            if timeout is None or complete:
                message = await receive()
            else:
                loop = asyncio.get_running_loop()
                if deadline is None:
                    deadline = loop.time() + timeout
                try:
                    async with asyncio.timeout_at(deadline):
                        message = await receive()
                except TimeoutError:
                    raise BodyTooSlow(
                        ErrorCode.BAD_REQUEST,
                        f"The request body did not arrive within {timeout:g} seconds.",
                        headers={"Connection": "close"},
                        status=408,
                    ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise self._error(limit)
                complete = not message.get("more_body")
            return message

        await self.app(scope, limited_receive, send)
