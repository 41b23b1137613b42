"""Subscriptions never miss silently: every event message carries its cursor, ``events(after:)``
replays from the outbox then goes live with no gap and no duplicate, and a process whose link
to the fan-out drops tells its subscribers where to resume."""

from __future__ import annotations

import asyncio

import pytest

from app.clock import utcnow
from app.events.bus import EventBus, FanOutInterrupted, SubscriberTooSlow
from app.events.records import EventRecord
from app.events.worker import EventWorker
from app.factory import create_app
from tests.conftest import Backend, Tenant
from tests.events_fixtures import GraphQLSocket, running_worker, serve
from tests.lifespan import lifespan
from tests.proxy import TcpProxy
from tests.test_subscriptions import next_event
from tests.test_webhooks import create_project, rename_project

pytest_plugins = ["tests.events_fixtures"]

EVENTS = """
subscription($after: String, $project: ID) {
  events(types: ["project.*"], projectId: $project, after: $after) {
    cursor aggregateId sequence type
  }
}"""


async def cursor_of_creation(tenant: Tenant, project: str) -> str:
    """The stream cursor of the project's creation, once dispatched: subscribing after it is
    deterministic (a subscription without ``after`` starts at whatever is newest then)."""
    query = """query($p: ID!) { events(filter: {aggregateId: $p}) { nodes { sequence cursor } } }"""
    for _ in range(400):
        nodes = (await tenant.gql(query, {"p": project})).ok()["events"]["nodes"]
        if nodes and nodes[0]["cursor"]:
            cursor: str = nodes[0]["cursor"]
            return cursor
        await asyncio.sleep(0.05)
    raise AssertionError("the creation was never dispatched")


async def test_after_replays_then_goes_live_without_gap_or_duplicate(
    tenant: Tenant, server: str, worker: EventWorker
) -> None:
    project = await create_project(tenant, "resumable")
    created = await cursor_of_creation(tenant, project)
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        await socket.subscribe("1", EVENTS, {"project": project, "after": created})
        for name in ("r2", "r3", "r4"):
            await rename_project(tenant, project, name)
        seen = [await next_event(socket, "1") for _ in range(3)]
        assert [e["sequence"] for e in seen] == [2, 3, 4]
        cursors = [e["cursor"] for e in seen]
        assert all(cursors) and len(set(cursors)) == 3
        await socket.send({"id": "1", "type": "complete"})
        await socket.until_pong()

        for name in ("r5", "r6", "r7"):
            await rename_project(tenant, project, name)

        async def keep_writing() -> None:
            for name in ("r8", "r9", "r10", "r11"):
                await rename_project(tenant, project, name)

        writer = asyncio.create_task(keep_writing())
        await socket.subscribe("2", EVENTS, {"after": cursors[0], "project": project})
        resumed = [await next_event(socket, "2") for _ in range(9)]
        await writer
        assert [e["sequence"] for e in resumed] == list(range(3, 12))
        assert resumed[0]["cursor"] == cursors[1] and resumed[1]["cursor"] == cursors[2]
        assert await socket.until_pong() == []


@pytest.mark.parametrize(
    ("after", "code"),
    [("not-a-cursor", "VALIDATION_FAILED"), ("c3RyZWFtOjk5OTk5OTk", "VALIDATION_FAILED")],
)
async def test_bad_cursors_are_refused(tenant: Tenant, server: str, after: str, code: str) -> None:
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        await socket.subscribe("1", EVENTS, {"after": after})
        message = await socket.receive()
        assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == code
        assert message["payload"][0]["extensions"]["fields"][0]["field"] == ["after"]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_dropped_fan_out_link_tells_subscribers_where_to_resume(
    tenant: Tenant, backend: Backend
) -> None:
    """A second API process whose Redis link is cut while events keep coming (SQLite runs one
    process with an in-process bus: there is no link to lose)."""
    settings = backend.settings
    assert settings.redis_url is not None
    async with TcpProxy.to(settings.redis_url) as proxy:
        other = create_app(settings.model_copy(update={"redis_url": proxy.url(settings.redis_url)}))
        async with (
            lifespan(other),
            running_worker(backend),
            serve(other) as other_server,
            GraphQLSocket.connect(other_server) as socket,
        ):
            project = await create_project(tenant, "link-drop")
            created = await cursor_of_creation(tenant, project)
            await socket.init(tenant.token)
            await socket.subscribe("1", EVENTS, {"project": project, "after": created})
            await rename_project(tenant, project, "before the cut")
            first = await next_event(socket, "1")
            assert first["sequence"] == 2

            await proxy.cut()
            for name in ("during 1", "during 2"):
                await rename_project(tenant, project, name)
            told = await socket.receive(within=10)
            assert told["type"] == "next" and told["payload"]["data"] is None, told
            [error] = told["payload"]["errors"]
            assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            resume = error["extensions"]["resumeAfter"]
            assert resume == first["cursor"]
            assert await socket.receive() == {"id": "1", "type": "complete"}

            await socket.subscribe("2", EVENTS, {"project": project, "after": resume})
            refused = await socket.receive()
            assert refused["type"] == "error"
            assert refused["payload"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"

            await proxy.restore()
            for _ in range(100):
                if other.services.bus.live:
                    break
                await asyncio.sleep(0.1)
            await socket.subscribe("3", EVENTS, {"project": project, "after": resume})
            replayed = [await next_event(socket, "3") for _ in range(2)]
            assert [e["sequence"] for e in replayed] == [3, 4]
            await rename_project(tenant, project, "after the cut")
            assert (await next_event(socket, "3"))["sequence"] == 5
            assert await socket.until_pong() == []
        await other.services.db.dispose()


def record(position: int) -> EventRecord:
    return EventRecord(
        id=f"evt_{position}",
        org_id="org_1",
        project_id=None,
        type="project.updated",
        version=1,
        aggregate_type="project",
        aggregate_id="prj_1",
        sequence=position,
        occurred_at=utcnow(),
        data={},
        position=position,
    )


async def test_a_subscription_ends_rather_than_drop_events_silently() -> None:
    bus = EventBus(queue_size=2)
    only_nine = bus.subscribe(lambda r: r.position == 9)
    with bus.subscribe(lambda _r: True) as full, only_nine as cut:
        await bus.publish([record(7), record(8)])
        assert full.earliest_position() == 7
        await bus.publish([record(9)])
        with pytest.raises(SubscriberTooSlow):
            await anext(full)
        assert (await anext(cut)).position == 9
        cut.interrupt()
        with pytest.raises(FanOutInterrupted):
            await anext(cut)
