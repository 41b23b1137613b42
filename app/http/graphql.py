"""The GraphQL HTTP endpoint: ``POST /graphql`` (and ``GET`` for queries) to a Strawberry schema.

Kept small and ours, rather than Strawberry's view, so that every failure comes out in the
contract's error shape with the request id, and HTTP statuses follow the GraphQL-over-HTTP
rules: a request that could not be executed (malformed, invalid) gets 4xx, an executed one 200.

``Executor`` is the one way any transport runs an operation (``/graphql`` here, ``/v1`` in
``rest_compat``): same schema, extensions and context, so every policy applies to both.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import orjson
from graphql import GraphQLError
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from app.audit import current_record
from app.availability import as_unavailable
from app.errors import ApiError, ErrorCode
from app.http.errors import (
    graphql_error_entry,
    internal_error,
    request_id_of,
    send_error,
    send_json,
)
from app.http.headers import header
from app.transaction import AnswerReplaced, current_transaction
from app.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger("reelhouse.http")

ContextFactory = Callable[[Scope], Any]
PageRenderer = Callable[[Scope, Receive, Send], Awaitable[None]]


async def read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ApiError(ErrorCode.BAD_REQUEST, "Client disconnected.")
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _bad(message: str) -> ApiError:
    return ApiError(ErrorCode.BAD_REQUEST, message)


def _operation_refused(operation: OperationType) -> ApiError:
    if operation is OperationType.MUTATION:
        return ApiError(
            ErrorCode.METHOD_NOT_ALLOWED,
            "Mutations must be sent with POST.",
            headers={"Allow": "POST"},
        )
    return _bad("Subscriptions run over WebSocket (`graphql-transport-ws`) on /graphql.")


def parse_request(method: str, content_type: str, body: bytes, query_string: str) -> dict[str, Any]:
    if method == "GET":
        from urllib.parse import parse_qs

        params = {k: v[-1] for k, v in parse_qs(query_string).items()}
        data: Any = dict(params)
        if "variables" in params:
            try:
                data["variables"] = orjson.loads(params["variables"])
            except orjson.JSONDecodeError:
                raise _bad("`variables` is not valid JSON.") from None
    else:
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in ("application/json", "application/graphql-response+json"):
            raise ApiError(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Send GraphQL requests as `Content-Type: application/json`.",
            )
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise _bad("Request body is not valid JSON.") from None
    if isinstance(data, list):
        raise _bad("Batched requests are not supported: send one operation per request.")
    if not isinstance(data, dict):
        raise _bad("Request body must be a JSON object.")
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise _bad("`query` must be a non-empty string.")
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise _bad("`variables` must be an object.")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _bad("`operationName` must be a string.")
    return {"query": query, "variables": variables, "operation_name": operation_name}


def check_variables_size(variables: Any, raw_size: int, limit: int | None) -> None:
    """413 when ``variables`` as JSON pass ``limit`` bytes. ``raw_size`` (the body or query
    string they came in) bounds their size, so most requests are never measured."""
    if limit is None or raw_size <= limit or not variables:
        return
    size = len(orjson.dumps(variables))
    if size > limit:
        raise ApiError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"The variables take {size} bytes as JSON; the limit is {limit}.",
        )


def _unavailable(errors: Iterable[GraphQLError]) -> ApiError | None:
    for error in errors:
        original = error.original_error
        if isinstance(original, ApiError):
            if original.code in (ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.TIMEOUT):
                return original
        elif original is not None and (unavailable := as_unavailable(original)) is not None:
            return unavailable
    return None


def format_error(error: GraphQLError, request_id: str | None) -> dict[str, Any]:
    """An ``ApiError`` as itself, a request error with the code the schema gave it, any other
    exception as ``INTERNAL`` without its message (it may hold paths, SQL or secrets)."""
    original = error.original_error
    code = (error.extensions or {}).get("code")
    if isinstance(original, ApiError):
        entry = graphql_error_entry(original, request_id)
    elif code is None and original is not None:
        entry = graphql_error_entry(as_unavailable(original) or internal_error(), request_id)
    else:
        code = code or ErrorCode.BAD_REQUEST.value
        entry = {"message": error.message, "extensions": {"code": code, "request_id": request_id}}
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        entry["path"] = error.path
    return entry


class Executor:
    """Runs one operation for one HTTP request: the request's context, the schema's extensions."""

    def __init__(self, schema: BaseSchema, context_factory: ContextFactory) -> None:
        self.schema = schema
        self.context_factory = context_factory

    async def execute(
        self,
        scope: Scope,
        query: str,
        variables: dict[str, Any] | None,
        *,
        allowed: Iterable[OperationType],
        operation_name: str | None = None,
    ) -> ExecutionResult:
        result = await self.schema.execute(
            query,
            variable_values=variables,
            context_value=self.context_factory(scope),
            operation_name=operation_name,
            allowed_operation_types=allowed,
        )
        transaction = current_transaction()
        if transaction is not None and transaction.replacement is not None:
            raise AnswerReplaced
        return result


class GraphQLEndpoint:
    def __init__(
        self,
        executor: Executor,
        *,
        graphiql: PageRenderer | None = None,
        websocket: ASGIApp | None = None,
        max_variables_bytes: int | None = None,
    ) -> None:
        self.executor = executor
        self.graphiql = graphiql
        self.websocket = websocket
        self.max_variables_bytes = max_variables_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if self.websocket is None:
                await send({"type": "websocket.close", "code": 4404})
                return
            await self.websocket(scope, receive, send)
            return
        method = scope["method"]
        if method == "GET" and self.graphiql and "text/html" in (header(scope, b"accept") or ""):
            await self.graphiql(scope, receive, send)
            return
        try:
            if method not in ("GET", "POST"):
                raise ApiError(
                    ErrorCode.METHOD_NOT_ALLOWED,
                    "GraphQL accepts GET and POST only.",
                    headers={"Allow": "GET, POST"},
                )
            body = await read_body(receive) if method == "POST" else b""
            query_string = scope.get("query_string", b"").decode()
            request = parse_request(
                method, header(scope, b"content-type") or "", body, query_string
            )
            raw_size = len(body) if method == "POST" else len(query_string)
            check_variables_size(request["variables"], raw_size, self.max_variables_bytes)
        except ApiError as error:
            await send_error(scope, send, error)
            return
        allowed = (
            {OperationType.QUERY}
            if method == "GET"
            else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            result = await self.executor.execute(
                scope,
                request["query"],
                request["variables"],
                allowed=allowed,
                operation_name=request["operation_name"],
            )
        except InvalidOperationTypeError as error:
            await send_error(scope, send, _operation_refused(error.operation_type))
            return
        except CannotGetOperationTypeError as error:
            await send_error(scope, send, _bad(error.as_http_error_reason()))
            return
        request_id = request_id_of(scope)
        payload: dict[str, Any] = {}
        status = 200
        headers: dict[str, str] = {}
        if result.errors:
            payload["errors"] = [format_error(e, request_id) for e in result.errors]
            draft = current_record()
            if draft is not None:
                for entry in payload["errors"]:
                    draft.note_error(entry["extensions"]["code"])
            unavailable = _unavailable(result.errors)
            if unavailable is not None:
                # Part of the answer is missing because a backend is down or a statement ran
                # out of time: say so with the status too (a 5xx also commits nothing).
                status, headers = unavailable.http_status, unavailable.headers
            elif result.data is None and not any(e.path for e in result.errors):
                # Not executed (invalid, refused before any field ran): the status says why.
                first = result.errors[0]
                code = payload["errors"][0]["extensions"]["code"]
                status = ErrorCode(code).http_status if code in ErrorCode.__members__ else 400
                if isinstance(first.original_error, ApiError):
                    status = first.original_error.http_status
                    headers = first.original_error.headers
        payload["data"] = result.data
        if result.extensions:
            payload["extensions"] = result.extensions
        await send_json(send, status, payload, headers)
