"""Reading events through a side door: a webhook endpoint receives only what the credential that
saved it can read (when saved, and again at every delivery), and the event feed and subscriptions
follow the same rule (``app.events.access``)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.auth.principal import Principal
from app.auth.scopes import READ_ONLY, Scope
from app.events.access import FAMILY_SCOPES, family_of, may_read
from app.events.worker import EventWorker
from app.models.base import Versioned
from tests.api_client import Api
from tests.conftest import Tenant
from tests.events_fixtures import GraphQLSocket, Receiver, deliveries_when, eventually
from tests.keys_fixtures import REVOKE_KEY, UPDATE_KEY, create_key
from tests.test_webhooks import CREATE, UPDATE, create_project, rename_project

pytest_plugins = ["tests.events_fixtures"]


NOT_AGGREGATES = {"api_key_secret"}
"""Versioned tables whose rows never emit events of their own."""
EVENTS_ABOUT = {"telemetry"}
"""Families of events about something that is not a row (``telemetry.flushed``)."""


def test_every_event_family_has_a_read_scope() -> None:
    """A new aggregate must say which scope reads its events, or only admins would get them."""
    models: list[type[Any]] = []
    stack: list[type[Any]] = [Versioned]
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        if "__table__" in model.__dict__:
            models.append(model)
    families = {
        family_of(getattr(m, "__event_prefix__", m.__tablename__.removesuffix("s")))
        for m in models
        if m.__tablename__.removesuffix("s") not in NOT_AGGREGATES
    }
    families |= EVENTS_ABOUT
    assert len(families) >= 15 and families == set(FAMILY_SCOPES), families ^ set(FAMILY_SCOPES)


@pytest.mark.parametrize(
    ("event_type", "scope"),
    [
        ("project.scenes_reordered", "projects:read"),
        ("scene.segments_reordered", "content:read"),
        ("asset.processing", "content:read"),
        ("asset.ready", "content:read"),
        ("asset.failed", "content:read"),
        ("manifest.validated", "content:read"),
        ("manifest.rejected", "content:read"),
        ("manifest_schema.created", "content:read"),
        ("job.completed", "jobs:read"),
        ("automation.created", "automations:read"),
        ("automation.inbound_secret_rotated", "automations:read"),
        ("automation.run.succeeded", "automations:read"),
        ("telemetry.flushed", "telemetry:read"),
        ("api_key.revoked", "keys:read"),
        ("oauth_client.created", "keys:read"),
        ("user.disabled", "users:read"),
        ("webhook_endpoint.disabled", "webhooks:read"),
    ],
)
def test_each_family_is_read_with_its_scope(event_type: str, scope: str) -> None:
    """``events:read`` and the family's own read scope, nothing less; another read scope does
    not stand in for it."""
    needed = Scope(scope)
    holding = Principal("key_x", "org_x", frozenset({Scope.EVENTS_READ, needed}), None)
    assert may_read(holding, "org_x", event_type, None)
    without_events = Principal("key_x", "org_x", frozenset({needed}), None)
    assert not may_read(without_events, "org_x", event_type, None)
    others = frozenset(READ_ONLY - {needed}) | {Scope.EVENTS_READ}
    assert not may_read(Principal("key_x", "org_x", others, None), "org_x", event_type, None)


async def key_with(tenant: Tenant, *scopes: str, **extra: Any) -> tuple[str, str]:
    """(key id, secret) of a new key of the tenant's organisation."""
    payload = await create_key(tenant, scopes=list(scopes), **extra)
    return payload["apiKey"]["id"], payload["secret"]


async def create_with(tenant: Tenant, token: str, **fields: Any) -> Any:
    fields.setdefault("url", "https://hooks.example.com/side-door")
    return await tenant.gql(CREATE, {"input": fields}, token=token)


