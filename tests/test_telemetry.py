"""Telemetry: batches with per-event results, insertId deduplication, batch and body limits,
queries, the flushed webhook, scopes and retention.

Tests taking ``api`` run over ``/graphql`` and ``/v1`` on both backends.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlmodel import col

from app.auth.scopes import Scope
from app.background import WorkerServices
from app.clock import isoformat, utcnow
from app.events.worker import EventWorker
from app.models import TelemetryEvent, TelemetryInsertId
from app.settings import Settings
from app.telemetry.retention import TelemetryRetention
from resolvers.telemetry import DEFAULT_BODY_CAP, MAX_EVENT_BYTES, PROPERTIES_BOUNDS
from rest_compat.routes import Kind
from tests.api_client import Api, Outcome, find_endpoint
from tests.asset_fixtures import make_project
from tests.conftest import Backend, Tenant
from tests.events_fixtures import Receiver
from tests.test_webhooks import create_endpoint, verified

pytest_plugins = ["tests.events_fixtures"]


def event(
    kind: str = "level.started", *, ago: timedelta = timedelta(minutes=5), **extra: Any
) -> dict[str, Any]:
    return {"type": kind, "occurred_at": isoformat(utcnow() - ago), **extra}


async def ingest(api: Api, events: list[dict[str, Any]], **extra: Any) -> Outcome:
    return await api.action("telemetry", "events", fields={"events": events, **extra})


async def stored(tenant: Tenant, **where: Any) -> list[TelemetryEvent]:
    async with tenant.services.db.reading() as session:
        stmt = select(TelemetryEvent).where(col(TelemetryEvent.org_id) == tenant.org_id)
        for name, value in where.items():
            stmt = stmt.where(getattr(TelemetryEvent, name) == value)
        return list((await session.execute(stmt.order_by(col(TelemetryEvent.id)))).scalars())


async def test_mixed_batch_stores_the_good_events_and_refuses_the_rest(api: Api) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(10):
        node["x"] = {}
        node = node["x"]
    events = [
        event("level.started", properties={"level": 3, "hero": "mira"}),
        event("bad type!"),
        event("level.ended", ago=-timedelta(hours=2)),
        event("level.ended", ago=timedelta(days=31)),
        event("level.ended", insert_id="not ok!"),
        event("level.ended", properties=[1, 2]),
        event("level.ended", properties={"blob": "x" * 2000}),
        event("level.ended", properties=deep),
        event("level.ended"),
    ]
    outcome = await ingest(api, events)
    result = outcome.ok()
    outcome.on_rest(200)
    assert result["accepted"] == 2 and result["duplicates"] == 0
    assert result["batch_id"].startswith("tlb_")
    refused = [(r["index"], r["field"], r["code"]) for r in result["refused"]]
    occurred = "occurred_at"
    field = {"type": "type", "insert_id": "insert_id", "properties": "properties"}
    assert refused == [
        (1, field["type"], "INVALID"),
        (2, occurred, "OUT_OF_RANGE"),
        (3, occurred, "OUT_OF_RANGE"),
        (4, field["insert_id"], "INVALID"),
        (5, field["properties"], "INVALID"),
        (6, field["properties"], "TOO_LONG"),
        (7, field["properties"], "TOO_LONG"),
    ]
    assert all(r["message"] for r in result["refused"])
    rows = await stored(api.tenant, batch_id=result["batch_id"])
    assert sorted(r.type for r in rows) == ["level.ended", "level.started"]
    started = next(r for r in rows if r.type == "level.started")
    assert started.properties == {"level": 3, "hero": "mira"} and started.project_id is None

    listed = await api.list("telemetry_events", type="level.started")
    assert [e["id"] for e in listed.items] == [started.id]
    item = listed.items[0]
    assert item["properties"] == {"level": 3, "hero": "mira"}
    assert item["batch_id"] == result["batch_id"] and item["insert_id"] is None

    nothing = await ingest(api, [event("bad type!")])
    assert nothing.ok()["accepted"] == 0 and nothing.ok()["batch_id"] is None


async def test_text_no_store_can_keep_refuses_the_request(api: Api) -> None:
    """NUL is refused wherever a request carries it (as for every input, before anything
    runs), naming the event it is in; nothing of the batch is stored."""
    events = [event("level.started"), event("level.ended", properties={"nul": "a\x00b"})]
    outcome = await ingest(api, events)
    assert outcome.error == "VALIDATION_FAILED"
    assert outcome.fields == [("events.1.properties.nul", "INVALID")]
    assert outcome.status == 422, "refused before execution, on either transport"
    assert await stored(api.tenant) == []


async def test_insert_ids_are_deduplicated_within_seven_days(api: Api) -> None:
    first = (
        await ingest(
            api,
            [
                event(insert_id="a-1"),
                event(insert_id="a-1"),
                event(insert_id="b-1"),
                event(),
            ],
        )
    ).ok()
    assert (first["accepted"], first["duplicates"]) == (4, 1)
    retried = (await ingest(api, [event(insert_id="a-1"), event(insert_id="c-1")])).ok()
    assert (retried["accepted"], retried["duplicates"]) == (2, 1)
    assert len(await stored(api.tenant, insert_id="a-1")) == 1
    all_dupes = (await ingest(api, [event(insert_id="a-1"), event(insert_id="b-1")])).ok()
    assert all_dupes == {"batch_id": None, "accepted": 2, "duplicates": 2, "refused": []}

    async with api.tenant.services.db.writing() as session:
        await session.execute(
            update(TelemetryInsertId)
            .where(col(TelemetryInsertId.org_id) == api.tenant.org_id)
            .where(col(TelemetryInsertId.insert_id) == "a-1")
            .values(seen_at=utcnow() - timedelta(days=8))
        )
    later = (await ingest(api, [event(insert_id="a-1")])).ok()
    assert later["duplicates"] == 0, "after 7 days an insert id counts as new"
    assert len(await stored(api.tenant, insert_id="a-1")) == 2


async def test_concurrent_retries_store_an_insert_id_once(api: Api) -> None:
    batch = [event(insert_id=f"race-{i}") for i in range(50)]
    outcomes = await asyncio.gather(*(ingest(api, batch) for _ in range(6)))
    results = [o.ok() for o in outcomes]
    assert all(r["accepted"] == 50 for r in results)
    assert sum(50 - r["duplicates"] for r in results) == 50
    assert len(await stored(api.tenant)) == 50


async def test_batch_size_is_one_to_five_hundred(api: Api) -> None:
    empty = await ingest(api, [])
    assert empty.error == "VALIDATION_FAILED" and empty.fields == [("events", "TOO_SHORT")]
    empty.on_rest(422)
    too_many = await ingest(api, [event(insert_id=f"over-{i}") for i in range(501)])
    assert too_many.error == "VALIDATION_FAILED" and too_many.fields == [("events", "TOO_LONG")]
    assert "501" in too_many.message
    assert await stored(api.tenant) == [], "a refused batch stores nothing"


def largest_event(index: int, *, rest: bool) -> dict[str, Any]:
    """An event at every bound: 64-character type and insert id, a 40-character timestamp,
    properties of exactly the maximum size."""
    properties = {"p": ""}
    properties["p"] = "x" * (PROPERTIES_BOUNDS.max_bytes - len(orjson.dumps(properties)))
    assert len(orjson.dumps(properties)) == PROPERTIES_BOUNDS.max_bytes
    occurred = (
        (utcnow() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0" * 8 + "+00:00"
    )
    assert len(occurred) == 40
    keys = ("occurred_at", "insert_id") if rest else ("occurredAt", "insertId")
    return {
        "type": "t" * 60 + f"{index:04d}",
        keys[0]: occurred,
        keys[1]: "i" * 60 + f"{index:04d}",
        "properties": properties,
    }


async def test_the_body_cap_fits_a_full_batch_of_maximum_size_events(
    tenant: Tenant, backend: Backend
) -> None:
    cap = Settings().max_body_bytes
    assert cap == DEFAULT_BODY_CAP
    assert backend.settings.max_body_bytes == cap
    headers = {"Authorization": f"Bearer {tenant.token}", "Content-Type": "application/json"}
    rest_events = [largest_event(i, rest=True) for i in range(500)]
    assert {len(orjson.dumps(e)) for e in rest_events} == {MAX_EVENT_BYTES - 1}
    body = orjson.dumps({"events": rest_events})
    assert len(body) <= cap < len(body) + 3 * MAX_EVENT_BYTES, "a batch fits, a 503rd does not"
    response = await tenant.http.post("/v1/telemetry/events", content=body, headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["accepted"] == 500 and response.json()["refused"] == []

    document = (
        "mutation($input: IngestTelemetryInput!) { ingestTelemetry(input: $input) "
        "{ accepted duplicates refused { index field code message } userErrors { code } } }"
    )
    graphql_events = [largest_event(i + 500, rest=False) for i in range(500)]
    graphql_body = orjson.dumps(
        {"query": document, "variables": {"input": {"events": graphql_events}}}
    )
    assert len(graphql_body) <= cap
    answer = await tenant.http.post("/graphql", content=graphql_body, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["data"]["ingestTelemetry"]["accepted"] == 500

    over = orjson.dumps({"events": [*rest_events, *rest_events[:20]]})
    refused = await tenant.http.post("/v1/telemetry/events", content=over, headers=headers)
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert len(await stored(tenant)) == 1000


async def test_queries_filter_page_and_count(api: Api) -> None:
    base = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    events = [
        {"type": "level.started", "occurred_at": isoformat(base + timedelta(minutes=5))},
        {"type": "level.started", "occurred_at": isoformat(base + timedelta(minutes=50))},
        {"type": "level.ended", "occurred_at": isoformat(base + timedelta(hours=1, minutes=1))},
        {"type": "purchase", "occurred_at": isoformat(base + timedelta(hours=2, minutes=30))},
    ]
    (await ingest(api, events)).ok()
    everything = await api.list("telemetry_events", limit=3)
    assert [e["type"] for e in everything.items] == ["purchase", "level.ended", "level.started"]
    assert everything.has_more
    rest = await api.list("telemetry_events", limit=3, cursor=everything.next_cursor)
    assert [e["type"] for e in rest.items] == ["level.started"] and not rest.has_more
    window = {
        "from": isoformat(base + timedelta(minutes=50)),
        "to": isoformat(base + timedelta(hours=2)),
    }
    windowed = await api.list("telemetry_events", **window)
    assert [e["type"] for e in windowed.items] == ["level.ended", "level.started"]
    assert (await api.list("telemetry_events", type="bad type!")).items == []
    nul = await api.list("telemetry_events", type="a\x00b")
    assert nul.error == "VALIDATION_FAILED" and nul.fields == [("type", "INVALID")]
    backwards = await api.list("telemetry_events", **{"from": window["to"], "to": window["from"]})
    assert backwards.error == "VALIDATION_FAILED"

    stats = find_endpoint("telemetry_stats", Kind.QUERY)
    by_type = (await api.call(stats, {}, query=[("from", isoformat(base))])).ok()
    assert by_type["group_by"] == "type" and by_type["total"] == 4
    assert by_type["buckets"] == [
        {"key": "level.started", "count": 2},
        {"key": "level.ended", "count": 1},
        {"key": "purchase", "count": 1},
    ]
    hourly = (
        await api.call(stats, {}, query=[("from", isoformat(base)), ("group_by", "hour")])
    ).ok()
    assert hourly["buckets"] == [
        {"key": isoformat(base), "count": 2},
        {"key": isoformat(base + timedelta(hours=1)), "count": 1},
        {"key": isoformat(base + timedelta(hours=2)), "count": 1},
    ]
    day = base.replace(hour=0)
    daily = (await api.call(stats, {}, query=[("from", isoformat(day)), ("group_by", "day")])).ok()
    assert sum(b["count"] for b in daily["buckets"]) == 4
    assert all(b["key"].endswith("T00:00:00Z") for b in daily["buckets"])
    too_long = await api.call(
        stats,
        {},
        query=[("from", isoformat(base - timedelta(days=40))), ("group_by", "hour")],
    )
    assert too_long.error == "VALIDATION_FAILED"


async def test_scopes_projects_and_tenants(api: Api, make_api: Any) -> None:
    project_id = await make_project(api, "telemetry-home")
    other_project = await make_project(api, "telemetry-away")
    writer = await api.tenant.key(Scope.TELEMETRY_WRITE)
    assert (await api.list("telemetry_events", token=writer)).error == "UNAUTHORIZED_SCOPE"
    reader = await api.tenant.key(Scope.TELEMETRY_READ)
    refused = await api.action("telemetry", "events", fields={"events": [event()]}, token=reader)
    assert refused.error == "UNAUTHORIZED_SCOPE"

    limited = await api.tenant.key(
        Scope.TELEMETRY_READ, Scope.TELEMETRY_WRITE, project_ids=[project_id]
    )
    unnamed = await api.action("telemetry", "events", fields={"events": [event()]}, token=limited)
    assert unnamed.fields == [("project_id", "REQUIRED")]
    outside = await api.action(
        "telemetry",
        "events",
        fields={"events": [event()], "project_id": other_project},
        token=limited,
    )
    assert outside.error in ("NOT_FOUND", "VALIDATION_FAILED")
    mine = await api.action(
        "telemetry",
        "events",
        fields={"events": [event("mine")], "project_id": project_id},
        token=limited,
    )
    assert mine.ok()["accepted"] == 1
    (await ingest(api, [event("org.wide")], project_id=other_project)).ok()
    (await ingest(api, [event("no.project")])).ok()
    seen = await api.list("telemetry_events", token=limited)
    assert [e["type"] for e in seen.items] == ["mine"]
    everything = await api.list("telemetry_events")
    assert sorted(e["type"] for e in everything.items) == ["mine", "no.project", "org.wide"]

    stranger = await make_api()
    assert (await stranger.list("telemetry_events")).items == []
    foreign = await stranger.action(
        "telemetry", "events", fields={"events": [event()], "project_id": project_id}
    )
    assert foreign.error in ("NOT_FOUND", "VALIDATION_FAILED")
    assert foreign.fields == [("project_id", "NOT_FOUND")]


async def test_flushed_webhook_is_delivered(
    tenant: Tenant, receiver: Receiver, worker: EventWorker
) -> None:
    endpoint, secret = await create_endpoint(tenant, receiver.url, eventTypes=["telemetry.*"])
    result = await tenant.gql(
        "mutation($input: IngestTelemetryInput!) { ingestTelemetry(input: $input) "
        "{ batchId accepted userErrors { code } } }",
        {
            "input": {
                "events": [
                    {"type": "render.frame", "occurredAt": isoformat(utcnow())},
                    {"type": "render.frame", "occurredAt": isoformat(utcnow()), "insertId": "f"},
                    {"type": "render.frame", "occurredAt": isoformat(utcnow()), "insertId": "f"},
                ]
            }
        },
    )
    payload = result.ok()["ingestTelemetry"]
    (request,) = await receiver.wait_count(1)
    body = verified(secret, request)
    assert body["type"] == "telemetry.flushed" and body["aggregate_type"] == "telemetry"
    assert body["aggregate_id"] == payload["batchId"]
    assert body["data"]["batch_id"] == payload["batchId"] and body["data"]["events"] == 2
    processed = datetime.fromisoformat(body["data"]["processed_at"].replace("Z", "+00:00"))
    assert abs(processed - utcnow()) < timedelta(minutes=1)
    assert endpoint["id"].startswith("whk_")


async def test_retention_sweeps_old_events_and_insert_ids(tenant: Tenant, backend: Backend) -> None:
    db = tenant.services.db
    now = utcnow()
    rows = [
        TelemetryEvent(
            id=f"tev_old{i}",
            org_id=tenant.org_id,
            batch_id="tlb_x",
            type="old",
            occurred_at=now - timedelta(days=31 + i),
            properties={},
        )
        for i in range(3)
    ]
    rows.append(
        TelemetryEvent(
            id="tev_recent",
            org_id=tenant.org_id,
            batch_id="tlb_x",
            type="recent",
            occurred_at=now - timedelta(days=29),
            properties={},
        )
    )
    async with db.writing() as session:
        session.add_all(rows)
        session.add(
            TelemetryInsertId(
                org_id=tenant.org_id, insert_id="stale", seen_at=now - timedelta(days=8)
            )
        )
        session.add(
            TelemetryInsertId(
                org_id=tenant.org_id, insert_id="fresh", seen_at=now - timedelta(days=6)
            )
        )
    retention = TelemetryRetention(
        WorkerServices(db, tenant.services.bus, backend.settings, tenant.services.storage)
    )
    swept = await retention.sweep(now)
    assert swept.events >= 3 and swept.insert_ids >= 1
    assert [r.type for r in await stored(tenant)] == ["recent"]
    async with db.reading() as session:
        ids = select(col(TelemetryInsertId.insert_id)).where(
            col(TelemetryInsertId.org_id) == tenant.org_id
        )
        assert list((await session.execute(ids)).scalars()) == ["fresh"]
        count = (
            select(func.count())
            .select_from(TelemetryEvent)
            .where(col(TelemetryEvent.org_id) == tenant.org_id)
        )
        assert (await session.execute(count)).scalar() == 1


async def test_the_worker_runs_the_retention_sweep(tenant: Tenant, backend: Backend) -> None:
    async with tenant.services.db.writing() as session:
        session.add(
            TelemetryEvent(
                id="tev_ancient",
                org_id=tenant.org_id,
                batch_id="tlb_y",
                type="ancient",
                occurred_at=datetime(2020, 1, 1, tzinfo=UTC),
                properties={},
            )
        )
    settings = backend.settings.model_copy(update={"telemetry_sweep_seconds": 0.05})
    services = tenant.services
    async with EventWorker(services.db, services.bus, settings) as worker:
        assert any(isinstance(loop, TelemetryRetention) for loop in worker.loops)
        for _ in range(200):
            if not await stored(tenant, type="ancient"):
                break
            await asyncio.sleep(0.05)
    assert await stored(tenant, type="ancient") == []
