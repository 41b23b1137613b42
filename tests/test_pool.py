"""PostgreSQL connections that died in the pool are replaced before a request uses them.

The pool does not pre-ping (a round trip on every checkout): a connection the driver has seen
closed, as after a restart or a killed backend, is replaced at checkout instead
(``app.database``), so no request fails for it.
"""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from app.factory import create_app
from tests.conftest import Backend, Tenant
from tests.lifespan import lifespan

PROJECTS = "{ projects(first: 5) { nodes { id } } }"
POOLED = 4


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_killed_backends_are_replaced_without_failing_a_request(
    backend: Backend, tenant: Tenant
) -> None:
    app = create_app(backend.settings)
    async with lifespan(app):
        engine = app.services.db.read_engine
        gate = asyncio.Event()

        async def backend_pid() -> int:
            async with engine.connect() as connection:
                pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
                await gate.wait()
            return int(pid)

        holders = [asyncio.create_task(backend_pid()) for _ in range(POOLED)]
        await asyncio.sleep(0.2)
        gate.set()
        pids = await asyncio.gather(*holders)
        assert len(set(pids)) == POOLED

        url = backend.settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
        admin = await asyncpg.connect(url)
        try:
            killed = await admin.fetchval(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) "
                "AS pid) AS t",
                pids,
            )
        finally:
            await admin.close()
        assert killed == POOLED
        await asyncio.sleep(0.2)

        headers = {"Authorization": f"Bearer {tenant.token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pool") as client:
            responses = await asyncio.gather(
                *(
                    client.post("/graphql", json={"query": PROJECTS}, headers=headers)
                    for _ in range(2 * POOLED)
                )
            )
        for response in responses:
            assert response.status_code == 200 and not response.json().get("errors"), response.text
