"""The runtime the generated resources (``reelhouse._resources``) call: retries with
idempotency keys, errors as typed exceptions, lists as iterators over every page.

Retries live in an httpx transport, so the generated low-level functions
(``reelhouse._generated.api``, with ``client.raw``) get them too:

- every write (``POST``, ``PATCH``, ``DELETE``) carries an ``Idempotency-Key`` (a fresh UUID
  unless the caller set one), the same on each retry, so the server runs it at most once;
- network failures and ``429``/``503`` are retried up to ``max_retries`` times, waiting what
  ``Retry-After`` says (seconds or an HTTP date), else an exponential backoff with jitter.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from reelhouse.errors import ReelhouseConnectionError, ReelhouseError, error_from_response

WRITES = frozenset({"POST", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({429, 503})
IDEMPOTENCY_HEADER = "Idempotency-Key"
BACKOFF_SECONDS = 0.5
MAX_WAIT_SECONDS = 60.0

T = TypeVar("T")
QueryPairs = list[tuple[str, str | int | float | bool | None]]


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """``Retry-After`` when the server sent it, else 0.5 s, 1 s, 2 s, … with ±25 % jitter."""
    if response is not None:
        value = response.headers.get("retry-after")
        if value is not None:
            try:
                return min(max(float(value), 0.0), MAX_WAIT_SECONDS)
            except ValueError:
                pass
            try:
                when: datetime = parsedate_to_datetime(value)
                wait = (when - datetime.now(UTC)).total_seconds()
                return min(max(wait, 0.0), MAX_WAIT_SECONDS)
            except (TypeError, ValueError):
                pass
    backoff = BACKOFF_SECONDS * 2.0**attempt
    return min(backoff * random.uniform(0.75, 1.25), MAX_WAIT_SECONDS)


def _with_idempotency_key(request: httpx.Request) -> None:
    if request.method in WRITES and IDEMPOTENCY_HEADER not in request.headers:
        request.headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())


class RetryTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, max_retries: int = 3) -> None:
        self.inner = inner
        self.max_retries = max_retries

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _with_idempotency_key(request)
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                response = self.inner.handle_request(request)
            except httpx.TransportError:
                if last:
                    raise
                time.sleep(retry_delay(attempt, None))
                continue
            if response.status_code not in RETRY_STATUSES or last:
                return response
            response.read()
            response.close()
            time.sleep(retry_delay(attempt, response))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, max_retries: int = 3) -> None:
        self.inner = inner
        self.max_retries = max_retries

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _with_idempotency_key(request)
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.TransportError:
                if last:
                    raise
                await asyncio.sleep(retry_delay(attempt, None))
                continue
            if response.status_code not in RETRY_STATUSES or last:
                return response
            await response.aread()
            await response.aclose()
            await asyncio.sleep(retry_delay(attempt, response))
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True, slots=True)
class Operation:
    """One ``/v1`` route as the generated resources call it."""

    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    body: bool
    paged: bool


def _plain(value: Any) -> Any:
    """Arguments as JSON: enums by value, datetimes in ISO 8601, models by ``to_dict``."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _query_text(value: Any) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in values:
        item = _plain(item)
        out.append(str(item).lower() if isinstance(item, bool) else str(item))
    return out


def build_request(
    operation: Operation, arguments: Mapping[str, Any]
) -> tuple[str, QueryPairs, dict[str, Any] | None]:
    """URL, query pairs and JSON body from one keyword-argument call; unknown names are sent
    on (the server refuses them with a 422 naming the field)."""
    path = operation.path
    rest = dict(arguments)
    for name in operation.path_params:
        if name not in rest:
            raise TypeError(f"missing argument `{name}`")
        path = path.replace(f"{{{name}}}", quote(str(_plain(rest.pop(name))), safe=""))
    query: QueryPairs = []
    for name in operation.query_params:
        if name in rest and rest[name] is not None:
            query += [(name, text) for text in _query_text(rest.pop(name))]
    if operation.body:
        return path, query, {k: _plain(v) for k, v in rest.items()}
    for name, value in rest.items():
        if value is not None:
            query += [(name, text) for text in _query_text(value)]
    return path, query, None


def _result(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        raise error_from_response(response.status_code, body, response.headers)
    if response.status_code == 204 or not response.content:
        return None
    return response.json()


def _required(model: Callable[[Any], T], value: Any) -> T:
    if value is None:
        raise ReelhouseError("The API answered without the object it documents.", 204)
    return model(value)


def _optional(model: Callable[[Any], T], value: Any) -> T | None:
    return None if value is None else model(value)


class SyncResource:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def _send(self, operation: Operation, arguments: Mapping[str, Any]) -> Any:
        path, query, body = build_request(operation, arguments)
        try:
            response = self._http.request(operation.method, path, params=query, json=body)
        except httpx.TransportError as error:
            raise ReelhouseConnectionError(str(error), 0, "CONNECTION_FAILED") from error
        return _result(response)

    def _one(self, operation: Operation, model: Callable[[Any], T], args: Any) -> T:
        return _required(model, self._send(operation, args))

    def _maybe(self, operation: Operation, model: Callable[[Any], T], args: Any) -> T | None:
        """For routes that may answer 204 (a claim with nothing to claim)."""
        return _optional(model, self._send(operation, args))

    def _raw(self, operation: Operation, args: Any) -> Any:
        """The JSON answer of a route whose answer has no model of its own."""
        return self._send(operation, args)

    def _list(
        self, operation: Operation, model: Callable[[Any], T], args: Mapping[str, Any]
    ) -> Iterator[T]:
        arguments = dict(args)
        while True:
            page = self._send(operation, arguments)
            for item in page["data"]:
                yield model(item)
            if not page.get("has_more") or not page.get("next_cursor"):
                return
            arguments["cursor"] = page["next_cursor"]


class AsyncResource:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def _send(self, operation: Operation, arguments: Mapping[str, Any]) -> Any:
        path, query, body = build_request(operation, arguments)
        try:
            response = await self._http.request(operation.method, path, params=query, json=body)
        except httpx.TransportError as error:
            raise ReelhouseConnectionError(str(error), 0, "CONNECTION_FAILED") from error
        return _result(response)

    async def _one(self, operation: Operation, model: Callable[[Any], T], args: Any) -> T:
        return _required(model, await self._send(operation, args))

    async def _maybe(self, operation: Operation, model: Callable[[Any], T], args: Any) -> T | None:
        return _optional(model, await self._send(operation, args))

    async def _raw(self, operation: Operation, args: Any) -> Any:
        return await self._send(operation, args)

    async def _list(
        self, operation: Operation, model: Callable[[Any], T], args: Mapping[str, Any]
    ) -> AsyncIterator[T]:
        arguments = dict(args)
        while True:
            page = await self._send(operation, arguments)
            for item in page["data"]:
                yield model(item)
            if not page.get("has_more") or not page.get("next_cursor"):
                return
            arguments["cursor"] = page["next_cursor"]
