"""Projects through GraphQL: create, read, list, update, archive, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.scopes import Scope
from tests.conftest import Tenant, count_statements

CREATE = """
mutation($input: CreateProjectInput!) {
  createProject(input: $input) {
    project { id slug name status settings metadata renderQuota version createdAt updatedAt }
    userErrors { field code message }
  }
}"""

PROJECTS = """
query($first: Int, $after: String, $filter: ProjectFilter, $orderBy: OrderBy) {
  projects(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { id slug } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def create(tenant: Tenant, slug: str, **extra: Any) -> dict[str, Any]:
    result = await tenant.gql(CREATE, {"input": {"slug": slug, "name": slug.title(), **extra}})
    payload = result.ok()["createProject"]
    assert payload["userErrors"] == []
    project: dict[str, Any] = payload["project"]
    return project


async def test_create_and_read_project(tenant: Tenant) -> None:
    project = await create(tenant, "aurora", settings={"fps": 24}, metadata={"a": 1}, renderQuota=3)
    assert project["id"].startswith("prj_")
    assert project["status"] == "ACTIVE"
    assert project["settings"] == {"fps": 24} and project["metadata"] == {"a": 1}
    assert project["createdAt"].endswith("Z") and project["version"] == 1

    read = await tenant.gql(
        "query($id: ID!) { project(id: $id) { id slug renderQuota } "
        "node(id: $id) { id ... on Project { name } } }",
        {"id": project["id"]},
    )
    data = read.ok()
    assert data["project"] == {"id": project["id"], "slug": "aurora", "renderQuota": 3}
    assert data["node"] == {"id": project["id"], "name": "Aurora"}


@pytest.mark.parametrize(
    ("slug", "name", "field", "code"),
    [
        ("AB", "x", "slug", "INVALID"),
        ("has space", "x", "slug", "INVALID"),
        ("a" * 51, "x", "slug", "TOO_LONG"),
        ("ok-slug", "", "name", "REQUIRED"),
        ("ok-slug", "n" * 101, "name", "TOO_LONG"),
    ],
)
async def test_create_project_rejects_bad_input(
    tenant: Tenant, slug: str, name: str, field: str, code: str
) -> None:
    result = await tenant.gql(CREATE, {"input": {"slug": slug, "name": name}})
    payload = result.ok()["createProject"]
    assert payload["project"] is None
    assert {"field": ["input", field], "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["userErrors"]
    ]
    listed = (await tenant.gql(PROJECTS)).ok()["projects"]["nodes"]
    assert listed == []


async def test_slug_taken_in_same_org_but_free_in_another(tenant: Tenant, make_tenant: Any) -> None:
    await create(tenant, "taken")
    again = (await tenant.gql(CREATE, {"input": {"slug": "taken", "name": "X"}})).ok()
    assert again["createProject"]["userErrors"][0]["code"] == "TAKEN"
    other = await make_tenant()
    await create(other, "taken")


async def test_pagination_walks_every_project_once(tenant: Tenant) -> None:
    slugs = {f"page-{i:02d}" for i in range(7)}
    for slug in sorted(slugs):
        await create(tenant, slug)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        result = (
            await tenant.gql(
                PROJECTS,
                {
                    "first": 3,
                    "after": after,
                    "orderBy": {"field": "CREATED_AT", "direction": "ASC"},
                },
            )
        ).ok()
        connection = result["projects"]
        seen += [e["node"]["slug"] for e in connection["edges"]]
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == sorted(slugs)
    assert pages == 3


async def test_bad_page_arguments(tenant: Tenant) -> None:
    too_many = await tenant.gql(PROJECTS, {"first": 101})
    assert too_many.codes == ["VALIDATION_FAILED"]
    bad_cursor = await tenant.gql(PROJECTS, {"after": "not-a-cursor"})
    assert bad_cursor.codes == ["VALIDATION_FAILED"]


async def test_filter_by_status(tenant: Tenant) -> None:
    kept = await create(tenant, "kept")
    gone = await create(tenant, "gone")
    archived = await tenant.gql(
        "mutation($id: ID!) { archiveProject(input: {id: $id}) { project { status version } "
        "userErrors { code } } }",
        {"id": gone["id"]},
    )
    assert archived.ok()["archiveProject"]["project"] == {"status": "ARCHIVED", "version": 2}
    active = (await tenant.gql(PROJECTS, {"filter": {"status": "ACTIVE"}})).ok()
    assert [n["id"] for n in active["projects"]["nodes"]] == [kept["id"]]


async def test_update_project_partial(tenant: Tenant) -> None:
    project = await create(tenant, "partial", metadata={"k": "v"})
    result = await tenant.gql(
        "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { "
        "project { name slug metadata version } userErrors { field code } } }",
        {"input": {"id": project["id"], "name": "Renamed"}},
    )
    assert result.ok()["updateProject"]["project"] == {
        "name": "Renamed",
        "slug": "partial",
        "metadata": {"k": "v"},
        "version": 2,
    }


async def test_other_organisation_sees_nothing(tenant: Tenant, make_tenant: Any) -> None:
    project = await create(tenant, "secret")
    other = await make_tenant()
    read = (
        await other.gql(
            "query($id: ID!) { project(id: $id) { id } node(id: $id) { id } }",
            {"id": project["id"]},
        )
    ).ok()
    assert read == {"project": None, "node": None}
    update = (
        await other.gql(
            'mutation($id: ID!) { updateProject(input: {id: $id, name: "pwned"}) { '
            "project { id } userErrors { field code } } }",
            {"id": project["id"]},
        )
    ).ok()
    assert update["updateProject"] == {
        "project": None,
        "userErrors": [{"field": ["input", "id"], "code": "NOT_FOUND"}],
    }
    mine = (
        await tenant.gql("query($id: ID!) { project(id: $id) { name } }", {"id": project["id"]})
    ).ok()
    assert mine["project"]["name"] == "Secret"


async def test_missing_scope_is_refused_and_changes_nothing(tenant: Tenant) -> None:
    reader = await tenant.key(Scope.PROJECTS_READ)
    result = await tenant.gql(CREATE, {"input": {"slug": "nope", "name": "N"}}, token=reader)
    assert result.codes == ["UNAUTHORIZED_SCOPE"]
    assert (await tenant.gql(PROJECTS)).ok()["projects"]["nodes"] == []


async def test_project_limited_key_sees_only_its_projects(tenant: Tenant) -> None:
    allowed = await create(tenant, "allowed")
    hidden = await create(tenant, "hidden")
    limited = await tenant.key(
        Scope.PROJECTS_READ, Scope.PROJECTS_WRITE, project_ids=[allowed["id"]]
    )
    listed = (await tenant.gql(PROJECTS, token=limited)).ok()
    assert [n["id"] for n in listed["projects"]["nodes"]] == [allowed["id"]]
    read = (
        await tenant.gql(
            "query($id: ID!) { project(id: $id) { id } }", {"id": hidden["id"]}, token=limited
        )
    ).ok()
    assert read["project"] is None


async def test_list_costs_constant_statements(tenant: Tenant, services: Any) -> None:
    for i in range(5):
        await create(tenant, f"count-{i}")
    with count_statements(services) as statements:
        (await tenant.gql(PROJECTS, {"first": 2})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        (await tenant.gql(PROJECTS, {"first": 5})).ok()
    assert len(statements) == small


async def test_update_project_null_clears_optional_fields(tenant: Tenant) -> None:
    project = await create(tenant, "clearable", description="old", settings={"a": 1})
    result = await tenant.gql(
        "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { "
        "project { description settings renderQuota } userErrors { field code } } }",
        {
            "input": {
                "id": project["id"],
                "description": None,
                "settings": None,
                "renderQuota": None,
            }
        },
    )
    assert result.ok()["updateProject"] == {
        "project": {"description": "", "settings": {}, "renderQuota": None},
        "userErrors": [],
    }
    nulled = await tenant.gql(
        "mutation($id: ID!) { updateProject(input: {id: $id, name: null, status: null}) { "
        "project { id } userErrors { field code } } }",
        {"id": project["id"]},
    )
    assert sorted(e["field"][-1] for e in nulled.ok()["updateProject"]["userErrors"]) == [
        "name",
        "status",
    ]
