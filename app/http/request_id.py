"""Gives every request a ``req_`` id, echoed in ``X-Request-Id`` and in every error body.

A caller's own ``X-Correlation-Id`` (or ``X-Request-Id``) and W3C ``traceparent`` are kept next
to ours (``app.correlation``), in the audit record and every log line of the request, and the
caller's id comes back as ``X-Correlation-Id``. ``X-Request-Id`` is always ours.
"""

from __future__ import annotations

from app.correlation import Correlation, caller_id, current, trace_parent
from app.http.headers import header
from app.ids import IdPrefix, new_id
from app.types import ASGIApp, Message, Receive, Scope, Send


def correlation_of(scope: Scope, request_id: str) -> Correlation:
    return Correlation(
        request_id=request_id,
        correlation_id=caller_id(header(scope, b"x-correlation-id"))
        or caller_id(header(scope, b"x-request-id")),
        traceparent=trace_parent(header(scope, b"traceparent")),
    )


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = new_id(IdPrefix.REQUEST)
        correlation = correlation_of(scope, request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["correlation"] = correlation
        added = [(b"x-request-id", request_id.encode())]
        if correlation.correlation_id is not None:
            added.append((b"x-correlation-id", correlation.correlation_id.encode()))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        token = current.set(correlation)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current.reset(token)
