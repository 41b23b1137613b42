"""Poison rows: JSON the store would keep but no reader could send back is refused on input, and
a row that still cannot be encoded (stored before, or by hand) fails only itself: a field error,
never a whole list, the event feed, a subscription or a webhook delivery."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from app.events.worker import EventWorker
from app.models import Project
from app.outbox import record_event
from tests.api_client import Api
from tests.api_fixtures import ONLY_REST, alternating
from tests.conftest import Tenant
from tests.events_fixtures import (
    GraphQLSocket,
    Receiver,
    always,
    deliveries_when,
    running_receiver,
    running_worker,
)
from tests.test_inbound_webhooks import signed_headers
from tests.test_token_owners import finished_run
from tests.test_webhooks import create_endpoint, create_project

pytest_plugins = ["tests.events_fixtures"]


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


TOO_DEEP = nested(33)
DEEP_ENOUGH = nested(32)

INPUTS = [
    ("projects", None, "metadata"),
    ("projects", None, "settings"),
    ("characters", "project", "metadata"),
    ("scenes", "project", "metadata"),
    ("templates", "project", "style"),
    ("templates", "project", "metadata"),
    ("jobs", "project", "input"),
    ("jobs", "project", "metadata"),
]
"""(resource, parent, JSON field) of every create that takes free-form JSON."""


def base_fields(resource: str, index: int) -> dict[str, Any]:
    return {
        "projects": {"slug": f"poison-{index}", "name": "P"},
        "characters": {"name": "C"},
        "scenes": {"title": "S"},
        "templates": {"name": "T", "style": {}},
        "jobs": {"kind": "render"},
    }[resource]


@pytest.mark.parametrize(
    ("transport", "resource", "parent", "field"),
    alternating(INPUTS, ids=[f"{r}-{f}" for r, _, f in INPUTS]),
)
async def test_json_deeper_than_32_levels_is_refused_naming_the_field(
    api: Api, resource: str, parent: str | None, field: str
) -> None:
    owner = None
    if parent is not None:
        owner = (await api.create("projects", {"slug": f"owner-{field}", "name": "O"})).ok()["id"]
    index = INPUTS.index((resource, parent, field))
    refused = await api.create(
        resource, {**base_fields(resource, index), field: TOO_DEEP}, parent=owner
    )
    assert refused.error == "VALIDATION_FAILED", refused
    assert refused.fields == [(field, "TOO_LONG")]
    assert "32" in refused.message
    refused.on_rest(422)
    accepted = await api.create(
        resource, {**base_fields(resource, index), field: DEEP_ENOUGH}, parent=owner
    )
    assert accepted.ok()[field] == DEEP_ENOUGH


@pytest.mark.parametrize(
    ("transport", "value", "code"),
    alternating(
        [
            ({"big": "x" * (64 * 1024)}, "TOO_LONG"),
            ({"k\u0000": 1}, "INVALID"),
            ({"values": list(range(10_001))}, "TOO_LONG"),
        ]
    ),
)
async def test_oversized_or_unstorable_metadata_is_refused(api: Api, value: Any, code: str) -> None:
    project = await api.create("projects", {"slug": "sized", "name": "S"})
    project_id = project.ok()["id"]
    merged = await api.action("metadata", id=project_id, fields={"set": value})
    assert merged.error == "VALIDATION_FAILED" and merged.fields == [("set", code)], merged
    updated = await api.update("projects", project_id, {"metadata": value})
    assert updated.error == "VALIDATION_FAILED" and updated.fields == [("metadata", code)]


@pytest.mark.parametrize(
    ("literal", "code"),
    [
        ("99999999999999999999999", "OUT_OF_RANGE"),
        ("-9007199254740993", "OUT_OF_RANGE"),
        ("1e999", "INVALID"),
    ],
)
async def test_graphql_literals_json_cannot_carry_are_refused(
    tenant: Tenant, literal: str, code: str
) -> None:
    """Only a document literal can carry these: JSON variables never decode to them."""
    document = (
        'mutation { createProject(input: {slug: "literal", name: "L", metadata: {n: %s}}) '
        "{ project { id } userErrors { field code } } }"
    )
    errors = (await tenant.gql(document % literal)).ok()["createProject"]["userErrors"]
    assert errors == [{"field": ["input", "metadata"], "code": code}]
    assert (await tenant.gql("{ projects(first: 100) { nodes { id metadata } } }")).ok()


async def store_poisoned_project(services: Any, org_id: str, slug: str) -> str:
    """A project whose JSON no encoder can write (300 levels, a 70-bit integer), stored the way
    a row written before input checks, or by hand, would be; with its event."""
    project = Project(
        org_id=org_id, slug=slug, name="Poisoned", meta=nested(300), settings={"n": 2**70}
    )
    async with services.db.writing() as session:
        session.add(project)
        record_event(session, project, "created")
    services.db.committed("outbox")
    return project.id


async def test_a_row_that_cannot_be_encoded_fails_only_itself(
    api: Api, tenant: Tenant, services: Any
) -> None:
    healthy = (await api.create("projects", {"slug": "healthy", "name": "H"})).ok()["id"]
    poisoned = await store_poisoned_project(services, tenant.org_id, "poisoned")

    listed = await api.list("projects", limit=100)
    by_id = {p["id"]: p for p in listed.ok()}
    assert by_id[healthy]["metadata"] == {} and by_id[poisoned]["name"] == "Poisoned"
    assert by_id[poisoned]["metadata"] is None and by_id[poisoned]["settings"] is None
    listed.on_rest(200)
    assert (await api.get("projects", poisoned)).ok()["metadata"] is None

    graphql = await tenant.gql("{ projects(first: 100) { nodes { id name metadata } } }")
    assert graphql.status == 200
    nodes = graphql.data["projects"]["nodes"]
    assert {n["id"] for n in nodes} == {healthy, poisoned}
    [error] = graphql.errors
    assert error["extensions"]["code"] == "INTERNAL" and error["path"][-1] == "metadata"
    assert nodes[error["path"][2]]["id"] == poisoned

    feed = await tenant.gql("{ events(first: 100) { nodes { aggregateId type data } } }")
    assert feed.status == 200
    events = feed.data["events"]["nodes"]
    assert [e["aggregateId"] for e in events] == [healthy, poisoned]
    assert events[0]["data"]["slug"] == "healthy" and events[1]["data"] is None
    assert [e["path"][-1] for e in feed.errors] == ["data"]


EVENTS = 'subscription { events(types: ["project.*"]) { aggregateId type data } }'


async def test_subscribers_and_webhooks_skip_past_an_unencodable_event(
    tenant: Tenant, services: Any, server: str, receiver: Receiver, worker: EventWorker
) -> None:
    endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        await socket.subscribe("1", EVENTS)
        await socket.until_pong()
        poisoned = await store_poisoned_project(services, tenant.org_id, "poisoned-live")
        healthy = await create_project(tenant, "healthy-live")
        first = await socket.receive()
        assert first["type"] == "next", first
        assert first["payload"]["data"]["events"] == {
            "aggregateId": poisoned,
            "type": "project.created",
            "data": None,
        }
        assert first["payload"]["errors"][0]["extensions"]["code"] == "INTERNAL"
        second = await socket.receive()
        assert second["payload"]["data"]["events"]["aggregateId"] == healthy
        assert "errors" not in second["payload"]

    requests = await receiver.wait_count(1)
    assert [r.json["aggregate_id"] for r in requests] == [healthy]
    nodes = await deliveries_when(tenant, endpoint["id"], lambda d: d["status"] == "DEAD")
    [dead] = [d for d in nodes if d["status"] == "DEAD"]
    assert dead["aggregateId"] == poisoned and "cannot be encoded" in dead["lastError"]
    assert dead["attemptCount"] == 1


async def test_automation_actions_and_runs_take_the_same_json_check(api: Api) -> None:
    """Action configs, trigger config and a manual run's trigger are JSON a run later reads
    back: the shared bound applies (32 levels, NUL, integers JSON readers keep)."""
    project = (await api.create("projects", {"slug": "poison-auto", "name": "A"})).ok()["id"]

    def automation(body: Any) -> dict[str, Any]:
        action = {"type": "webhook", "url": "https://hooks.example.com/a", "body": body}
        return {"name": "A", "trigger": {"type": "webhook"}, "actions": [action]}

    too_deep = await api.create("automations", automation(TOO_DEEP), parent=project)
    assert too_deep.error == "VALIDATION_FAILED", too_deep
    assert too_deep.fields == [("actions.0", "TOO_LONG")] and "32" in too_deep.message
    big_number = await api.create("automations", automation({"n": 2**60}), parent=project)
    assert big_number.fields == [("actions.0", "OUT_OF_RANGE")]
    saved = (await api.create("automations", automation(nested(30)), parent=project)).ok()

    run = await api.action("automations", "run", saved["id"], fields={"trigger": TOO_DEEP})
    assert run.error == "VALIDATION_FAILED" and run.fields == [("trigger", "TOO_LONG")]


@ONLY_REST
async def test_an_inbound_body_no_reader_could_send_back_is_refused(api: Api) -> None:
    """The body becomes the run's trigger: one nested too deep, or holding NUL, is answered
    422 and starts nothing (PostgreSQL would refuse the NUL; no encoder the deep one)."""
    project = (await api.create("projects", {"slug": "poison-inbound", "name": "I"})).ok()["id"]
    action = {"type": "webhook", "url": "https://hooks.example.com/i", "body": {"x": 1}}
    created = await api.create(
        "automations",
        {"name": "In", "trigger": {"type": "webhook"}, "actions": [action]},
        parent=project,
    )
    automation = created.ok()
    path = automation["trigger"]["url"].removeprefix("http://testserver")
    for number, body in enumerate(
        [orjson.dumps(nested(40)), b'{"clip": "a\\u0000b"}', orjson.dumps({"n": 2**60})]
    ):
        headers = signed_headers(automation["inbound_secret"], body, f"poison-{number}")
        refused = await api.http.post(path, content=body, headers=headers)
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["code"] == "VALIDATION_FAILED" and error["fields"][0]["field"] == "body"
    runs = await api.list("automation_runs", automation_id=automation["id"])
    assert runs.items == []
    body = orjson.dumps({"clip": "fine"})
    accepted = await api.http.post(
        path, content=body, headers=signed_headers(automation["inbound_secret"], body, "fine")
    )
    assert accepted.status_code == 202


HOSTILE_ANSWER = b'{"ok": "a\\u0000b", "deep": ' + b"[" * 300 + b"]" * 300 + b"}\x00tail"
"""What a receiver may answer: NUL both escaped and raw, JSON nested past any encoder."""


async def test_a_receivers_answer_is_stored_whatever_it_holds(tenant: Tenant, backend: Any) -> None:
    """Answers are stored (an attempt's excerpt, an automation step's output) and shown back:
    one holding NUL or deep JSON is kept as text a store and an encoder can take, and the
    delivery and the run still finish."""
    async with (
        running_receiver(always(200, HOSTILE_ANSWER)) as receiver,
        running_worker(backend),
    ):
        endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
        project = await create_project(tenant, "hostile-answer")
        nodes = await deliveries_when(tenant, endpoint["id"], lambda d: d["status"] == "SUCCEEDED")
        assert [n["aggregateId"] for n in nodes] == [project]
        excerpt = await tenant.gql(
            "query($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 1) { nodes { "
            "attempts { responseExcerpt } } } } }",
            {"id": endpoint["id"]},
        )
        [attempt] = excerpt.ok()["webhookEndpoint"]["deliveries"]["nodes"][0]["attempts"]
        assert "\x00" not in attempt["responseExcerpt"] and "tail" in attempt["responseExcerpt"]

        action = {"type": "WEBHOOK", "url": receiver.url}
        created = await tenant.gql(
            "mutation($p: ID!, $a: [AutomationActionInput!]!) { createAutomation(input: "
            '{projectId: $p, name: "A", trigger: {type: WEBHOOK}, actions: $a}) '
            "{ automation { id } userErrors { code } } }",
            {"p": project, "a": [action]},
        )
        automation_id = created.ok()["createAutomation"]["automation"]["id"]
        started = await tenant.gql(
            "mutation($id: ID!) { runAutomation(input: {id: $id}) { automationRun { id } } }",
            {"id": automation_id},
        )
        run_id = started.ok()["runAutomation"]["automationRun"]["id"]
        run = await finished_run(tenant, run_id)
        assert run["status"] == "SUCCEEDED", run
        [output] = run["output"]
        assert output["statusCode"] == 200 and isinstance(output["body"], str)
        assert "\x00" not in output["body"]
