"""Revocation, expiry, narrowing and the end of a rotated secret's grace close the WebSockets
that hold the key (4403), on every process, at once rather than at the next periodic check.

The key changes here are made the way another process makes them (the CLI's path: its own
connection pool, announcing through Redis, or noticed by the embedded server's poller), and
the server's periodic re-check stays at its 30 s default: only the change itself can close the
socket within the few seconds each test waits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest

from app.auth.key_changes import KeyChangeNotifier
from app.auth.principal import Principal
from app.clock import utcnow
from app.database import Database
from app.models import UserRole
from app.redis import connect as connect_redis
from resolvers import api_keys
from resolvers.context import Context
from tests.conftest import Backend, Tenant
from tests.events_fixtures import GraphQLSocket
from tests.identity_fixtures import Browser, Live, add_client, add_user, authorization_code
from tests.keys_fixtures import create_key

pytest_plugins = ["tests.events_fixtures"]

PROMPT_SECONDS = 5.0
"""Far below the 30 s periodic re-check: a close within this came from the change itself."""

EVENTS = 'subscription { events(types: ["project.*"]) { id } }'


@asynccontextmanager
async def another_process(backend: Backend, org_id: str) -> AsyncIterator[Context]:
    """A context like ``reelhouse keys …`` builds: its own pool and Redis client."""
    settings = backend.settings
    db = Database(settings.database_url)
    redis = connect_redis(settings)
    try:
        yield Context(
            db=db,
            settings=settings,
            principal=Principal.operator(org_id),
            key_changes=KeyChangeNotifier(None, redis, settings.redis_prefix),
        )
    finally:
        if redis is not None:
            await redis.aclose()
        await db.dispose()


async def holding(server: str, token: str) -> Any:
    socket_cm = GraphQLSocket.connect(server)
    socket = await socket_cm.__aenter__()
    assert await socket.init(token) == {"type": "connection_ack"}
    await socket.subscribe("1", EVENTS)
    await socket.until_pong()
    return socket_cm, socket


async def closed_promptly(socket: GraphQLSocket) -> tuple[int | None, str]:
    code = await asyncio.wait_for(socket.closed_with(), PROMPT_SECONDS)
    return code, socket.connection.close_reason or ""


async def ready_for_changes(backend: Backend) -> None:
    subscriber = backend.app.services.key_subscriber
    if subscriber is not None:
        await asyncio.wait_for(subscriber.confirmed.wait(), 10)


@pytest.mark.parametrize("change", ["revoke", "narrow scopes", "narrow projects"])
async def test_a_change_made_elsewhere_closes_the_socket_at_once(
    tenant: Tenant, backend: Backend, server: str, change: str
) -> None:
    await ready_for_changes(backend)
    payload = await create_key(tenant, scopes=["events:read", "projects:read"])
    key_id, token = payload["apiKey"]["id"], payload["secret"]
    socket_cm, socket = await holding(server, token)
    try:
        async with another_process(backend, tenant.org_id) as ctx:
            if change == "revoke":
                await api_keys.revoke_api_key(ctx, key_id)
            elif change == "narrow scopes":
                await api_keys.update_api_key(ctx, key_id, {"scopes": ["projects:read"]})
            else:
                project = await ctx_project(tenant)
                await api_keys.update_api_key(ctx, key_id, {"project_ids": [project]})
        code, reason = await closed_promptly(socket)
        expected = {
            "revoke": "API_KEY_REVOKED",
            "narrow scopes": "UNAUTHORIZED_SCOPE",
            "narrow projects": "FORBIDDEN",
        }[change]
        assert (code, reason) == (4403, f"Forbidden: {expected}")
    finally:
        await socket_cm.__aexit__(None, None, None)


async def ctx_project(tenant: Tenant) -> str:
    result = await tenant.gql(
        'mutation { createProject(input: {slug: "held", name: "H"}) { project { id } } }'
    )
    project_id: str = result.ok()["createProject"]["project"]["id"]
    return project_id


async def test_a_widening_keeps_the_socket_open(
    tenant: Tenant, backend: Backend, server: str
) -> None:
    await ready_for_changes(backend)
    payload = await create_key(tenant, scopes=["events:read", "projects:read"])
    socket_cm, socket = await holding(server, payload["secret"])
    try:
        async with another_process(backend, tenant.org_id) as ctx:
            scopes = ["events:read", "projects:read", "jobs:read"]
            await api_keys.update_api_key(ctx, payload["apiKey"]["id"], {"scopes": scopes})
        await asyncio.sleep(1.5)
        assert await socket.until_pong() == []
    finally:
        await socket_cm.__aexit__(None, None, None)


async def test_expiry_and_the_end_of_a_rotation_grace_close_the_socket(
    tenant: Tenant, backend: Backend, server: str
) -> None:
    await ready_for_changes(backend)
    expiring = await create_key(
        tenant,
        scopes=["events:read", "projects:read"],
        expiresAt=(utcnow() + timedelta(seconds=2)).isoformat().replace("+00:00", "Z"),
    )
    rotated = await create_key(tenant, scopes=["events:read", "projects:read"])
    expiring_cm, expiring_socket = await holding(server, expiring["secret"])
    old_cm, old_socket = await holding(server, rotated["secret"])
    try:
        async with another_process(backend, tenant.org_id) as ctx:
            issued = await api_keys.rotate_api_key(ctx, rotated["apiKey"]["id"], 2)
        new_cm, new_socket = await holding(server, issued.secret)
        try:
            assert await closed_promptly(expiring_socket) == (4403, "Forbidden: API_KEY_EXPIRED")
            assert await closed_promptly(old_socket) == (4403, "Forbidden: API_KEY_EXPIRED")
            assert await new_socket.until_pong() == []
        finally:
            await new_cm.__aexit__(None, None, None)
    finally:
        await expiring_cm.__aexit__(None, None, None)
        await old_cm.__aexit__(None, None, None)


@pytest.mark.parametrize("change", ["revoke client", "disable user", "narrow projects"])
async def test_a_token_socket_closes_when_what_the_token_stands_for_changes(
    tenant: Tenant, live: Live, browser: Browser, change: str
) -> None:
    """An access token depends on its client and user: revoking the one, disabling the other
    or limiting the user to projects closes the token's sockets on every process (here the live
    server, a second app hearing of changes the way another process does)."""
    subscriber = live.app.services.key_subscriber
    if subscriber is not None:
        await asyncio.wait_for(subscriber.confirmed.wait(), 10)
    user = await add_user(tenant, UserRole.ADMIN)
    client = await add_client(tenant, scopes=["events:read", "projects:read", "users:read"])
    token = await authorization_code(
        live, browser, client, user, scope="events:read projects:read users:read"
    )
    socket_cm, socket = await holding(live.url, token["access_token"])
    try:
        if change == "revoke client":
            mutation = "revokeOauthClient(input: {id: $id}) { oauthClient { id } }"
        elif change == "disable user":
            mutation = "disableUser(input: {id: $id}) { userErrors { code } }"
        else:
            project = await ctx_project(tenant)
            mutation = f'updateUser(input: {{id: $id, projectIds: ["{project}"]}}) {{ userErrors {{ code }} }}'
        target = client.id if change == "revoke client" else user.id
        assert (await tenant.gql(f"mutation($id: ID!) {{ {mutation} }}", {"id": target})).ok()
        code, reason = await closed_promptly(socket)
        expected = "FORBIDDEN" if change == "narrow projects" else "UNAUTHENTICATED"
        assert (code, reason) == (4403, f"Forbidden: {expected}")
    finally:
        await socket_cm.__aexit__(None, None, None)
