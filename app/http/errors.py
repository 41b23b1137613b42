"""Rendering an ``ApiError`` in the contract's shape for either transport."""

from __future__ import annotations

from typing import Any

import orjson

from app.errors import ApiError
from app.types import Scope, Send

GRAPHQL_PATH = "/graphql"


def is_graphql(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return path == GRAPHQL_PATH or path.startswith(GRAPHQL_PATH + "/")


def request_id_of(scope: Scope) -> str | None:
    state = scope.get("state") or {}
    value = state.get("request_id")
    return value if isinstance(value, str) else None


def rest_error_body(error: ApiError, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code.value, "message": error.message}
    if error.fields:
        body["fields"] = [
            {"field": ".".join(f.field), "code": f.code, "message": f.message} for f in error.fields
        ]
    body["request_id"] = request_id
    return {"error": body}


def graphql_error_entry(error: ApiError, request_id: str | None) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error.code.value, "request_id": request_id}
    if error.fields:
        extensions["fields"] = [
            {"field": list(f.field), "code": f.code, "message": f.message} for f in error.fields
        ]
    return {"message": error.message, "extensions": extensions}


def error_body(scope: Scope, error: ApiError) -> dict[str, Any]:
    request_id = request_id_of(scope)
    if is_graphql(scope):
        return {"errors": [graphql_error_entry(error, request_id)]}
    return rest_error_body(error, request_id)


async def send_json(
    send: Send, status: int, body: Any, headers: dict[str, str] | None = None
) -> None:
    payload = orjson.dumps(body)
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    raw.extend((k.lower().encode(), v.encode()) for k, v in (headers or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def send_error(scope: Scope, send: Send, error: ApiError) -> None:
    await send_json(send, error.http_status, error_body(scope, error), error.headers)
