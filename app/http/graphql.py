"""The GraphQL HTTP endpoint: ``POST /graphql`` (and ``GET`` for queries) to a Strawberry schema.

Kept small and ours, rather than Strawberry's view, so that every failure comes out in the
contract's error shape with the request id, and HTTP statuses follow the GraphQL-over-HTTP
rules: a request that could not be executed (malformed, invalid) gets 4xx, an executed one 200.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from graphql import GraphQLError
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from app.errors import ApiError, ErrorCode
from app.http.errors import graphql_error_entry, request_id_of, send_error, send_json
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


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _bad(message: str, status: int | None = None) -> ApiError:
    return ApiError(ErrorCode.BAD_REQUEST, message, status=status)


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
            raise _bad("Send GraphQL requests as `Content-Type: application/json`.", 415)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise _bad("Request body is not valid JSON.") from None
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


def operation_not_allowed(error: InvalidOperationTypeError, method: str) -> ApiError:
    if error.operation_type is OperationType.SUBSCRIPTION:
        return _bad("Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql.")
    if error.operation_type is OperationType.MUTATION and method == "GET":
        return _bad("Send mutations with POST.", 405)
    return _bad(f"{error.operation_type.value.capitalize()} operations are not allowed here.")


def format_error(error: GraphQLError, request_id: str | None) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, ApiError):
        entry = graphql_error_entry(original, request_id)
    elif original is not None:
        entry = graphql_error_entry(
            ApiError(ErrorCode.INTERNAL, "Internal server error."), request_id
        )
    else:
        code = (error.extensions or {}).get("code", ErrorCode.BAD_REQUEST.value)
        entry = {"message": error.message, "extensions": {"code": code, "request_id": request_id}}
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        entry["path"] = error.path
    return entry


class GraphQLEndpoint:
    def __init__(
        self,
        schema: BaseSchema,
        context_factory: ContextFactory,
        *,
        graphiql: PageRenderer | None = None,
        websocket: ASGIApp | None = None,
    ) -> None:
        self.schema = schema
        self.context_factory = context_factory
        self.graphiql = graphiql
        self.websocket = websocket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if self.websocket is None:
                await send({"type": "websocket.close", "code": 4404})
                return
            await self.websocket(scope, receive, send)
            return
        method = scope["method"]
        if method == "GET" and self.graphiql and "text/html" in _header(scope, b"accept"):
            await self.graphiql(scope, receive, send)
            return
        try:
            if method not in ("GET", "POST"):
                raise _bad("GraphQL accepts GET and POST only.", 405)
            body = await read_body(receive) if method == "POST" else b""
            request = parse_request(
                method,
                _header(scope, b"content-type"),
                body,
                scope.get("query_string", b"").decode(),
            )
        except ApiError as error:
            await send_error(scope, send, error)
            return
        allowed = (
            {OperationType.QUERY}
            if method == "GET"
            else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            result = await self.schema.execute(
                request["query"],
                variable_values=request["variables"],
                context_value=self.context_factory(scope),
                operation_name=request["operation_name"],
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError as error:
            await send_error(scope, send, operation_not_allowed(error, method))
            return
        request_id = request_id_of(scope)
        payload: dict[str, Any] = {}
        status = 200
        if result.errors:
            payload["errors"] = [format_error(e, request_id) for e in result.errors]
            if result.data is None and all(e.original_error is None for e in result.errors):
                code = payload["errors"][0]["extensions"]["code"]
                status = ErrorCode(code).http_status if code in ErrorCode.__members__ else 400
        payload["data"] = result.data
        await send_json(send, status, payload)
