"""Revocation reaches every process: Redis subscription, the embedded poller, two real servers."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis
from sqlalchemy import select
from sqlmodel import col

from app.auth.issuing import issue_key
from app.auth.key_changes import KeyChangeNotifier, KeyChangePoller, KeyChangeSubscriber
from app.auth.keystore import KeyStore
from app.auth.scopes import Scope
from app.cli import main as cli_main
from app.clock import utcnow
from app.database import Database
from app.demo import ensure_organization
from app.errors import ApiError, ErrorCode
from app.migrate import upgrade_async
from app.models import ApiKey
from tests.backends import SECRET_KEY, postgres_database, redis_namespace
from tests.conftest import Backend, Tenant
from tests.keys_fixtures import PROBE, REVOKE_KEY, ROTATE_KEY, UPDATE_KEY, set_key_columns
from tests.server_processes import ROOT, Server, serve_process, until_ready

PROPAGATION_LIMIT = 1.0
"""Seconds within which a change must reach every process (the contract)."""


async def _within(limit: float, check: Callable[[], Awaitable[bool]]) -> float:
    """Seconds until ``check`` holds, polling; fails if it does not hold within ``limit``."""
    started = time.monotonic()
    while True:
        if await check():
            return time.monotonic() - started
        elapsed = time.monotonic() - started
        assert elapsed < limit, f"not within {limit}s"
        await asyncio.sleep(0.02)


async def _refused(store: KeyStore, token: str, code: ErrorCode) -> bool:
    try:
        await store.authenticate(token)
    except ApiError as error:
        refused_with = error.code
    else:
        return False
    assert refused_with is code
    return True


@pytest_asyncio.fixture(loop_scope="session")
async def redis_ns() -> AsyncIterator[tuple[str, str]]:
    async with redis_namespace() as namespace:
        yield namespace


async def test_subscriber_drops_changed_keys_and_stops_caching_while_down(
    tenant: Tenant, services: Any, redis_ns: tuple[str, str]
) -> None:
    url, prefix = redis_ns
    store = KeyStore(services.db, caching=False)
    subscriber = KeyChangeSubscriber(store, url, prefix)
    publisher_redis = Redis.from_url(url)
    admin = Redis.from_url(url, decode_responses=True)
    task = asyncio.create_task(subscriber.run())
    try:
        await asyncio.wait_for(subscriber.confirmed.wait(), 5)
        assert store.caching
        token = await tenant.key(Scope.PROJECTS_READ)
        principal = await store.authenticate(token)
        await set_key_columns(services.db, principal.credential_id, revoked_at=utcnow())
        assert await store.authenticate(token) == principal, "served from the cache"

        await KeyChangeNotifier(None, publisher_redis, prefix).announce(principal.credential_id)
        await _within(PROPAGATION_LIMIT, lambda: _refused(store, token, ErrorCode.API_KEY_REVOKED))

        clients = [c for c in await admin.client_list() if c["name"] == subscriber.client_name]
        assert len(clients) == 1
        await admin.client_kill_filter(_id=clients[0]["id"])
        await _within(PROPAGATION_LIMIT, lambda: _is(not store.caching))
        await asyncio.wait_for(subscriber.confirmed.wait(), 10)
        assert store.caching and subscriber.live
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await publisher_redis.aclose()
        await admin.aclose()
    assert not store.caching, "a stopped subscriber leaves the cache off"


async def _is(value: bool) -> bool:
    return value


async def test_poller_notices_a_revocation_by_another_process(
    tenant: Tenant, services: Any, backend: Backend
) -> None:
    """Embedded mode: `reelhouse keys revoke` runs in its own process, next to the server."""
    store = KeyStore(services.db)
    poller = KeyChangePoller(store, services.db, interval=0.05)
    token = await tenant.key(Scope.PROJECTS_READ)
    principal = await store.authenticate(token)
    await poller.poll()
    assert await store.authenticate(token) == principal, "cached, and the poller has a baseline"
    task = asyncio.create_task(poller.run())
    try:
        code = await asyncio.to_thread(
            cli_main, ["keys", "revoke", principal.credential_id], backend.settings
        )
        assert code == 0
        await _within(PROPAGATION_LIMIT, lambda: _refused(store, token, ErrorCode.API_KEY_REVOKED))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await poller.poll() == [], "a change is dropped once, not on every poll"


@pytest.mark.slow
async def test_two_server_processes_apply_changes_within_a_second() -> None:
    async with AsyncExitStack() as stack:
        db_url = await stack.enter_async_context(postgres_database("keys"))
        redis_url, prefix = await stack.enter_async_context(redis_namespace())
        await upgrade_async(db_url)
        db = Database(db_url)
        stack.push_async_callback(db.dispose)
        org, _ = await ensure_organization(db, "two-processes", "Two processes")
        tokens: dict[str, str] = {}
        ids: dict[str, str] = {}
        async with db.writing() as session:
            for name, scopes in (
                ("admin", [Scope.ADMIN]),
                ("revoked", [Scope.PROJECTS_READ]),
                ("narrowed", [Scope.PROJECTS_READ, Scope.KEYS_READ]),
                ("rotated", [Scope.PROJECTS_READ]),
                ("behind the back", [Scope.PROJECTS_READ]),
            ):
                key, tokens[name] = await issue_key(
                    session, org_id=org.id, name=name, scopes=scopes
                )
                ids[name] = key.id

        servers = await stack.enter_async_context(AsyncExitStack())
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "REELHOUSE_DATABASE_URL": db_url,
            "REELHOUSE_REDIS_URL": redis_url,
            "REELHOUSE_REDIS_PREFIX": prefix,
            "REELHOUSE_SECRET_KEY": SECRET_KEY,
            "REELHOUSE_KEY_CACHE_SECONDS": "300",
        }
        a, b = await asyncio.gather(
            servers.enter_async_context(serve_process(env)),
            servers.enter_async_context(serve_process(env)),
        )
        http = await servers.enter_async_context(httpx.AsyncClient(timeout=10))
        await asyncio.gather(until_ready(http, a), until_ready(http, b))

        async def gql(server: Server, token: str, query: str, variables: Any = None) -> Any:
            response = await http.post(
                f"{server.url}/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {token}"},
            )
            return response.status_code, response.json()

        def code_of(answer: Any) -> str | None:
            errors = answer[1].get("errors")
            return errors[0]["extensions"]["code"] if errors else None

        for name in ("revoked", "narrowed", "rotated", "behind the back"):
            assert (await gql(b, tokens[name], PROBE))[0] == 200, name

        await set_key_columns(db, ids["behind the back"], revoked_at=utcnow())
        assert (await gql(b, tokens["behind the back"], PROBE))[0] == 200, (
            "B caches keys (else the checks below would prove nothing)"
        )

        async def refused_on_b(name: str, code: str) -> bool:
            return code_of(await gql(b, tokens[name], PROBE)) == code

        answer = await gql(a, tokens["admin"], REVOKE_KEY, {"id": ids["revoked"]})
        assert answer[1]["data"]["revokeApiKey"]["userErrors"] == []
        await _within(PROPAGATION_LIMIT, lambda: refused_on_b("revoked", "API_KEY_REVOKED"))

        answer = await gql(
            a,
            tokens["admin"],
            UPDATE_KEY,
            {"input": {"id": ids["narrowed"], "scopes": ["keys:read"]}},
        )
        assert answer[1]["data"]["updateApiKey"]["userErrors"] == []
        await _within(PROPAGATION_LIMIT, lambda: refused_on_b("narrowed", "UNAUTHORIZED_SCOPE"))

        answer = await gql(
            a,
            tokens["admin"],
            ROTATE_KEY,
            {"input": {"id": ids["rotated"], "gracePeriodSeconds": 0}},
        )
        new_secret = answer[1]["data"]["rotateApiKey"]["secret"]
        await _within(PROPAGATION_LIMIT, lambda: refused_on_b("rotated", "API_KEY_EXPIRED"))
        assert (await gql(b, new_secret, PROBE))[0] == 200

        await servers.aclose()
        async with db.reading() as session:
            used = (
                await session.execute(
                    select(col(ApiKey.last_used_at)).where(col(ApiKey.id) == ids["narrowed"])
                )
            ).scalar_one()
        assert used is not None, "last use is flushed at shutdown"
