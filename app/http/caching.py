"""HTTP caching: strong ``ETag``s and ``If-None-Match`` for single objects, and the
``Cache-Control`` every answer carries: ``private, no-cache`` when it was made for one key
(a shared cache must not keep it, a browser must revalidate), ``public, max-age`` on what is the
same for everyone (the OpenAPI document, the SDL, docs and GraphiQL assets)."""

from __future__ import annotations

import hashlib

from app.types import ASGIApp, Message, Receive, Scope, Send

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
