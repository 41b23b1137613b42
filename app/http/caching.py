"""HTTP caching: strong ``ETag``s and ``If-None-Match`` for single objects, and the
``Cache-Control`` every answer carries: ``private, no-cache`` when it was made for one key
(a shared cache must not keep it, a browser must revalidate), ``public, max-age`` on what is the
same for everyone (the OpenAPI document, the SDL, docs and GraphiQL assets)."""

from __future__ import annotations

import hashlib

from app.http.headers import header
from app.types import ASGIApp, Message, Receive, Scope, Send

JSON_TYPE = "application/json"

PRIVATE = b"private, no-cache"
PUBLIC_MAX_AGE = 300
PUBLIC = f"public, max-age={PUBLIC_MAX_AGE}".encode()


def etag_of(body: bytes) -> str:
    """A strong validator: the same bytes, the same tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def none_match(header: str | None, etag: str) -> bool:
    """``If-None-Match`` holds ``etag`` (RFC 9110 weak comparison, as that header uses)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag.removeprefix("W/") in tags


def with_cache_control(send: Send, value: bytes) -> Send:
    """``send`` that gives the response ``Cache-Control: value`` unless it set its own."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if not any(k.lower() == b"cache-control" for k, _ in headers):
                headers.append((b"cache-control", value))
            message["headers"] = headers
        await send(message)

    return sending


class PublicCache:
    """Wraps an app whose answers are the same for every caller (static assets, documents)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, with_cache_control(send, PUBLIC))


async def send_validated(
    scope: Scope,
    send: Send,
    body: bytes,
    headers: dict[str, str] | None = None,
    content_type: str = JSON_TYPE,
) -> None:
    """200 with a strong ``ETag``, or 304 without a body when ``If-None-Match`` holds it.

    A 304 was still executed (the tag is of the answer it would have sent): it is marked in
    ``scope["state"]["not_modified"]`` for the policies that count and charge requests."""
    etag = etag_of(body)
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    raw.append((b"etag", etag.encode()))
    status = 200
    if none_match(header(scope, b"if-none-match"), etag):
        scope.setdefault("state", {})["not_modified"] = True
        status, body = 304, b""
    else:
        raw += [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def send_public(scope: Scope, send: Send, body: bytes, content_type: str = JSON_TYPE) -> None:
    """A document that is the same for every caller: cacheable by anyone, validated by tag."""
    await send_validated(scope, send, body, {"Cache-Control": PUBLIC.decode()}, content_type)
