"""The request deadline: work past it is cancelled, answered 504 ``TIMEOUT``, and keeps none
of its writes; on PostgreSQL the slow statement is stopped by the server first and the pool
stays healthy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text

from app.factory import Application, create_app
from resolvers import projects as logic
from tests.api_client import Api
from tests.conftest import Backend, Tenant

TIMEOUT_SECONDS = 1.5


@dataclass
class Hasty:
    app: Application
    api: Api


@pytest_asyncio.fixture(loop_scope="session")
async def hasty(backend: Backend, tenant: Tenant, transport: str) -> AsyncIterator[Hasty]:
    """The backend's store behind an app whose requests may run 1.5 seconds."""
    settings = backend.settings.model_copy(update={"request_timeout_seconds": TIMEOUT_SECONDS})
    app = create_app(settings)
    try:
        asgi = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=asgi, base_url="http://testserver") as client:
            yield Hasty(app, Api(client, tenant.token, transport, tenant))
    finally:
        await app.services.close()


def _slow_list(backend: Backend) -> Any:
    async def slow(ctx: Any, *_args: Any, **_kwargs: Any) -> Any:
        if backend.name == "postgres":
            async with ctx.db.reading() as session:
                await session.execute(text("SELECT pg_sleep(30)"))
        await asyncio.sleep(30)

    return slow


async def test_a_slow_request_is_answered_504(
    hasty: Hasty, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logic, "list_projects", _slow_list(backend))
    started = asyncio.get_running_loop().time()
    outcome = await asyncio.wait_for(hasty.api.list("projects"), 10)
    assert (outcome.status, outcome.error) == (504, "TIMEOUT"), outcome
    assert asyncio.get_running_loop().time() - started < TIMEOUT_SECONDS + 2
    if backend.name == "postgres":
        assert "statement" in outcome.message, "PostgreSQL stopped it before the deadline"


async def test_the_pool_is_healthy_after_a_timed_out_statement(
    hasty: Hasty, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(logic, "list_projects", _slow_list(backend))
        slow = [hasty.api.list("projects") for _ in range(3)]
        outcomes = await asyncio.wait_for(asyncio.gather(*slow), 10)
        assert {o.status for o in outcomes} == {504}
    created = await hasty.api.create("projects", {"slug": "after-timeout", "name": "A"})
    project = created.ok()["id"]
    assert (await hasty.api.list("projects", slug="after-timeout")).ids == [project]
    for engine in hasty.app.services.db.engines:
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_timed_out_mutation_keeps_none_of_its_writes(
    hasty: Hasty, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = logic.create_project

    async def write_then_stall(ctx: Any, values: Any) -> Any:
        project = await create(ctx, values)
        await asyncio.sleep(30)
        return project

    with monkeypatch.context() as patch:
        patch.setattr(logic, "create_project", write_then_stall)
        outcome = await asyncio.wait_for(
            hasty.api.create("projects", {"slug": "stalled", "name": "S"}), 10
        )
    assert (outcome.status, outcome.error) == (504, "TIMEOUT"), outcome
    assert (await hasty.api.list("projects", slug="stalled")).ok() == []
    again = await hasty.api.create("projects", {"slug": "stalled", "name": "S"})
    assert again.ok()["slug"] == "stalled", "the slug was never taken"


async def test_a_timed_out_mutation_releases_its_idempotency_key(
    hasty: Hasty, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = logic.create_project

    async def stall(ctx: Any, values: Any) -> Any:
        await create(ctx, values)
        await asyncio.sleep(30)

    api = hasty.api
    headers = {"Authorization": f"Bearer {api.token}", "Idempotency-Key": "timeout-retry-1"}
    url, body = "/v1/projects", {"slug": "retry", "name": "R"}
    if api.transport == "graphql":
        query = 'mutation { createProject(input: {slug: "retry", name: "R"}) { project { slug } } }'
        url, body = "/graphql", {"query": query}
    with monkeypatch.context() as patch:
        patch.setattr(logic, "create_project", stall)
        first = await asyncio.wait_for(api.http.post(url, json=body, headers=headers), 10)
    assert first.status_code == 504, first.text
    retry = await api.http.post(url, json=body, headers=headers)
    assert retry.status_code in (200, 201), retry.text
    assert "idempotent-replayed" not in retry.headers, "the retry ran afresh"
    assert (await api.list("projects", slug="retry")).ids != []
