"""A real ``reelhouse serve`` against clients that abuse the connection itself: huge or
countless headers, silence, headers or a body trickled in, an idle keep-alive connection."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import orjson
import pytest
import pytest_asyncio
from websockets.asyncio.client import connect as websocket_connect
from websockets.typing import Subprotocol

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.database import Database
from app.demo import ensure_organization
from app.migrate import upgrade_async
from tests.backends import SECRET_KEY, sqlite_database
from tests.server_processes import ROOT, Server, serve_process, until_ready

DEADLINE = 1.0
"""Header, body and keep-alive timeouts of the server under test (seconds)."""


@dataclass
class Served:
    server: Server
    token: str


@pytest_asyncio.fixture(loop_scope="session")
async def served() -> AsyncIterator[Served]:
    async with serving({}) as running:
        yield running


@asynccontextmanager
async def serving(settings: dict[str, str]) -> AsyncIterator[Served]:
    async with sqlite_database() as url:
        await upgrade_async(url)
        db = Database(url)
        org, _ = await ensure_organization(db, "connections", "Connections")
        async with db.writing() as session:
            _, token = await issue_key(session, org_id=org.id, name="admin", scopes=[Scope.ADMIN])
        await db.dispose()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "REELHOUSE_DATABASE_URL": url,
            "REELHOUSE_SECRET_KEY": SECRET_KEY,
            "REELHOUSE_EVENTS_EMBEDDED_WORKER": "false",
            "REELHOUSE_HEADER_TIMEOUT_SECONDS": str(DEADLINE),
            "REELHOUSE_KEEP_ALIVE_SECONDS": str(DEADLINE),
            "REELHOUSE_BODY_READ_TIMEOUT_SECONDS": str(DEADLINE),
            **settings,
        }
        env.pop("REELHOUSE_REDIS_URL", None)
        async with serve_process(env) as running, httpx.AsyncClient(timeout=30) as http:
            await until_ready(http, running)
            yield Served(running, token)


@pytest.fixture
def server(served: Served) -> Server:
    return served.server


@asynccontextmanager
async def connection(
    server: Server,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    address = urlsplit(server.url)
    assert address.hostname is not None and address.port is not None
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        yield reader, writer
    finally:
        writer.close()


async def _answer(reader: asyncio.StreamReader, within: float = 10) -> bytes:
    """Everything the server sends until it closes the connection. A server closing while the
    client still sends may reset the connection, losing its answer: ``RESET`` stands for it."""
    try:
        return await asyncio.wait_for(reader.read(), within)
    except ConnectionError:  # reset, or the pipe broken by a write the server did not read
        return RESET


RESET = b"(connection reset)"


async def _still_serving(server: Server) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        assert (await http.get(f"{server.url}/health")).status_code == 200


async def test_100_kb_of_headers_are_refused_with_431(server: Server) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        try:
            for i in range(100):
                writer.write(b"X-Pad-%d: %s\r\n" % (i % 50, b"a" * 1000))
                await writer.drain()
        except ConnectionError:
            pass  # the server closed it: that is the point
        answer = await _answer(reader)
    assert answer == RESET or answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    await _still_serving(server)


async def test_one_endless_header_is_cut_off(server: Server) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"GET /health HTTP/1.1\r\nX-Endless: ")
        try:
            for _ in range(1000):
                writer.write(b"a" * 1024)
                await writer.drain()
        except ConnectionError:
            pass  # the server closed it: that is the point
        answer = await _answer(reader)
    assert answer == RESET or answer.startswith(b"HTTP/1.1 431 "), answer[:200]


async def test_too_many_header_fields_are_refused_with_431(server: Server) -> None:
    async with connection(server) as (reader, writer):
        headers = b"".join(b"X-N%d: 1\r\n" % i for i in range(150))
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        answer = await _answer(reader)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b"connection: close" in answer.lower()


async def test_a_silent_connection_is_closed(server: Server) -> None:
    async with connection(server) as (reader, _writer):
        started = asyncio.get_running_loop().time()
        answer = await _answer(reader)
        waited = asyncio.get_running_loop().time() - started
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert DEADLINE * 0.8 <= waited < DEADLINE + 5


async def test_trickled_headers_are_cut_off(server: Server) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"GET /health HTTP/1.1\r\n")

        async def trickle() -> None:
            with contextlib.suppress(ConnectionError):
                for i in range(100):
                    writer.write(b"X-Slow-%d: 1\r\n" % i)
                    await writer.drain()
                    await asyncio.sleep(0.2)

        trickling = asyncio.create_task(trickle())
        answer = await _answer(reader)
        trickling.cancel()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]


async def test_an_idle_keep_alive_connection_is_closed(server: Server) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert first.startswith(b"HTTP/1.1 200 "), first
        rest = await _answer(reader)
    assert b"HTTP/1.1" not in rest.split(b"}", 1)[-1], "nothing more than the first answer"


async def test_a_trickled_body_is_cut_off_with_408(served: Served) -> None:
    async with connection(served.server) as (reader, writer):
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer %s\r\nContent-Length: 100\r\n\r\n{" % served.token.encode()
        )

        async def trickle() -> None:
            with contextlib.suppress(ConnectionError):
                for _ in range(99):
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(0.5)

        trickling = asyncio.create_task(trickle())
        answer = await _answer(reader)
        trickling.cancel()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"BAD_REQUEST" in answer


@pytest.mark.parametrize("enabled", [None, "true"])
async def test_websocket_compression_is_offered_only_when_enabled(enabled: str | None) -> None:
    """Off by default (``REELHOUSE_WEBSOCKET_COMPRESSION``): a client offering per-message
    deflate gets plain frames; on, the server agrees to it."""
    settings = {} if enabled is None else {"REELHOUSE_WEBSOCKET_COMPRESSION": enabled}
    async with serving(settings) as running:
        url = running.server.url.replace("http://", "ws://") + "/graphql"
        async with websocket_connect(
            url, subprotocols=[Subprotocol("graphql-transport-ws")], compression="deflate"
        ) as socket:
            assert socket.response is not None
            agreed = socket.response.headers.get("Sec-WebSocket-Extensions") or ""
            init = {
                "type": "connection_init",
                "payload": {"Authorization": f"Bearer {running.token}"},
            }
            await socket.send(orjson.dumps(init).decode())
            assert orjson.loads(await socket.recv()) == {"type": "connection_ack"}
    assert ("permessage-deflate" in agreed) is (enabled is not None)
