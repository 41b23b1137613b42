"""Subscriptions under traffic control: caps per connection and per credential, charged at
subscribe, and a writer that never waits on subscribers."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from websockets.exceptions import ConnectionClosed

from app.auth.scopes import Scope
from app.events.worker import EventWorker
from app.factory import create_app
from tests.conftest import Backend, Tenant
from tests.events_fixtures import GraphQLSocket, serve
from tests.test_webhooks import create_project, rename_project

pytest_plugins = ["tests.events_fixtures"]

EVENTS = 'subscription { events(types: ["project.*"]) { id type aggregateId } }'
SOCKETS = 20
PER_SOCKET = 50


async def refusals(socket: GraphQLSocket) -> list[dict[str, Any]]:
    """The subscriptions the server refused at once (accepted ones stay silent)."""
    return [m for m in await socket.until_pong() if m["type"] == "error"]


async def test_one_key_cannot_hold_more_subscriptions_than_its_cap(
    tenant: Tenant, backend: Backend, server: str, worker: EventWorker
) -> None:
    cap = backend.settings.subscriptions_per_credential
    assert cap < SOCKETS * PER_SOCKET
    async with contextlib.AsyncExitStack() as stack:
        sockets = [
            await stack.enter_async_context(GraphQLSocket.connect(server)) for _ in range(SOCKETS)
        ]
        for socket in sockets:
            assert await socket.init(tenant.token) == {"type": "connection_ack"}
        for socket in sockets:
            for number in range(PER_SOCKET):
                await socket.subscribe(str(number), EVENTS)
        refused = [r for socket in sockets for r in await refusals(socket)]
        assert len(refused) == SOCKETS * PER_SOCKET - cap
        codes = {e["extensions"]["code"] for r in refused for e in r["payload"]}
        assert codes == {"RATE_LIMIT_EXCEEDED"}
        assert "per credential" in refused[0]["payload"][0]["message"]

        # None of the subscribers reads a thing; the writer is not held up by them.
        for index in range(3):
            project = await asyncio.wait_for(create_project(tenant, f"fan-{index}"), 30)
            await asyncio.wait_for(rename_project(tenant, project, f"Fan {index}"), 30)

        # Another key of the same organisation still subscribes: the cap is per credential.
        other = await tenant.key(Scope.ADMIN)
        async with GraphQLSocket.connect(server) as fresh:
            await fresh.init(other)
            await fresh.subscribe("1", EVENTS)
            assert await refusals(fresh) == []

        # Completing subscriptions frees room under the cap.
        first = sockets[0]
        for number in range(5):
            await first.send({"id": str(number), "type": "complete"})
        await first.until_pong()
        late = sockets[-1]
        await late.subscribe("late", EVENTS)
        assert await refusals(late) == []


async def test_a_connection_holds_at_most_its_own_cap(
    tenant: Tenant, backend: Backend, server: str
) -> None:
    cap = backend.settings.subscriptions_per_connection
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        for number in range(cap + 2):
            await socket.subscribe(str(number), EVENTS)
        refused = await refusals(socket)
        assert [r["id"] for r in refused] == [str(cap), str(cap + 1)]
        assert "per connection" in refused[0]["payload"][0]["message"]


async def test_a_credential_holds_at_most_its_sockets(tenant: Tenant, backend: Backend) -> None:
    """Idle sockets cost memory and a key check each: one credential may open only so many;
    another credential is not held up, and closing one makes room."""
    app = create_app(backend.settings.model_copy(update={"sockets_per_credential": 2}))
    other = await tenant.key(Scope.ADMIN)
    try:
        async with serve(app) as url, contextlib.AsyncExitStack() as stack:
            first, second, third = [
                await stack.enter_async_context(GraphQLSocket.connect(url)) for _ in range(3)
            ]
            assert await first.init(tenant.token) == {"type": "connection_ack"}
            assert await second.init(tenant.token) == {"type": "connection_ack"}
            await third.send(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {tenant.token}"}}
            )
            assert await third.closed_with() == 4429
            assert "RATE_LIMIT_EXCEEDED" in (third.connection.close_reason or "")
            async with GraphQLSocket.connect(url) as elsewhere:
                assert await elsewhere.init(other) == {"type": "connection_ack"}
            await first.connection.close()
            assert await admitted_within(url, tenant.token, seconds=5)
    finally:
        await app.services.close()


async def admitted_within(url: str, token: str, *, seconds: float) -> bool:
    """Whether a new connection of ``token`` is acknowledged within ``seconds`` (the server
    lets go of a closed one as soon as it sees the close)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        async with GraphQLSocket.connect(url) as socket:
            with contextlib.suppress(ConnectionClosed):
                if await socket.init(token) == {"type": "connection_ack"}:
                    return True
        await asyncio.sleep(0.05)
    return False
