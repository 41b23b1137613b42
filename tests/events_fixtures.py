"""Fixtures for events and webhooks: a real HTTP receiver, a real server, the event worker.

Servers listen on a socket bound to a free loopback port before uvicorn starts, so a client may
connect at once (the connection waits in the backlog) and no test sleeps for a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest_asyncio
import uvicorn
from sqlalchemy import select, update
from sqlmodel import col
from websockets.asyncio.client import connect as websockets_connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from app.auth.tokens import hash_token
from app.clock import utcnow
from app.events.worker import EventWorker
from app.factory import event_worker
from app.models import ApiKey, ApiKeySecret
from app.settings import Settings
from app.types import ASGIApp, Receive, Scope, Send
from schema import build_schema
from tests.conftest import Backend

WAIT_SECONDS = 20.0


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@contextlib.asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn in this event loop; yields ``http://127.0.0.1:<port>``."""
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        ws="websockets-sansio",
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
        sock.close()


@dataclass
class Request:
    headers: dict[str, str]
    body: bytes
    at: float
    status: int = 200

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


Answer = tuple[int, dict[str, str], bytes]
Responder = Callable[[Request, int], Answer]
"""Chooses the answer for a request, given how many requests came before it."""


def always(status: int, body: bytes = b"ok", headers: dict[str, str] | None = None) -> Responder:
    return lambda _request, _index: (status, headers or {}, body)


async def request_body(receive: Receive) -> bytes | None:
    """The whole body of an ASGI request; None if the client went away first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


@dataclass
class Receiver:
    """A webhook receiver at a unique path; it records every request it answers."""

    responder: Responder = field(default_factory=lambda: always(200))
    path: str = field(default_factory=lambda: f"/hook/{secrets.token_hex(6)}")
    requests: list[Request] = field(default_factory=list)
    base_url: str = ""
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def url(self) -> str:
        return self.base_url + self.path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await request_body(receive)
        if body is None:
            return
        headers: dict[str, str] = {}
        if scope["path"] != self.path:
            status, body = 404, b"unknown hook"
        else:
            request = Request(
                headers={k.decode().lower(): v.decode() for k, v in scope["headers"]},
                body=body,
                at=time.monotonic(),
            )
            status, headers, body = self.responder(request, len(self.requests))
            request.status = status
            async with self._changed:
                self.requests.append(request)
                self._changed.notify_all()
        raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    async def wait_for(
        self, predicate: Callable[[list[Request]], bool], within: float = WAIT_SECONDS
    ) -> list[Request]:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self.requests)), within)
        return list(self.requests)

    async def wait_count(self, count: int, within: float = WAIT_SECONDS) -> list[Request]:
        return await self.wait_for(lambda r: len(r) >= count, within)

    def accepted(self) -> list[Request]:
        return [r for r in self.requests if 200 <= r.status < 300]


@contextlib.asynccontextmanager
async def running_receiver(responder: Responder | None = None) -> AsyncIterator[Receiver]:
    receiver = Receiver(responder or always(200))
    async with serve(receiver) as base_url:
        receiver.base_url = base_url
        yield receiver


@pytest_asyncio.fixture(loop_scope="session")
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running


def worker_settings(settings: Settings, **changes: Any) -> Settings:
    """Fast polling and retries, so a test waits milliseconds rather than minutes."""
    fast: dict[str, Any] = {
        "events_poll_seconds": 0.05,
        "webhook_retry_schedule": [0.05, 0.05, 0.05],
        "webhook_retry_jitter": 0.0,
        "webhook_claim_seconds": 10.0,
        "webhook_timeout_seconds": 2.0,
        "webhooks_allow_private_urls": True,
    }
    return settings.model_copy(update={**fast, **changes})


@contextlib.asynccontextmanager
async def running_worker(backend: Backend, **changes: Any) -> AsyncIterator[EventWorker]:
    services = backend.app.services
    settings = worker_settings(backend.settings, **changes)
    async with event_worker(services, build_schema(), settings) as worker:
        yield worker


@pytest_asyncio.fixture(loop_scope="session")
async def worker(backend: Backend) -> AsyncIterator[EventWorker]:
    async with running_worker(backend) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def server(backend: Backend) -> AsyncIterator[str]:
    """The backend's app served over real HTTP and WebSocket; yields its base URL."""
    async with serve(backend.app) as base_url:
        yield base_url


class GraphQLSocket:
    """A ``graphql-transport-ws`` client over a real WebSocket."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, base_url: str) -> AsyncIterator[GraphQLSocket]:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with websockets_connect(
            url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=10
        ) as connection:
            yield cls(connection)

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(orjson.dumps(message).decode())

    async def receive(self, within: float = WAIT_SECONDS) -> dict[str, Any]:
        message: dict[str, Any] = orjson.loads(
            await asyncio.wait_for(self.connection.recv(), within)
        )
        return message

    async def init(self, token: str | None) -> dict[str, Any]:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await self.send({"type": "connection_init", "payload": payload})
        return await self.receive()

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        await self.send(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )

    async def closed_with(self) -> int | None:
        """Wait for the server to close the connection; returns the close code."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.wait_for(self.connection.recv(), WAIT_SECONDS)
        code: int | None = self.connection.close_code
        return code

    async def until_pong(self) -> list[dict[str, Any]]:
        """Ping, and return what the server sent before its pong."""
        await self.send({"type": "ping"})
        before = []
        while (message := await self.receive())["type"] != "pong":
            before.append(message)
        return before


async def revoke(services: Any, token: str) -> None:
    """Revoke the key of ``token`` directly in the store (the keys API is not ours)."""
    async with services.db.writing() as session:
        key_id = select(col(ApiKeySecret.key_id)).where(
            col(ApiKeySecret.secret_hash) == hash_token(token)
        )
        await session.execute(
            update(ApiKey).where(col(ApiKey.id).in_(key_id)).values(revoked_at=utcnow())
        )


async def eventually(check: Callable[[], Awaitable[Any]], within: float = WAIT_SECONDS) -> Any:
    """Polls ``check`` until it returns something truthy (state the API shows is written after
    the work it records, so there is nothing to await on this side)."""
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def deliveries_when(tenant: Any, endpoint_id: str, ready: Any) -> list[dict[str, Any]]:
    """The endpoint's deliveries, polled through the API until ``ready`` holds for one."""
    query = (
        "query($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 100) { nodes { id "
        "aggregateId eventType status lastError attemptCount } } } }"
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        data = (await tenant.gql(query, {"id": endpoint_id})).ok()
        nodes: list[dict[str, Any]] = data["webhookEndpoint"]["deliveries"]["nodes"]
        if any(ready(n) for n in nodes) or time.monotonic() > deadline:
            assert any(ready(n) for n in nodes), nodes
            return nodes
        await asyncio.sleep(0.05)
