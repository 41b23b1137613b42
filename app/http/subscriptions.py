"""GraphQL subscriptions over WebSocket: the ``graphql-transport-ws`` protocol at ``/graphql``.

Browsers cannot set headers on a WebSocket, so the API key comes in the ``connection_init``
payload (``{"Authorization": "Bearer <key>"}``) and is checked like any request; the
connection then holds it under ``guard`` (``app.auth.watch``), which closes it with 4403 within
a second of the key being revoked, expiring, losing its rotated secret or being narrowed.
Errors use the contract's shape (``extensions.code``) as over HTTP. Close codes follow the
protocol: 4400 bad message, 4401 subscribe before ack, 4403 key refused, 4408 no init in time,
4409 duplicate operation id, 4429 second init or one connection too many for the credential
(`REELHOUSE_SOCKETS_PER_CREDENTIAL`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from strawberry.schema.base import BaseSchema
from strawberry.types.execution import PreExecutionError

from app import metrics
from app.audit import Auditor, current_record
from app.audit.records import reset_current, set_current
from app.auth.principal import Principal
from app.auth.watch import Guard
from app.availability import as_unavailable
from app.errors import ApiError, ErrorCode
from app.http.authentication import bearer_token
from app.http.errors import request_id_of
from app.http.graphql import check_variables_size, format_error
from app.types import Message, Receive, Scope, Send

logger = logging.getLogger("reelhouse.subscriptions")

PROTOCOL = "graphql-transport-ws"
MAX_ID_LENGTH = 128

SocketContextFactory = Callable[[Principal, Scope], Any]
Authenticate = Callable[[str, Scope], Awaitable[Principal]]
"""A bearer token (and the connection's scope, for checks such as IP allowlists) → the
principal, or ``ApiError``; the same check HTTP requests get."""


class GraphQLWebSocket:
    """The ASGI app ``GraphQLEndpoint`` hands WebSocket connections to."""

    def __init__(
        self,
        schema: BaseSchema,
        authenticate: Authenticate,
        context_factory: SocketContextFactory,
        *,
        guard: Guard,
        init_timeout: float = 10.0,
        max_operations: int = 50,
        max_per_credential: int = 200,
        max_sockets_per_credential: int = 50,
        max_message_bytes: int = 1_048_576,
        max_tokens: int = 4000,
        max_variables_bytes: int | None = None,
        auditor: Auditor | None = None,
    ) -> None:
        """``auditor``: each subscription gets its own audit record, begun when it starts and
        completed when it ends (the connection has one too, from the audit middleware).
        ``max_operations``: subscriptions one connection may hold at once;
        ``max_per_credential``: across every connection of this process;
        ``max_sockets_per_credential``: initialised connections of one credential in this
        process (idle sockets cost memory and a key check each, even with no subscription)."""
        self.schema = schema
        self.auditor = auditor
        self.authenticate = authenticate
        self.context_factory = context_factory
        self.init_timeout = init_timeout
        self.guard = guard
        self.max_operations = max_operations
        self.max_per_credential = max_per_credential
        self.by_credential: dict[str, int] = {}
        """Live subscriptions per credential id in this process."""
        self.max_sockets_per_credential = max_sockets_per_credential
        self.sockets_by_credential: dict[str, int] = {}
        """Initialised connections per credential id in this process."""
        self.max_message_bytes = max_message_bytes
        self.max_tokens = max_tokens
        self.max_variables_bytes = max_variables_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        if PROTOCOL not in scope.get("subprotocols", []):
            await send({"type": "websocket.close", "code": 4406})
            return
        await send({"type": "websocket.accept", "subprotocol": PROTOCOL})
        await _Connection(self, scope, receive, send).run()


class _Connection:
    def __init__(self, owner: GraphQLWebSocket, scope: Scope, receive: Receive, send: Send):
        self.owner = owner
        self.scope = scope
        self.receive = receive
        self._send = send
        self.request_id = request_id_of(scope)
        self.principal: Principal | None = None
        self.counted_as: str | None = None
        """The credential this connection is counted under, once initialised."""
        self.message_bytes = 0
        self.token: str | None = None
        self.initialised = False
        self.closed = False
        self.operations: dict[str, asyncio.Task[None]] = {}
        self._lock = asyncio.Lock()
        self._background: list[asyncio.Task[None]] = []

    async def run(self) -> None:
        self._background.append(asyncio.create_task(self._expect_init()))
        try:
            while not self.closed:
                message = await self.receive()
                if message["type"] == "websocket.disconnect":
                    self.closed = True
                    break
                if message["type"] == "websocket.receive":
                    await self._on_message(message)
        finally:
            if self.counted_as is not None:
                held = self.owner.sockets_by_credential
                left = held.get(self.counted_as, 1) - 1
                if left > 0:
                    held[self.counted_as] = left
                else:
                    held.pop(self.counted_as, None)
            tasks = [*self._background, *self.operations.values()]
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def send(self, message: dict[str, Any]) -> None:
        if message.get("type") == "error":
            _note_errors(message.get("payload"))
        async with self._lock:
            if self.closed:
                return
            try:
                await self._send({"type": "websocket.send", "text": orjson.dumps(message).decode()})
            except Exception:
                self.closed = True

    async def close(self, code: int, reason: str) -> None:
        async with self._lock:
            if self.closed:
                return
            self.closed = True
            with contextlib.suppress(Exception):
                await self._send({"type": "websocket.close", "code": code, "reason": reason[:120]})

    async def _expect_init(self) -> None:
        await asyncio.sleep(self.owner.init_timeout)
        if not self.initialised:
            await self.close(4408, "Connection initialisation timeout")

    async def _on_message(self, message: Message) -> None:
        text = message.get("text")
        if text is None:
            await self.close(4400, "Messages must be text")
            return
        if len(text) > self.owner.max_message_bytes:
            await self.close(4400, "Message too large")
            return
        self.message_bytes = len(text)
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            await self.close(4400, "Messages must be JSON")
            return
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "connection_init":
            await self._on_init(data)
        elif kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            await self._on_subscribe(data)
        elif kind == "complete":
            task = self.operations.pop(str(data.get("id")), None)
            if task is not None:
                task.cancel()
        else:
            await self.close(4400, f"Unknown message type {kind!r}"[:120])

    async def _on_init(self, data: dict[str, Any]) -> None:
        if self.initialised:
            await self.close(4429, "Too many initialisation requests")
            return
        self.initialised = True
        payload = data.get("payload") or {}
        if not isinstance(payload, dict):
            await self.close(4400, "connection_init payload must be an object")
            return
        nested = payload.get("headers")
        headers: dict[str, Any] = nested if isinstance(nested, dict) else payload
        raw = headers.get("Authorization") or headers.get("authorization")
        token = bearer_token(raw) if isinstance(raw, str) else None
        try:
            if token is None:
                raise ApiError(ErrorCode.UNAUTHENTICATED, "Send Authorization: Bearer <key>.")
            self.principal = await self.owner.authenticate(token, self.scope)
        except ApiError as error:
            await self.close(4403, f"Forbidden: {error.code.value}")
            return
        credential = self.principal.credential_id
        held = self.owner.sockets_by_credential
        if held.get(credential, 0) >= self.owner.max_sockets_per_credential:
            self.principal = None
            limit = self.owner.max_sockets_per_credential
            await self.close(
                4429, f"RATE_LIMIT_EXCEEDED: at most {limit} connections per credential"
            )
            return
        held[credential] = held.get(credential, 0) + 1
        self.counted_as = credential
        self.token = token
        await self.send({"type": "connection_ack"})
        self._background.append(asyncio.create_task(self._hold_key(self.principal, token)))

    async def _hold_key(self, principal: Principal, token: str) -> None:
        """Close the connection once its key no longer admits it."""
        error = await self.owner.guard(
            principal, lambda: self.owner.authenticate(token, self.scope)
        )
        await self.close(4403, f"Forbidden: {error.code.value}")

    async def _on_subscribe(self, data: dict[str, Any]) -> None:
        if self.principal is None:
            await self.close(4401, "Unauthorized")
            return
        operation_id = data.get("id")
        payload = data.get("payload")
        if (
            not isinstance(operation_id, str)
            or not 0 < len(operation_id) <= MAX_ID_LENGTH
            or not isinstance(payload, dict)
            or not isinstance(payload.get("query"), str)
            or not isinstance(payload.get("variables") or {}, dict)
            or not isinstance(payload.get("operationName") or "", str)
        ):
            await self.close(4400, "Invalid subscribe message")
            return
        if operation_id in self.operations:
            await self.close(4409, f"Subscriber for {operation_id} already exists"[:120])
            return
        try:
            check_variables_size(
                payload.get("variables"), self.message_bytes, self.owner.max_variables_bytes
            )
        except ApiError as too_large:
            entry = self._entry(too_large)
            await self.send({"id": operation_id, "type": "error", "payload": [entry]})
            return
        refusal = self._over_limit(self.principal.credential_id)
        if refusal is not None:
            error = ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, refusal)
            await self.send({"id": operation_id, "type": "error", "payload": [self._entry(error)]})
            return
        credential = self.principal.credential_id
        counts = self.owner.by_credential
        counts[credential] = counts.get(credential, 0) + 1
        task = asyncio.create_task(self._run(operation_id, payload, self.principal))
        self.operations[operation_id] = task
        task.add_done_callback(lambda done: self._forget(operation_id, credential, done))

    def _over_limit(self, credential: str) -> str | None:
        owner = self.owner
        if len(self.operations) >= owner.max_operations:
            return f"At most {owner.max_operations} subscriptions per connection."
        if owner.by_credential.get(credential, 0) >= owner.max_per_credential:
            return (
                f"At most {owner.max_per_credential} subscriptions at once per credential; "
                "complete one first."
            )
        return None

    def _forget(self, operation_id: str, credential: str, task: asyncio.Task[None]) -> None:
        counts = self.owner.by_credential
        left = counts.get(credential, 1) - 1
        if left > 0:
            counts[credential] = left
        else:
            counts.pop(credential, None)
        if self.operations.get(operation_id) is task:
            del self.operations[operation_id]

    def _entry(self, error: ApiError) -> dict[str, Any]:
        return {
            "message": error.message,
            "extensions": {"code": error.code.value, "request_id": self.request_id},
        }

    async def _run(self, operation_id: str, payload: dict[str, Any], principal: Principal) -> None:
        """One subscription under its own audit record (the current one in its task)."""
        auditor, connection = self.owner.auditor, current_record()
        if auditor is None or connection is None:
            await self._subscribe(operation_id, payload, principal)
            return
        draft = auditor.subscription(connection)
        token = set_current(draft)
        metrics.SUBSCRIPTIONS_OPEN.inc()
        try:
            await auditor.started(draft)
            await self._subscribe(operation_id, payload, principal)
        except BaseException:
            auditor.end_soon(draft, _status_of(draft.error_codes))
            raise
        finally:
            metrics.SUBSCRIPTIONS_OPEN.dec()
            reset_current(token)
        await auditor.end(draft, _status_of(draft.error_codes))

    async def _subscribe(
        self, operation_id: str, payload: dict[str, Any], principal: Principal
    ) -> None:
        if not _is_subscription(
            payload["query"], payload.get("operationName"), self.owner.max_tokens
        ):
            error = ApiError(
                ErrorCode.BAD_REQUEST,
                "Only subscriptions run over WebSocket; send queries and mutations with POST.",
            )
            await self.send({"id": operation_id, "type": "error", "payload": [self._entry(error)]})
            return
        context = self.owner.context_factory(principal, self.scope)
        try:
            results = await self.owner.schema.subscribe(
                payload["query"],
                variable_values=payload.get("variables"),
                context_value=context,
                operation_name=payload.get("operationName"),
            )
            first = True
            async with contextlib.aclosing(results):
                async for result in results:
                    errors = [format_error(e, self.request_id) for e in result.errors or []]
                    if first and (isinstance(result, PreExecutionError) or result.data is None):
                        # Nothing ran (invalid, or refused before the first event): `error`
                        # ends the operation, as the protocol asks.
                        await self.send({"id": operation_id, "type": "error", "payload": errors})
                        return
                    first = False
                    body: dict[str, Any] = {"data": result.data}
                    if errors:
                        body["errors"] = errors
                    await self.send({"id": operation_id, "type": "next", "payload": body})
        except asyncio.CancelledError:
            raise
        except Exception as failure:
            error = as_unavailable(failure) or ApiError(
                ErrorCode.INTERNAL, "Internal server error."
            )
            if error.code is ErrorCode.INTERNAL:
                logger.exception("subscription %s failed", operation_id)
            await self.send({"id": operation_id, "type": "error", "payload": [self._entry(error)]})
            return
        if self.operations.get(operation_id) is asyncio.current_task():
            await self.send({"id": operation_id, "type": "complete"})


def _note_errors(payload: Any) -> None:
    draft = current_record()
    if draft is None or not isinstance(payload, list):
        return
    for entry in payload:
        code = entry.get("extensions", {}).get("code") if isinstance(entry, dict) else None
        if isinstance(code, str):
            draft.note_error(code)


def _status_of(codes: list[str]) -> int:
    """A subscription's status: 200, or the HTTP status of the first error that ended it."""
    for code in codes:
        if code in ErrorCode.__members__:
            return ErrorCode(code).http_status
    return 500 if codes else 200


def _is_subscription(query: str, operation_name: str | None, max_tokens: int) -> bool:
    """False for queries and mutations; True otherwise (a malformed or oversized document is
    left to the schema, which reports it properly)."""
    try:
        operation = get_operation_ast(parse(query, max_tokens=max_tokens), operation_name)
    except GraphQLError:
        return True
    return operation is None or operation.operation is OperationType.SUBSCRIPTION
