"""GraphQL subscriptions over a real WebSocket (``graphql-transport-ws``) against uvicorn."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.auth.scopes import Scope
from app.events.worker import EventWorker
from app.factory import create_app
from app.models import Job, JobKind, JobStatus
from app.outbox import record_event
from tests.conftest import Backend, Tenant
from tests.events_fixtures import GraphQLSocket, revoke, running_worker, serve
from tests.test_webhooks import create_project, rename_project

pytest_plugins = ["tests.events_fixtures"]

EVENTS = """
subscription($types: [String!], $projectId: ID) {
  events(types: $types, projectId: $projectId) { id type aggregateId projectId sequence data }
}"""

JOB = """
subscription($id: ID!) {
  job(id: $id) { jobId status progress error updatedAt event { type sequence } }
}"""


async def next_event(socket: GraphQLSocket, operation_id: str = "1") -> dict[str, Any]:
    message = await socket.receive()
    assert message["type"] == "next" and message["id"] == operation_id, message
    assert "errors" not in message["payload"], message
    event: dict[str, Any] = message["payload"]["data"]["events"]
    return event


async def test_events_stream_in_commit_order_until_completed(
    tenant: Tenant, server: str, worker: EventWorker
) -> None:
    async with GraphQLSocket.connect(server) as socket:
        assert await socket.init(tenant.token) == {"type": "connection_ack"}
        await socket.subscribe("1", EVENTS, {"types": ["project.*"]})
        await socket.until_pong()
        project = await create_project(tenant, "live-one")
        await rename_project(tenant, project, "Live")
        created = await next_event(socket)
        updated = await next_event(socket)
        assert created["type"] == "project.created" and created["aggregateId"] == project
        assert created["id"].startswith("evt_") and created["data"]["slug"] == "live-one"
        assert (updated["type"], updated["sequence"]) == ("project.updated", 2)

        await socket.send({"id": "1", "type": "complete"})
        await socket.until_pong()
        await rename_project(tenant, project, "Quiet")
        await socket.subscribe("2", EVENTS, {"types": ["project.updated"]})
        await socket.until_pong()
        await rename_project(tenant, project, "Heard")
        # "Quiet" may reach the new subscription too: it was dispatched after it subscribed.
        names: list[str] = []
        while not names or names[-1] != "Heard":
            names.append((await next_event(socket, "2"))["data"]["name"])
        assert names in (["Heard"], ["Quiet", "Heard"])
        assert await socket.until_pong() == []


async def test_subscribers_see_only_their_org_projects_and_scopes(
    tenant: Tenant, make_tenant: Any, server: str, worker: EventWorker
) -> None:
    mine = await create_project(tenant, "mine")
    hidden = await create_project(tenant, "hidden")
    limited = await tenant.key(Scope.EVENTS_READ, Scope.PROJECTS_READ, project_ids=[mine])
    other = await make_tenant()
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(limited)
        await socket.subscribe("1", EVENTS)
        await socket.subscribe("2", EVENTS, {"projectId": hidden})
        # `mine`'s creation may reach subscription 1 meanwhile: it was dispatched after it
        # subscribed.
        messages = await socket.until_pong()
        while not any(m.get("id") == "2" for m in messages):
            messages.append(await socket.receive())
        [refused] = [m for m in messages if m.get("id") == "2"]
        early = [m["payload"]["data"]["events"] for m in messages if m.get("id") == "1"]
        assert refused["type"] == "error" and refused["id"] == "2"
        assert refused["payload"][0]["extensions"]["code"] == "NOT_FOUND"

        await create_project(other, "their-project")
        await rename_project(tenant, hidden, "Hidden")
        await create_endpoint_event(tenant)
        await rename_project(tenant, mine, "Mine")
        seen = [*early, await next_event(socket)]
        while seen[-1]["type"] != "project.updated":
            seen.append(await next_event(socket))
        assert {(e["aggregateId"], e["projectId"]) for e in seen} == {(mine, mine)}
        assert await socket.until_pong() == []

    no_scope = await tenant.key(Scope.PROJECTS_READ)
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(no_scope)
        await socket.subscribe("1", EVENTS)
        message = await socket.receive()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHORIZED_SCOPE"


async def create_endpoint_event(tenant: Tenant) -> None:
    """An organisation-wide event (no project): invisible to project-limited keys."""
    result = await tenant.gql(
        'mutation { createWebhookEndpoint(input: {url: "https://hooks.example.com/o"}) '
        "{ userErrors { code } } }"
    )
    assert result.ok()["createWebhookEndpoint"]["userErrors"] == []


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({}, 4403),
        ({"Authorization": "Bearer rh_live_nope"}, 4403),
        ({"Authorization": "Basic abc"}, 4403),
    ],
)
async def test_connection_needs_a_valid_key(server: str, payload: Any, code: int) -> None:
    async with GraphQLSocket.connect(server) as socket:
        await socket.send({"type": "connection_init", "payload": payload})
        assert await socket.closed_with() == code


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"id": "1", "type": "subscribe", "payload": {"query": "subscription { x }"}}], 4401),
        (["init", {"type": "connection_init"}], 4429),
        (["init", "not json"], 4400),
        (["init", {"type": "bogus"}], 4400),
        (["init", {"id": "1", "type": "subscribe", "payload": {"query": 5}}], 4400),
        (["init", {"id": "", "type": "subscribe", "payload": {"query": "x"}}], 4400),
        (
            [
                "init",
                {"id": "a", "type": "subscribe", "payload": {"query": EVENTS}},
                {"id": "a", "type": "subscribe", "payload": {"query": EVENTS}},
            ],
            4409,
        ),
    ],
)
async def test_protocol_violations_close_the_connection(
    tenant: Tenant, server: str, messages: list[Any], code: int
) -> None:
    async with GraphQLSocket.connect(server) as socket:
        for message in messages:
            if message == "init":
                assert (await socket.init(tenant.token))["type"] == "connection_ack"
            elif isinstance(message, str):
                await socket.connection.send(message)
            else:
                await socket.send(message)
        assert await socket.closed_with() == code


async def test_invalid_documents_get_an_error_message(tenant: Tenant, server: str) -> None:
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        await socket.subscribe("1", "subscription { events { nope } }")
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "1"
        assert message["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
        await socket.subscribe("2", "{ projects { nodes { id } } }")
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "2"
        assert message["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
        await socket.subscribe("3", EVENTS, {"types": ["Bad Type"]})
        message = await socket.receive()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "VALIDATION_FAILED"
        assert await socket.until_pong() == []


async def test_wrong_subprotocol_is_refused(server: str) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus):
        async with connect(server.replace("http", "ws") + "/graphql"):
            pass


async def change_job(services: Any, job: Job, verb: str, **changes: Any) -> None:
    async with services.db.writing() as session:
        row = await session.get(Job, job.id)
        for name, value in changes.items():
            setattr(row, name, value)
        if verb != "created":
            row.touch()
        session.add(row)
        record_event(session, row, verb)
    services.db.committed("outbox")


async def test_job_progress_until_finished(
    tenant: Tenant, services: Any, server: str, worker: EventWorker
) -> None:
    project = await create_project(tenant, "jobs-live")
    job = Job(org_id=tenant.org_id, project_id=project, kind=JobKind.RENDER)
    async with services.db.writing() as session:
        session.add(job)
        record_event(session, job, "created")
    reader = await tenant.key(Scope.JOBS_READ)
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(reader)
        await socket.subscribe("1", JOB, {"id": job.id})
        first = (await socket.receive())["payload"]["data"]["job"]
        assert first["jobId"] == job.id and first["status"] == "QUEUED" and first["event"] is None
        await change_job(services, job, "started", status=JobStatus.RUNNING, progress=0)
        await change_job(services, job, "progress", progress=60)
        await change_job(services, job, "completed", status=JobStatus.SUCCEEDED, progress=100)
        seen = [(await socket.receive())["payload"]["data"]["job"] for _ in range(3)]
        assert [(j["status"], j["progress"]) for j in seen] == [
            ("RUNNING", 0),
            ("RUNNING", 60),
            ("SUCCEEDED", 100),
        ]
        assert [j["event"]["type"] for j in seen] == [
            "job.started",
            "job.progress",
            "job.completed",
        ]
        assert await socket.receive() == {"id": "1", "type": "complete"}

        await socket.subscribe("2", JOB, {"id": "job_01HZZZZZZZZZZZZZZZZZZZZZZZ"})
        missing = await socket.receive()
        assert missing["type"] == "error"
        assert missing["payload"][0]["extensions"]["code"] == "NOT_FOUND"

    events_only = await tenant.key(Scope.EVENTS_READ)
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(events_only)
        await socket.subscribe("1", JOB, {"id": job.id})
        message = await socket.receive()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHORIZED_SCOPE"


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_event_committed_in_one_process_reaches_another(
    tenant: Tenant, backend: Backend
) -> None:
    """Two app instances (own pools, own Redis buses), as two server processes would be."""
    other = create_app(backend.settings)
    try:
        async with (
            running_worker(backend),
            serve(other) as other_server,
            GraphQLSocket.connect(other_server) as socket,
        ):
            await socket.init(tenant.token)
            await socket.subscribe("1", EVENTS, {"types": ["project.created"]})
            await socket.until_pong()
            # The pong can come before the other app's subscription is on its bus and its bus
            # is subscribed to Redis; what is published before is not its to deliver.
            bus = other.services.bus
            for _ in range(200):
                if bus.live and bus._subscriptions:
                    break
                await asyncio.sleep(0.05)
            assert bus.live and bus._subscriptions
            project = await create_project(tenant, "crosses-processes")
            event = await next_event(socket)
            assert event["aggregateId"] == project
    finally:
        await other.services.bus.close()
        if other.services.redis is not None:
            await other.services.redis.aclose()
        await other.services.db.dispose()


async def test_revoked_key_loses_its_subscriptions(
    tenant: Tenant, backend: Backend, services: Any
) -> None:
    quick = create_app(backend.settings.model_copy(update={"key_cache_seconds": 0.2}))
    token = await tenant.key(Scope.EVENTS_READ)
    try:
        async with serve(quick) as quick_server, GraphQLSocket.connect(quick_server) as socket:
            await socket.init(token)
            await socket.subscribe("1", EVENTS)
            await socket.until_pong()
            await revoke(services, token)
            assert await socket.closed_with() == 4403
            assert "API_KEY_REVOKED" in (socket.connection.close_reason or "")
    finally:
        await quick.services.bus.close()
        if quick.services.redis is not None:
            await quick.services.redis.aclose()
        await quick.services.db.dispose()


async def test_subscriptions_are_not_served_over_http(tenant: Tenant) -> None:
    result = await tenant.gql("subscription { events { id } }")
    assert result.status == 400 and result.codes == ["BAD_REQUEST"]
    assert "WebSocket" in result.errors[0]["message"]


async def test_connection_honours_the_key_ip_allowlist(tenant: Tenant, server: str) -> None:
    """The WebSocket admits keys through the same gate as HTTP: a key limited to addresses the
    client is not in is refused at ``connection_init`` (loopback is outside 203.0.113.0/24)."""
    elsewhere = await tenant.key(Scope.EVENTS_READ, allowed_cidrs=["203.0.113.0/24"])
    async with GraphQLSocket.connect(server) as socket:
        await socket.send(
            {"type": "connection_init", "payload": {"Authorization": f"Bearer {elsewhere}"}}
        )
        assert await socket.closed_with() == 4403
    here = await tenant.key(Scope.EVENTS_READ, allowed_cidrs=["127.0.0.0/8", "::1/128"])
    async with GraphQLSocket.connect(server) as socket:
        assert await socket.init(here) == {"type": "connection_ack"}
