"""The ``events`` query: what a partner pages through to catch up on anything missed."""

from __future__ import annotations

from typing import Any

from app.auth.scopes import Scope
from tests.conftest import Tenant
from tests.test_webhooks import create_project, rename_project

EVENTS = """
query($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes { id type version aggregateType aggregateId sequence projectId occurredAt data }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def list_events(tenant: Tenant, token: str | None = None, **variables: Any) -> Any:
    return (await tenant.gql(EVENTS, variables, token=token)).ok()["events"]


async def test_catch_up_oldest_first_with_cursors(tenant: Tenant) -> None:
    first = await create_project(tenant, "catch-up-a")
    await rename_project(tenant, first, "A2")
    second = await create_project(tenant, "catch-up-b")
    await rename_project(tenant, first, "A3")

    page = await list_events(tenant, first=3)
    assert [(e["aggregateId"], e["type"], e["sequence"]) for e in page["nodes"]] == [
        (first, "project.created", 1),
        (first, "project.updated", 2),
        (second, "project.created", 1),
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    event = page["nodes"][0]
    assert event["id"].startswith("evt_") and event["version"] == 1
    assert event["aggregateType"] == "project" and event["projectId"] == first
    assert event["occurredAt"].endswith("Z") and event["data"]["slug"] == "catch-up-a"

    rest = await list_events(tenant, first=3, after=page["pageInfo"]["endCursor"])
    assert [(e["aggregateId"], e["sequence"]) for e in rest["nodes"]] == [(first, 3)]
    assert rest["pageInfo"]["hasNextPage"] is False

    node = await tenant.gql(
        "query($id: ID!) { node(id: $id) { id ... on Event { type sequence } } }",
        {"id": event["id"]},
    )
    assert node.ok()["node"] == {"id": event["id"], "type": "project.created", "sequence": 1}


async def test_filters(tenant: Tenant) -> None:
    first = await create_project(tenant, "filters-a")
    second = await create_project(tenant, "filters-b")
    await rename_project(tenant, second, "B2")
    after = (await list_events(tenant))["nodes"][0]["occurredAt"]

    def keys(page: Any) -> list[tuple[str, str]]:
        return [(e["aggregateId"], e["type"]) for e in page["nodes"]]

    updated = await list_events(tenant, filter={"types": ["project.updated"]})
    assert keys(updated) == [(second, "project.updated")]
    created = await list_events(tenant, filter={"types": ["*.created"]})
    assert keys(created) == [(first, "project.created"), (second, "project.created")]
    everything = await list_events(tenant, filter={"types": ["*"]})
    assert len(everything["nodes"]) == 3
    by_project = await list_events(tenant, filter={"projectId": second})
    assert keys(by_project) == [(second, "project.created"), (second, "project.updated")]
    by_aggregate = await list_events(tenant, filter={"aggregateId": first})
    assert keys(by_aggregate) == [(first, "project.created")]
    later = await list_events(tenant, filter={"occurredAfter": after})
    assert keys(later) == [(second, "project.created"), (second, "project.updated")]
    nothing = await list_events(tenant, filter={"types": ["job.*"]})
    assert nothing["nodes"] == []


async def test_bad_filters_and_cursors(tenant: Tenant) -> None:
    bad = await tenant.gql(EVENTS, {"filter": {"types": ["job.**"]}})
    assert bad.codes == ["VALIDATION_FAILED"]
    assert bad.errors[0]["extensions"]["fields"][0]["field"] == ["filter", "types", "0"]
    assert (await tenant.gql(EVENTS, {"after": "garbage"})).codes == ["VALIDATION_FAILED"]
    assert (await tenant.gql(EVENTS, {"first": 101})).codes == ["VALIDATION_FAILED"]


async def test_visibility_follows_org_projects_and_scope(tenant: Tenant, make_tenant: Any) -> None:
    mine = await create_project(tenant, "visible-mine")
    other_project = await create_project(tenant, "visible-other")
    result = await tenant.gql(
        'mutation { createWebhookEndpoint(input: {url: "https://hooks.example.com/v"}) '
        "{ userErrors { code } } }"
    )
    assert result.ok()["createWebhookEndpoint"]["userErrors"] == []
    stranger = await make_tenant()
    foreign = await create_project(stranger, "visible-foreign")

    everything = await list_events(tenant)
    assert {e["aggregateType"] for e in everything["nodes"]} == {"project", "webhook_endpoint"}
    assert foreign not in {e["aggregateId"] for e in everything["nodes"]}

    limited = await tenant.key(Scope.EVENTS_READ, Scope.PROJECTS_READ, project_ids=[mine])
    seen = await list_events(tenant, token=limited)
    assert [e["aggregateId"] for e in seen["nodes"]] == [mine]
    hidden = await list_events(tenant, token=limited, filter={"projectId": other_project})
    assert hidden["nodes"] == []

    foreign_event = (await list_events(stranger))["nodes"][0]["id"]
    node = await tenant.gql("query($id: ID!) { node(id: $id) { id } }", {"id": foreign_event})
    assert node.ok()["node"] is None

    no_scope = await tenant.key(Scope.PROJECTS_READ)
    assert (await tenant.gql(EVENTS, token=no_scope)).codes == ["UNAUTHORIZED_SCOPE"]
