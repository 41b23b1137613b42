"""A real ``reelhouse serve`` keeps its audit promise when it is stopped: after SIGTERM every
call it answered has its record; after SIGKILL every change it committed still has its record
(reads may lose the last unflushed batch, which ``bench`` measures)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import httpx
import pytest
from sqlmodel import col, func, select

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.demo import ensure_organization
from app.models import AuditRecord
from tests.process_fixtures import Environment, environment
from tests.server_processes import Server, serve_process, until_ready

CALLS = 120
CONCURRENCY = 12
QUIET_SERVER = {
    "REELHOUSE_AUDIT_FLUSH_SECONDS": "5",
    "REELHOUSE_EVENTS_EMBEDDED_WORKER": "false",
    "REELHOUSE_RATE_LIMIT_WRITE_PER_MINUTE": "100000",
}
"""Batches wait 5 s, so what reaches the store after the last answer the shutdown wrote; the
write budget is above the calls' so every write commits (the limits have their own tests)."""


async def admin_token(env: Environment, slug: str) -> tuple[str, str]:
    org, _ = await ensure_organization(env.services.db, slug, slug)
    async with env.services.db.writing() as session:
        _, token = await issue_key(session, org_id=org.id, name="admin", scopes=[Scope.ADMIN])
    return org.id, token


async def mixed_call(
    http: httpx.AsyncClient, server: Server, token: str, index: int
) -> tuple[str, int]:
    """Reads, writes and refusals on both transports, by turns."""
    auth = {"Authorization": f"Bearer {token}"}
    kind = index % 6
    if kind == 0:
        response = await http.post(
            f"{server.url}/graphql",
            json={"query": "{ projects(first: 2) { nodes { id } } }"},
            headers=auth,
        )
    elif kind == 1:
        response = await http.get(f"{server.url}/v1/projects?limit=2", headers=auth)
    elif kind == 2:
        response = await http.post(
            f"{server.url}/v1/projects", json={"slug": f"p-{index:05d}", "name": "P"}, headers=auth
        )
    elif kind == 3:
        response = await http.get(
            f"{server.url}/v1/projects/prj_01HZZZZZZZZZZZZZZZZZZZZZZZ", headers=auth
        )
    elif kind == 4:
        response = await http.post(
            f"{server.url}/graphql", json={"query": "{ nope }"}, headers=auth
        )
    else:
        response = await http.get(f"{server.url}/v1/projects")
    assert response.status_code < 500, response.text
    return response.headers["x-request-id"], response.status_code


async def run_calls(
    server: Server, token: str, count: int, start: int = 0
) -> list[tuple[str, int]]:
    limit = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(timeout=60) as http:
        await until_ready(http, server)

        async def one(index: int) -> tuple[str, int]:
            async with limit:
                return await mixed_call(http, server, token, index)

        return list(await asyncio.gather(*(one(start + i) for i in range(count))))


async def stored(env: Environment, request_ids: list[str], **where: Any) -> int:
    async with env.services.db.reading() as session:
        query = select(func.count()).where(col(AuditRecord.request_id).in_(request_ids))
        for name, value in where.items():
            query = query.where(getattr(AuditRecord, name) == value)
        return int((await session.execute(query)).scalar_one())


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_sigterm_writes_every_record_before_exit(store: str) -> None:
    async with environment(store) as env:
        _, token = await admin_token(env, f"sigterm-{store}")
        server_env = env.worker_env(**QUIET_SERVER)
        async with serve_process(server_env) as server:
            request_ids = [rid for rid, _ in await run_calls(server, token, CALLS)]
            server.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(server.process.wait(), 30)
        assert any("Application shutdown complete" in line for line in server.log), server.log
        assert len(set(request_ids)) == CALLS
        assert await stored(env, request_ids) == CALLS, "\n".join(server.log[-20:])


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_sigkill_keeps_the_record_of_every_committed_change(store: str) -> None:
    async with environment(store) as env:
        _, token = await admin_token(env, f"sigkill-{store}")
        server_env = env.worker_env(**QUIET_SERVER)
        async with serve_process(server_env) as server:
            answers = await run_calls(server, token, CALLS)
            server.process.send_signal(signal.SIGKILL)
            await server.process.wait()
        writes = [rid for index, (rid, status) in enumerate(answers) if index % 6 == 2]
        assert all(status == 201 for index, (_, status) in enumerate(answers) if index % 6 == 2)
        assert await stored(env, writes, status=201) == len(writes)


@pytest.mark.slow
async def test_json_logs_one_line_per_request_with_its_ids() -> None:
    """``REELHOUSE_LOG_FORMAT=json``: every line uvicorn and we write is a JSON object, and the
    access line of a request names its ids, credential, organisation and outcome."""
    import orjson

    async with environment("sqlite") as env:
        org_id, token = await admin_token(env, "json-logs")
        server_env = env.worker_env(
            REELHOUSE_LOG_FORMAT="json", REELHOUSE_EVENTS_EMBEDDED_WORKER="false"
        )
        async with serve_process(server_env) as server, httpx.AsyncClient(timeout=30) as http:
            await until_ready(http, server)
            response = await http.post(
                f"{server.url}/graphql",
                json={"query": "query Listing { projects(first: 1) { nodes { id } } }"},
                headers={"Authorization": f"Bearer {token}", "X-Correlation-Id": "trace-me"},
            )
            server.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(server.process.wait(), 30)
        lines = [orjson.loads(line) for line in server.log if line.strip()]
        assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
        assert any(line["logger"].startswith("uvicorn") for line in lines)
        [access] = [
            line
            for line in lines
            if line["logger"] == "reelhouse.access"
            and line.get("request_id") == response.headers["x-request-id"]
        ]
        assert access["correlation_id"] == "trace-me" and access["org_id"] == org_id
        assert access["credential_id"].startswith("key_") and access["transport"] == "graphql"
        assert (access["operation"], access["status"], access["level"]) == ("Listing", 200, "info")
        assert access["duration_ms"] > 0
        assert token not in "\n".join(server.log)
