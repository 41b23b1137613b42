"""Pure ASGI middleware that audits every HTTP request and WebSocket connection.

It sits right inside the request-id middleware, ahead of everything that can refuse a call
(authentication, body limits, the error boundary's 500s), so refused calls are recorded too.
The status comes from the response; the error codes from the error body (small, and read
only for statuses ≥ 400) or, for a GraphQL answer that failed in part, from the endpoint.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app.audit.auditor import Auditor, recorded
from app.audit.errors import error_codes
from app.audit.records import AuditDraft, reset_current, set_current
from app.auth.principal import Principal
from app.correlation import Correlation
from app.models.audit import Transport
from app.types import ASGIApp, Message, Receive, Scope, Send

MAX_ERROR_BODY = 16_384
ACCEPTED = 101


def adopt(draft: AuditDraft, state: dict[str, Any]) -> None:
    """What others left on the request's state: the console's transport and principal
    (``state["transport"]``, ``state["principal"]``), the points traffic charged
    (``state["traffic"].charged``)."""
    transport = state.get("transport")
    if isinstance(transport, str) and transport in Transport.__members__.values():
        draft.transport = Transport(transport)
    principal = state.get("principal")
    if draft.principal is None and isinstance(principal, Principal):
        draft.principal = principal
    charged = getattr(state.get("traffic"), "charged", None)
    if draft.cost is None and isinstance(charged, int):
        draft.cost = charged


class AuditMiddleware:
    def __init__(self, app: ASGIApp, auditor: Auditor) -> None:
        self.app = app
        self.auditor = auditor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not recorded(scope):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        correlation = state.get("correlation") or Correlation(state.get("request_id") or "")
        draft = self.auditor.begin(scope, correlation)
        state["audit"] = draft
        if scope["type"] == "websocket":
            await self._websocket(draft, scope, receive, send)
            return
        status = 500
        body: list[bytes] = []
        size = 0

        async def audited_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status >= 400:
                chunk = message.get("body", b"")
                if size + len(chunk) <= MAX_ERROR_BODY:
                    body.append(chunk)
                    size += len(chunk)
            await send(message)

        token = set_current(draft)
        try:
            await self.app(scope, receive, audited_send)
        except asyncio.CancelledError:
            self.auditor.end_soon(draft, 503)
            raise
        except Exception:
            self.auditor.end_soon(draft, 500)
            raise
        finally:
            reset_current(token)
        if body and not draft.persisted:  # a write's record read the same body before commit
            for code in error_codes(b"".join(body)):
                draft.note_error(code)
        adopt(draft, state)
        await self.auditor.end(draft, status)

    async def _websocket(
        self, draft: AuditDraft, scope: Scope, receive: Receive, send: Send
    ) -> None:
        status: int | None = None
        accepted = False

        async def audited_send(message: Message) -> None:
            nonlocal status, accepted
            if message["type"] == "websocket.accept":
                accepted = True
                status = ACCEPTED
                await send(message)
                await self.auditor.started(draft)
                return
            if message["type"] == "websocket.close":
                code = int(message.get("code", 1000))
                if code >= 4000 or not accepted:
                    status = code
            await send(message)

        token = set_current(draft)
        try:
            await self.app(scope, receive, audited_send)
        except BaseException:
            self.auditor.end_soon(draft, status or 1011)
            raise
        finally:
            reset_current(token)
        await self.auditor.end(draft, status or 1006)