@pytest.mark.parametrize(
    ("scopes", "types", "allowed"),
    [
        (["webhooks:write"], None, False),
        (["webhooks:write", "events:read"], None, False),
        (["webhooks:write", "events:read"], ["project.*"], False),
        (["webhooks:write", "events:read", "projects:read"], ["project.*"], True),
        (["webhooks:write", "events:read", "projects:read"], ["*.created"], False),
        (["webhooks:write", "events:read", "projects:read"], ["job.completed"], False),
        (["webhooks:write", "events:read", "jobs:read"], ["job.completed"], True),
        (["webhooks:write", "projects:read", "jobs:read"], ["job.*"], False),
        (["webhooks:write", "read_only"], None, True),
    ],
)
async def test_saving_an_endpoint_needs_the_scopes_of_what_it_receives(
    tenant: Tenant, scopes: list[str], types: list[str] | None, allowed: bool
) -> None:
    _, token = await key_with(tenant, *scopes)
    result = await create_with(tenant, token, eventTypes=types)
    if allowed:
        assert result.ok()["createWebhookEndpoint"]["userErrors"] == []
    else:
        assert result.codes == ["UNAUTHORIZED_SCOPE"], result.body
        assert "can read" in result.errors[0]["message"]


async def test_rest_refuses_it_the_same_way(api: Api) -> None:
    _, token = await key_with(api.tenant, "webhooks:write")
    outcome = await api.create(
        "webhook_endpoints", {"url": "https://hooks.example.com/rest-door"}, token=token
    )
    assert outcome.error == "UNAUTHORIZED_SCOPE"
    if outcome.transport == "rest":
        assert outcome.status == 403


async def test_retargeting_needs_the_rights_and_takes_ownership(tenant: Tenant) -> None:
    _, narrow = await key_with(tenant, "webhooks:write", "events:read", "projects:read")
    _, writer = await key_with(tenant, "webhooks:write")
    created = (await create_with(tenant, narrow, eventTypes=["project.*"])).ok()
    endpoint_id = created["createWebhookEndpoint"]["webhookEndpoint"]["id"]

    async def update(token: str, **fields: Any) -> Any:
        return await tenant.gql(UPDATE, {"input": {"id": endpoint_id, **fields}}, token=token)

    assert (await update(writer, description="renamed")).ok()
    for change in (
        {"eventTypes": ["*"]},
        {"url": "https://hooks.example.com/elsewhere"},
        {"subscriptionQuery": "subscription { events { id } }"},
        {"enabled": False},
    ):
        result = await update(writer, **change)
        if change == {"enabled": False}:
            assert result.ok()["updateWebhookEndpoint"]["userErrors"] == [], "narrows nothing"
            continue
        refused = result.codes == ["UNAUTHORIZED_SCOPE"] or (
            result.data and result.data["updateWebhookEndpoint"]["userErrors"]
        )
        assert refused, (change, result.body)
    assert (await update(narrow, eventTypes=["*"])).codes == ["UNAUTHORIZED_SCOPE"]
    assert (await update(writer, enabled=True)).codes == ["UNAUTHORIZED_SCOPE"]
    assert (await update(narrow, enabled=True)).ok()


