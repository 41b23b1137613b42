"""The ``/v1`` ASGI app: route → variables → the shared GraphQL executor → REST reply.

Nothing here knows a domain: every route is an ``Endpoint`` compiled from the schema. The
request is already authenticated (``app.http.authentication``) and carries its request id.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson
from strawberry.types.graphql import OperationType

from app.errors import ApiError, ErrorCode
from app.http.caching import send_public, send_validated
from app.http.errors import send_error, send_json
from app.http.graphql import Executor, check_variables_size, read_body
from app.http.headers import header
from app.types import Receive, Scope, Send
from rest_compat.api import RestApi
from rest_compat.endpoints import Endpoint, Reply
from rest_compat.routes import Kind

logger = logging.getLogger("reelhouse.rest")

OPENAPI_PATH = "/v1/openapi.json"
INDEX_PATHS = frozenset({"/v1", "/v1/"})
MAX_QUERY_PARAMETERS = 100
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ALLOWED = {
    "query": frozenset({OperationType.QUERY}),
    "mutation": frozenset({OperationType.MUTATION}),
}


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: re.Pattern[str]
    literals: int
    by_method: dict[str, Endpoint]


class Router:
    """Path templates to endpoints; literal segments win over parameters
    (``POST /v1/jobs/claim`` before ``/v1/jobs/{id}``)."""

    def __init__(self, endpoints: Iterable[Endpoint]) -> None:
        grouped: dict[str, dict[str, Endpoint]] = {}
        for endpoint in endpoints:
            grouped.setdefault(endpoint.route.path, {})[endpoint.route.method] = endpoint
        self._buckets: dict[tuple[int, str], list[_Pattern]] = {}
        for template, by_method in grouped.items():
            segments = template.strip("/").split("/")
            regex = (
                "^/"
                + "/".join(
                    f"(?P<{s[1:-1]}>[^/]+)" if s.startswith("{") else re.escape(s) for s in segments
                )
                + "$"
            )
            literals = sum(not s.startswith("{") for s in segments)
            key = (len(segments), segments[1] if len(segments) > 1 else "")
            pattern = _Pattern(re.compile(regex), literals, by_method)
            self._buckets.setdefault(key, []).append(pattern)
        for bucket in self._buckets.values():
            bucket.sort(key=lambda p: -p.literals)

    def resolve(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
        segments = path.strip("/").split("/")
        key = (len(segments), segments[1] if len(segments) > 1 else "")
        allowed: set[str] = set()
        for pattern in self._buckets.get(key, ()):
            match = pattern.regex.match(path)
            if match is None:
                continue
            endpoint = pattern.by_method.get(method)
            if endpoint is not None:
                return endpoint, match.groupdict()
            allowed.update(pattern.by_method)
        if allowed:
            raise ApiError(
                ErrorCode.METHOD_NOT_ALLOWED,
                f"{method} is not allowed on {path}; use {', '.join(sorted(allowed))}.",
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        raise ApiError(ErrorCode.NOT_FOUND, f"No route for {method} {path}.")


def _content_type(scope: Scope) -> str:
    return (header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()


def parse_body(body: bytes, content_type: str) -> Any:
    """The JSON body, or None when there is none; 400 when it is not JSON, 415 when it is not
    declared as JSON (a missing ``Content-Type`` too: form posts must not pass as JSON)."""
    if not body.strip():
        return None
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Send request bodies as `Content-Type: application/json`.",
        )
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ApiError(ErrorCode.BAD_REQUEST, "Request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ApiError(ErrorCode.BAD_REQUEST, "Request body must be a JSON object.")
    return value


def parse_query(raw: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("latin-1"),
            keep_blank_values=True,
            max_num_fields=MAX_QUERY_PARAMETERS,
        )
    except ValueError:
        raise ApiError(
            ErrorCode.BAD_REQUEST, f"More than {MAX_QUERY_PARAMETERS} query parameters."
        ) from None


def index_of(api: RestApi) -> dict[str, Any]:
    """``GET /v1``: every resource and the links to what can be done with it, from the route
    table (the same for every caller, so it needs no key)."""
    resources: dict[str, list[dict[str, str]]] = {}
    for endpoint in api.endpoints:
        route = endpoint.route
        name = route.group(api.table.resources)
        rel = route.path.rsplit("/", 1)[1] if route.kind is Kind.ACTION else route.kind.value
        link = {"rel": rel, "method": route.method, "href": route.path}
        resources.setdefault(name, []).append(link)
    return {
        "name": "Reelhouse REST API",
        "version": "v1",
        "links": {
            "openapi": OPENAPI_PATH,
            "docs": "/docs",
            "graphql": "/graphql",
            "schema": "/graphql/schema.graphql",
        },
        "resources": [{"name": n, "links": links} for n, links in sorted(resources.items())],
    }


class RestApp:
    def __init__(
        self,
        api: RestApi,
        executor: Executor,
        openapi: bytes,
        *,
        max_variables_bytes: int | None = None,
    ) -> None:
        self.max_variables_bytes = max_variables_bytes
        self.api = api
        self.executor = executor
        self.router = Router(api.endpoints)
        self.openapi = openapi
        self.index = orjson.dumps(index_of(api))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method = scope["method"]
        path: str = scope["path"]
        if path == OPENAPI_PATH and method == "GET":
            await send_public(scope, send, self.openapi)
            return
        if path in INDEX_PATHS and method == "GET":
            await send_public(scope, send, self.index)
            return
        try:
            endpoint, reply = await self.handle(scope, receive, method, path)
        except ApiError as error:
            await send_error(scope, send, error)
            return
        if reply.status == 204:
            await _send_raw(send, 204, b"", reply.headers)
            return
        if endpoint.route.kind is Kind.GET:
            await send_validated(scope, send, orjson.dumps(reply.body), dict(reply.headers))
            return
        await send_json(send, reply.status, reply.body, dict(reply.headers))

    async def handle(
        self, scope: Scope, receive: Receive, method: str, path: str
    ) -> tuple[Endpoint, Reply]:
        endpoint, path_params = self.router.resolve(method, path)
        body = None
        query_string: bytes = scope.get("query_string", b"")
        raw_size = len(query_string)
        if method in BODY_METHODS:
            raw = await read_body(receive)
            raw_size += len(raw)
            body = parse_body(raw, _content_type(scope))
        bound = endpoint.binder.bind(path_params, parse_query(query_string), body)
        check_variables_size(bound.variables, raw_size, self.max_variables_bytes)
        result = await self.executor.execute(
            scope, endpoint.document, bound.variables, allowed=ALLOWED[endpoint.route.operation]
        )
        return endpoint, endpoint.reply(result, bound.variables, bound.deprecations)


async def _send_raw(
    send: Send, status: int, body: bytes, headers: dict[str, str] | Any = None
) -> None:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if status != 204:
        raw += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
