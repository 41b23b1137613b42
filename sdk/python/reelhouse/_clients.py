"""``Reelhouse`` and ``AsyncReelhouse``: one API key, every resource as an attribute."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

from reelhouse._client import AsyncRetryTransport, RetryTransport
from reelhouse._generated.client import AuthenticatedClient
from reelhouse._resources import Resources, ResourcesAsync

USER_AGENT = "reelhouse-python/0.1.0"


def _headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT}


class Reelhouse(Resources):
    """``Reelhouse(base_url="https://…", api_key="rh_live_…")``; ``client.projects.create(...)``,
    ``for job in client.jobs.list(status="queued"): ...``.

    Writes carry an ``Idempotency-Key`` and are retried, like reads, on network errors and
    429/503 (``max_retries`` times, honouring ``Retry-After``). ``client.raw`` is the generated
    low-level client (``reelhouse._generated.api``) sharing the same connection and retries.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        max_retries: int = 3,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        inner = transport or httpx.HTTPTransport()
        self.http = httpx.Client(
            base_url=base_url,
            headers=_headers(api_key),
            timeout=timeout,
            transport=RetryTransport(inner, max_retries),
        )
        self.raw = AuthenticatedClient(base_url=base_url, token=api_key)
        self.raw.set_httpx_client(self.http)
        super().__init__(self.http)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Reelhouse:
        return self

    def __exit__(
        self, *exc: tuple[type[BaseException], BaseException, TracebackType] | Any
    ) -> None:
        self.close()


class AsyncReelhouse(ResourcesAsync):
    """The same, for asyncio: ``await client.projects.create(...)``,
    ``async for job in client.jobs.list(): ...``."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        max_retries: int = 3,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        inner = transport or httpx.AsyncHTTPTransport()
        self.http = httpx.AsyncClient(
            base_url=base_url,
            headers=_headers(api_key),
            timeout=timeout,
            transport=AsyncRetryTransport(inner, max_retries),
        )
        self.raw = AuthenticatedClient(base_url=base_url, token=api_key)
        self.raw.set_async_httpx_client(self.http)
        super().__init__(self.http)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncReelhouse:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()