async def test_deliveries_stop_once_the_owner_loses_its_rights(
    tenant: Tenant, receiver: Receiver, worker: EventWorker
) -> None:
    owner_id, owner = await key_with(
        tenant, "webhooks:write", "events:read", "projects:read", "content:read"
    )
    created = (await create_with(tenant, owner, url=receiver.url, eventTypes=["project.*"])).ok()
    endpoint = created["createWebhookEndpoint"]["webhookEndpoint"]
    endpoint_id = endpoint["id"]
    mine = await create_project(tenant, "owner-sees")
    other = await create_project(tenant, "owner-loses")
    await receiver.wait_count(2)

    narrowed = await tenant.gql(UPDATE_KEY, {"input": {"id": owner_id, "projectIds": [mine]}})
    assert narrowed.ok()["updateApiKey"]["userErrors"] == []
    await rename_project(tenant, other, "hidden now")
    await rename_project(tenant, mine, "still seen")
    await receiver.wait_count(3)
    nodes = await deliveries_when(tenant, endpoint_id, lambda d: d["status"] == "DEAD")
    [dead] = [d for d in nodes if d["status"] == "DEAD"]
    assert dead["aggregateId"] == other and "can no longer read" in dead["lastError"]

    scopes = ["webhooks:write", "events:read", "content:read"]
    taken = await tenant.gql(UPDATE_KEY, {"input": {"id": owner_id, "scopes": scopes}})
    assert taken.ok()["updateApiKey"]["userErrors"] == []
    await rename_project(tenant, mine, "scope gone")
    await deliveries_when(
        tenant, endpoint_id, lambda d: d["status"] == "DEAD" and d["aggregateId"] == mine
    )

    # Replay and redelivery go through the same check: nothing the owner cannot read leaves.
    replayed = await tenant.gql(
        "mutation($e: ID!, $s: DateTime!) { replayWebhookEvents(input: {endpointId: $e, "
        "since: $s}) { count userErrors { code } } }",
        {"e": endpoint_id, "s": endpoint["createdAt"]},
    )
    assert replayed.ok()["replayWebhookEvents"]["count"] == 5
    nodes = await _all_dead(tenant, endpoint_id)
    redelivered = await tenant.gql(
        "mutation($d: ID!) { redeliverWebhook(input: {deliveryId: $d}) { userErrors { code } } }",
        {"d": nodes[0]["id"]},
    )
    assert redelivered.ok()["redeliverWebhook"]["userErrors"] == []
    await _all_dead(tenant, endpoint_id)
    assert len(receiver.requests) == 3

    revoked = await tenant.gql(REVOKE_KEY, {"id": owner_id})
    assert revoked.ok()["revokeApiKey"]["userErrors"] == []
    await rename_project(tenant, mine, "owner revoked")
    query = "query($id: ID!) { webhookEndpoint(id: $id) { enabled disabledReason } }"
    for _ in range(400):
        state = (await tenant.gql(query, {"id": endpoint_id})).ok()["webhookEndpoint"]
        if not state["enabled"]:
            break
        await asyncio.sleep(0.05)
    assert state["enabled"] is False and "revoked" in state["disabledReason"]
    assert [r.json["aggregate_id"] for r in receiver.requests][2:] == [mine]


async def _all_dead(tenant: Tenant, endpoint_id: str) -> list[dict[str, Any]]:
    """The endpoint's deliveries once none is pending any more (all dead-lettered)."""
    for _ in range(400):
        nodes = await deliveries_when(tenant, endpoint_id, lambda _d: True)
        if all(n["status"] == "DEAD" for n in nodes):
            return nodes
        await asyncio.sleep(0.05)
    raise AssertionError(nodes)


EVENTS = "{ events(first: 100) { nodes { type aggregateId } } }"
LIVE = 'subscription { events(types: ["*"]) { type aggregateId } }'


async def test_feed_and_subscriptions_show_only_families_the_key_reads(
    tenant: Tenant, server: str, worker: EventWorker
) -> None:
    project = await create_project(tenant, "families")
    job = await tenant.gql(
        "mutation($p: ID!) { submitJob(input: {projectId: $p, kind: GENERATE}) "
        "{ job { id } userErrors { code } } }",
        {"p": project},
    )
    job_id = job.ok()["submitJob"]["job"]["id"]
    _, events_only = await key_with(tenant, "events:read", "projects:read")
    feed = (await tenant.gql(EVENTS, token=events_only)).ok()["events"]["nodes"]
    assert {e["type"].split(".")[0] for e in feed} == {"project"}
    _, both = await key_with(tenant, "events:read", "projects:read", "jobs:read")
    feed = (await tenant.gql(EVENTS, token=both)).ok()["events"]["nodes"]
    assert job_id in {e["aggregateId"] for e in feed}

    async def dispatched() -> bool:
        """A subscription streams what is dispatched after it starts: the events above must
        be dispatched first (they have a cursor then)."""
        query = "{ events(first: 100) { nodes { cursor } } }"
        nodes = (await tenant.gql(query, token=both)).ok()["events"]["nodes"]
        return bool(nodes) and all(n["cursor"] for n in nodes)

    await eventually(dispatched)
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(events_only)
        await socket.subscribe("1", LIVE)
        await socket.until_pong()
        cancelled = await tenant.gql(
            "mutation($id: ID!) { cancelJob(input: {id: $id}) { userErrors { code } } }",
            {"id": job_id},
        )
        assert cancelled.ok()["cancelJob"]["userErrors"] == []
        await rename_project(tenant, project, "after the job")
        message = await socket.receive()
        assert message["payload"]["data"]["events"] == {
            "type": "project.updated",
            "aggregateId": project,
        }
