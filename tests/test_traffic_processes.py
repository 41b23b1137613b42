"""Rate limits hold across processes: two ``reelhouse serve`` processes on one Redis draw on
one bucket per credential."""

from __future__ import annotations

import asyncio
import os
import time
from contextlib import AsyncExitStack

import httpx
import pytest

from app.auth.scopes import Scope
from tests.backends import SECRET_KEY
from tests.conftest import Backend, Tenant
from tests.server_processes import ROOT, Server, serve_process, until_ready

LIMIT = 300
"""Points a minute of the key under test: 5 come back every second."""
WORKERS_PER_SERVER = 8


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_two_processes_admit_what_one_bucket_holds(tenant: Tenant, backend: Backend) -> None:
    settings = backend.settings
    assert settings.redis_url is not None
    token = await tenant.key(Scope.ADMIN, read_rate_limit=LIMIT)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REELHOUSE_DATABASE_URL": settings.database_url,
        "REELHOUSE_REDIS_URL": settings.redis_url,
        "REELHOUSE_REDIS_PREFIX": settings.redis_prefix + "two:",
        "REELHOUSE_SECRET_KEY": SECRET_KEY,
        "REELHOUSE_EVENTS_EMBEDDED_WORKER": "false",
    }
    async with AsyncExitStack() as stack:
        servers = await asyncio.gather(
            stack.enter_async_context(serve_process(env)),
            stack.enter_async_context(serve_process(env)),
        )
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
        await asyncio.gather(*(until_ready(http, s) for s in servers))
        headers = {"Authorization": f"Bearer {token}"}
        admitted = 0
        refused = 0
        stop = asyncio.Event()
        filled = asyncio.Event()

        async def hammer(server: Server) -> None:
            nonlocal admitted, refused
            while not stop.is_set():
                response = await http.get(f"{server.url}/v1/me", headers=headers)
                if response.status_code == 200:
                    admitted += 1
                    if admitted >= LIMIT:
                        filled.set()
                else:
                    assert response.status_code == 429, response.text
                    refused += 1
                    if refused > 4 * LIMIT:
                        stop.set()

        started = time.monotonic()
        tasks = [
            asyncio.create_task(hammer(server))
            for server in servers
            for _ in range(WORKERS_PER_SERVER)
        ]
        await asyncio.wait_for(filled.wait(), 60)
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
        allowed = LIMIT + LIMIT / 60 * elapsed
        assert refused > 0
        assert abs(admitted - allowed) <= 0.05 * LIMIT, (admitted, allowed, elapsed)
