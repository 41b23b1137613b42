"""One webhook POST: SSRF-checked, no redirects, bounded in time, keeping ≤ 1 KB of the answer,
and what was sent and answered in headers (for the person debugging the receiver)."""

from __future__ import annotations

import asyncio
import time

import httpx

from app.events.connections import WebhookTransport
from app.events.policy import Outcome, parse_retry_after
from app.events.urls import UnsafeUrl, resolve_target
from app.settings import Settings

EXCERPT_BYTES = 1024
REQUEST_EXCERPT_BYTES = 4096
MAX_HEADERS = 50
MAX_HEADER_VALUE = 500
USER_AGENT = "Reelhouse-Webhooks/1.0"


def new_client(settings: Settings) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=settings.webhook_concurrency * 2,
        max_keepalive_connections=settings.webhook_concurrency,
    )
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(
            settings.webhook_timeout_seconds, connect=settings.webhook_connect_timeout_seconds
        ),
        transport=WebhookTransport(limits),
        headers={"user-agent": USER_AGENT},
    )


def header_pairs(headers: httpx.Headers | dict[str, str]) -> list[list[str]]:
    """Headers as ``[name, value]`` pairs, at most ``MAX_HEADERS``, values cut to
    ``MAX_HEADER_VALUE`` characters."""
    items = headers.multi_items() if isinstance(headers, httpx.Headers) else headers.items()
    return [[name.lower(), value[:MAX_HEADER_VALUE]] for name, value in items][:MAX_HEADERS]


def _lenient(data: bytes) -> str:
    # Shown as text, so decoded leniently; NUL (which PostgreSQL cannot store) is replaced too.
    return data.decode("utf-8", errors="replace").replace("\x00", "\ufffd")


def _error_text(error: BaseException) -> str:
    detail = str(error) or type(error).__name__
    return f"{type(error).__name__}: {detail}"


async def post(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool,
    total_seconds: float,
) -> Outcome:
    started = time.perf_counter()

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    request_headers = {**headers, "content-type": "application/json"}
    sent_headers = header_pairs(request_headers)
    sent_body = _lenient(body[:REQUEST_EXCERPT_BYTES]) or None

    def failed(error: str) -> Outcome:
        return Outcome(
            None, elapsed(), error=error[:500], request_headers=sent_headers, request_body=sent_body
        )

    try:
        async with asyncio.timeout(total_seconds):
            target = await resolve_target(url, allow_private=allow_private)
            extensions: dict[str, object] = {}
            if target.host_header is not None:
                request_headers["host"] = target.host_header
            if target.sni_hostname is not None:
                extensions["sni_hostname"] = target.sni_hostname
            request = client.build_request(
                "POST", target.url, content=body, headers=request_headers, extensions=extensions
            )
            sent_headers = header_pairs(request.headers)
            response = await client.send(request, stream=True)
            try:
                excerpt = bytearray()
                async for chunk in response.aiter_bytes():
                    excerpt.extend(chunk)
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
            finally:
                await response.aclose()
    except UnsafeUrl as error:
        return failed(f"refused: {error}")
    except TimeoutError:
        return failed(f"timed out after {total_seconds:g} s")
    except (httpx.HTTPError, OSError) as error:
        return failed(_error_text(error))
    retry_after = None
    if response.status_code in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    text = _lenient(bytes(excerpt[:EXCERPT_BYTES]))
    return Outcome(
        response.status_code,
        elapsed(),
        excerpt=text or None,
        retry_after=retry_after,
        request_headers=sent_headers,
        request_body=sent_body,
        response_headers=header_pairs(response.headers),
    )
