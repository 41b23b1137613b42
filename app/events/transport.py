"""One webhook POST: SSRF-checked, no redirects, bounded in time, keeping ≤ 1 KB of the answer."""

from __future__ import annotations

import asyncio
import time

import httpx

from app.events.policy import Outcome, parse_retry_after
from app.events.urls import UnsafeUrl, resolve_target
from app.settings import Settings

EXCERPT_BYTES = 1024
USER_AGENT = "Reelhouse-Webhooks/1.0"


def new_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(
            settings.webhook_timeout_seconds, connect=settings.webhook_connect_timeout_seconds
        ),
        limits=httpx.Limits(
            max_connections=settings.webhook_concurrency * 2,
            max_keepalive_connections=settings.webhook_concurrency,
        ),
        headers={"user-agent": USER_AGENT},
    )


def _error_text(error: BaseException) -> str:
    detail = str(error) or type(error).__name__
    return f"{type(error).__name__}: {detail}"[:500]


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

    try:
        async with asyncio.timeout(total_seconds):
            target = await resolve_target(url, allow_private=allow_private)
            request_headers = {**headers, "content-type": "application/json"}
            extensions: dict[str, object] = {}
            if target.host_header is not None:
                request_headers["host"] = target.host_header
            if target.sni_hostname is not None:
                extensions["sni_hostname"] = target.sni_hostname
            request = client.build_request(
                "POST", target.url, content=body, headers=request_headers, extensions=extensions
            )
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
        return Outcome(None, elapsed(), error=f"refused: {error}"[:500])
    except TimeoutError:
        return Outcome(None, elapsed(), error=f"timed out after {total_seconds:g} s")
    except httpx.HTTPError as error:
        return Outcome(None, elapsed(), error=_error_text(error))
    except OSError as error:
        return Outcome(None, elapsed(), error=_error_text(error))
    retry_after = None
    if response.status_code in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    # Shown as text, so decoded leniently; NUL (which PostgreSQL cannot store) is replaced too.
    text = (
        bytes(excerpt[:EXCERPT_BYTES]).decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    )
    return Outcome(response.status_code, elapsed(), excerpt=text or None, retry_after=retry_after)
