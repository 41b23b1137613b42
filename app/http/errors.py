"""Rendering an ``ApiError`` in the contract's shape for either transport, and making sure
every failure (an unknown route, a wrong method, a bug) leaves in that shape too."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.availability import RETRY_AFTER_SECONDS, as_unavailable
from app.errors import ApiError, ErrorCode
from app.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("reelhouse.http")

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
    extensions: dict[str, Any] = {
        **error.extensions,
        "code": error.code.value,
        "request_id": request_id,
    }
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


def internal_error() -> ApiError:
    return ApiError(ErrorCode.INTERNAL, "Internal server error.")


def _response(request: Request, error: ApiError) -> Response:
    return JSONResponse(
        error_body(request.scope, error), status_code=error.http_status, headers=error.headers
    )


async def api_error_handler(request: Request, exc: Exception) -> Response:
    """An ``ApiError`` raised by a route (e.g. a body over the limit while reading it)."""
    assert isinstance(exc, ApiError)
    return _response(request, exc)


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals: no route (404), a method the route does not take (405)."""
    assert isinstance(exc, HTTPException)
    where = f"{request.method} {request.url.path}"
    if exc.status_code == 404:
        error = ApiError(ErrorCode.NOT_FOUND, f"No route for {where}.")
    elif exc.status_code == 405:
        error = ApiError(
            ErrorCode.METHOD_NOT_ALLOWED,
            f"Method not allowed: {where}.",
            headers=dict(exc.headers or {}),
        )
    else:
        error = ApiError(ErrorCode.BAD_REQUEST, exc.detail, status=exc.status_code)
    return _response(request, error)


async def internal_error_handler(request: Request, exc: Exception) -> Response:
    """Answers a bug with ``INTERNAL`` (an unreachable backend with ``SERVICE_UNAVAILABLE``);
    Starlette re-raises it, and ``ErrorBoundary`` logs it."""
    return _response(request, as_unavailable(exc) or internal_error())


def shutting_down() -> ApiError:
    return ApiError(
        ErrorCode.SERVICE_UNAVAILABLE,
        "The server is shutting down; retry.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class ErrorBoundary:
    """Outermost but for the request id: whatever escapes (a bug in a middleware) becomes
    ``INTERNAL`` in the contract's shape, is logged once with its traceback, and never reaches
    the client as a stack trace or a bare 500. An unreachable database or Redis is 503
    ``SERVICE_UNAVAILABLE`` with ``Retry-After``, and so is a request the server cuts because
    its graceful shutdown ran out of time (the server cancels it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ApiError as error:
            if not started:
                await send_error(scope, send, error)
        except asyncio.CancelledError:
            if not started:
                await send_error(scope, send, shutting_down())
            raise
        except Exception as error:
            unavailable = as_unavailable(error)
            if unavailable is not None:
                logger.warning(
                    "%s in %s %s", unavailable.message, scope.get("method"), scope.get("path")
                )
            else:
                logger.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await send_error(scope, send, unavailable or internal_error())
