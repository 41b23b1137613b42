"""A real ``reelhouse serve`` killed (SIGKILL) in the middle of a ``submitJob`` that carries an
``Idempotency-Key``: nothing of it is kept, a repeat is answered 409 while the dead request's
claim is fresh, and once it is stale the repeat runs the mutation, for the first and only time.

PostgreSQL only: the test holds the project's row lock so the request is caught after it
claimed its key and before it wrote (SQLite's single writer cannot hold one row alone)."""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlmodel import col

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.models import IdempotencyKey, Job
from tests.process_fixtures import Environment, environment
from tests.server_processes import serve_process, until_ready

CLAIM_SECONDS = 15
"""Long enough for a second server to start while the dead request's claim is fresh."""


async def count_jobs(env: Environment, project_id: str) -> int:
    async with env.services.db.reading() as session:
        query = select(func.count()).where(col(Job.project_id) == project_id)
        return int((await session.execute(query)).scalar_one())


async def claim_of(env: Environment, org_id: str) -> IdempotencyKey | None:
    async with env.services.db.reading() as session:
        query = select(IdempotencyKey).where(col(IdempotencyKey.org_id) == org_id)
        return (await session.execute(query)).scalars().first()


@pytest.mark.slow
@pytest.mark.parametrize("store", ["postgres"])
async def test_a_request_killed_mid_run_runs_once_on_retry(store: str) -> None:
    async with environment(store) as env:
        ctx, project_id, _ = await env.studio("idem-crash")
        async with env.services.db.writing() as session:
            _, token = await issue_key(
                session, org_id=ctx.org_id, name="crash", scopes=[Scope.ADMIN]
            )
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "crash-1"}
        url_path = f"/v1/projects/{project_id}/jobs"
        server_env = env.worker_env(
            REELHOUSE_IDEMPOTENCY_CLAIM_SECONDS=str(CLAIM_SECONDS),
            REELHOUSE_REQUEST_TIMEOUT_SECONDS=str(CLAIM_SECONDS - 5),
            REELHOUSE_EVENTS_EMBEDDED_WORKER="false",
        )

        connection = await env.services.db.write_connection()
        async with httpx.AsyncClient(timeout=30) as http:
            transaction = await connection.begin()
            await connection.execute(
                text("SELECT id FROM projects WHERE id = :id FOR UPDATE"), {"id": project_id}
            )
            async with serve_process(server_env) as server:
                await until_ready(http, server)
                pending = asyncio.create_task(
                    http.post(f"{server.url}{url_path}", json={"kind": "generate"}, headers=headers)
                )
                for _ in range(200):
                    if await claim_of(env, ctx.org_id) is not None:
                        break
                    await asyncio.sleep(0.05)
                claim = await claim_of(env, ctx.org_id)
                assert claim is not None and claim.status is None, "never claimed"
                server.process.send_signal(signal.SIGKILL)
                await server.process.wait()
                with pytest.raises(httpx.TransportError):
                    await pending
            await transaction.rollback()
            await connection.close()

            assert await count_jobs(env, project_id) == 0
            async with serve_process(server_env) as server:
                await until_ready(http, server)
                url = f"{server.url}{url_path}"
                early = await http.post(url, json={"kind": "generate"}, headers=headers)
                assert time.time() < claim.claimed_at.timestamp() + CLAIM_SECONDS
                assert early.status_code == 409, early.text
                assert early.json()["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
                await asyncio.sleep(
                    max(0.0, claim.claimed_at.timestamp() + CLAIM_SECONDS + 0.5 - time.time())
                )
                ran = await http.post(url, json={"kind": "generate"}, headers=headers)
                assert ran.status_code == 201, ran.text
                assert "idempotent-replayed" not in ran.headers
                again = await http.post(url, json={"kind": "generate"}, headers=headers)
                assert (again.status_code, again.content) == (201, ran.content)
                assert again.headers["idempotent-replayed"] == "true"
            assert await count_jobs(env, project_id) == 1
