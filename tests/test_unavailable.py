"""A database or Redis that goes away is 503 ``SERVICE_UNAVAILABLE`` with ``Retry-After``, never
500, and the process recovers by itself when it comes back; a graceful shutdown has a bound
after which requests still running are answered 503 and cut."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.engine import make_url

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.demo import ensure_organization
from app.factory import Application, create_app
from app.http.errors import ErrorBoundary
from app.migrate import upgrade_async
from app.types import Receive, Send
from app.types import Scope as AsgiScope
from tests.backends import SECRET_KEY, sqlite_database
from tests.conftest import Backend, Tenant
from tests.events_fixtures import GraphQLSocket, serve
from tests.lifespan import lifespan
from tests.proxy import TcpProxy
from tests.server_processes import ROOT, serve_process, until_ready

PROJECTS = "{ projects(first: 5) { nodes { id } } }"
CREATE = "mutation($s: String!) { createProject(input: {slug: $s, name: $s}) { project { id } } }"


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    code = body["error"]["code"] if "error" in body else body["errors"][0]["extensions"]["code"]
    assert code == "SERVICE_UNAVAILABLE"
    assert int(response.headers["retry-after"]) > 0


@contextlib.contextmanager
def sqlite_locked(url: str) -> Iterator[None]:
    """Another process holding SQLite's write lock (a backup, a long migration)."""
    path = make_url(url).database
    assert path is not None
    connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


@contextlib.asynccontextmanager
async def outage_app(backend: Backend) -> AsyncIterator[tuple[Application, Any]]:
    """A second app on the backend's store, with a switch that takes the store away: a TCP
    proxy cut for PostgreSQL, another process's write lock for SQLite (0.3 s busy timeout)."""
    settings = backend.settings
    if backend.name == "postgres":
        async with TcpProxy.to(settings.database_url) as proxy:
            app = create_app(
                settings.model_copy(update={"database_url": proxy.url(settings.database_url)})
            )
            async with lifespan(app):
                yield app, proxy
    else:
        app = create_app(settings.model_copy(update={"sqlite_busy_timeout_seconds": 0.3}))
        async with lifespan(app):
            yield app, None


async def test_a_database_outage_is_503_and_the_process_recovers_by_itself(
    tenant: Tenant, backend: Backend
) -> None:
    async with outage_app(backend) as (app, proxy):
        headers = {"Authorization": f"Bearer {tenant.token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://outage") as client:

            async def create(slug: str) -> httpx.Response:
                return await client.post(
                    "/graphql", json={"query": CREATE, "variables": {"s": slug}}, headers=headers
                )

            assert (await create("before")).status_code == 200
            if proxy is not None:
                await proxy.cut()
                responses = [
                    await create("during"),
                    await client.post("/graphql", json={"query": PROJECTS}, headers=headers),
                    await client.get("/v1/projects", headers=headers),
                    await client.post(
                        "/v1/projects", json={"slug": "rest", "name": "R"}, headers=headers
                    ),
                ]
                await proxy.restore()
            else:
                with sqlite_locked(backend.settings.database_url):
                    responses = [
                        await create("during"),
                        await client.post(
                            "/v1/projects", json={"slug": "rest", "name": "R"}, headers=headers
                        ),
                    ]
            for response in responses:
                assert_unavailable(response)
            recovered = await create("after")
            assert recovered.status_code == 200 and not recovered.json().get("errors")
            listed = await client.get("/v1/projects", headers=headers)
            slugs = {p["slug"] for p in listed.json()["data"]}
            assert {"before", "after"} <= slugs and "during" not in slugs


async def test_an_unreachable_redis_on_the_request_path_is_503() -> None:
    """Whatever needs Redis on a request (rate limits, a subscription) and finds it gone."""

    async def needs_redis(_scope: AsgiScope, _receive: Receive, _send: Send) -> None:
        raise RedisConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    transport = httpx.ASGITransport(app=ErrorBoundary(needs_redis))
    async with httpx.AsyncClient(transport=transport, base_url="http://redis-down") as client:
        assert_unavailable(await client.get("/v1/projects"))


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_subscriptions_are_refused_while_the_fan_out_is_unreachable(
    tenant: Tenant, backend: Backend
) -> None:
    """(The embedded server's fan-out is in-process: it cannot be unreachable.)"""

    settings = backend.settings
    assert settings.redis_url is not None
    async with TcpProxy.to(settings.redis_url) as proxy:
        await proxy.cut()
        app = create_app(settings.model_copy(update={"redis_url": proxy.url(settings.redis_url)}))
        try:
            async with serve(app) as server, GraphQLSocket.connect(server) as socket:
                await socket.init(tenant.token)
                await socket.subscribe("1", "subscription { events { id } }")
                message = await socket.receive()
                assert message["type"] == "error"
                assert message["payload"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        finally:
            await app.services.bus.close()
            if app.services.redis is not None:
                await app.services.redis.aclose()
            await app.services.db.dispose()


def stalling_receiver() -> tuple[socket.socket, threading.Event]:
    """A TCP listener that accepts webhook requests and never answers them."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                conn, _ = listener.accept()
                held.append(conn)
        for conn in held:
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    return listener, stop


@pytest.mark.slow
async def test_graceful_shutdown_cuts_late_requests_with_503() -> None:
    """A real ``reelhouse serve`` with a 1 s bound gets SIGTERM while a request waits on a
    webhook receiver that never answers (10 s timeout): the request is answered 503 at the
    bound, not after the 10 s, and the process exits."""
    async with sqlite_database() as url:
        await upgrade_async(url)
        from app.database import Database

        db = Database(url)
        org, _ = await ensure_organization(db, "shutdown", "Shutdown")
        async with db.writing() as session:
            _, token = await issue_key(session, org_id=org.id, name="admin", scopes=[Scope.ADMIN])
        await db.dispose()
        listener, stop = stalling_receiver()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "REELHOUSE_DATABASE_URL": url,
            "REELHOUSE_SECRET_KEY": SECRET_KEY,
            "REELHOUSE_WEBHOOKS_ALLOW_PRIVATE_URLS": "true",
            "REELHOUSE_EVENTS_EMBEDDED_WORKER": "false",
            "REELHOUSE_SHUTDOWN_GRACE_SECONDS": "1",
        }
        env.pop("REELHOUSE_REDIS_URL", None)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with serve_process(env) as server, httpx.AsyncClient(timeout=30) as http:
                await until_ready(http, server)
                port = listener.getsockname()[1]
                created = await http.post(
                    f"{server.url}/v1/webhook_endpoints",
                    json={"url": f"http://127.0.0.1:{port}/stall"},
                    headers=headers,
                )
                endpoint = created.json()["id"]
                pending = asyncio.create_task(
                    http.post(f"{server.url}/v1/webhook_endpoints/{endpoint}/test", headers=headers)
                )
                await asyncio.sleep(1.0)
                server.process.send_signal(signal.SIGTERM)
                response = await pending
                assert_unavailable(response)
                assert "shutting down" in response.json()["error"]["message"]
                assert await asyncio.wait_for(server.process.wait(), 15) is not None
        finally:
            stop.set()
            listener.close()
