"""Projects: create, read, list, update, archive, and bad input, through GraphQL and /v1 REST.

Tests taking ``api`` run once per transport with the same assertions (see
``tests/api_client.py``); the few that are about one transport's shape say so in their name.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.scopes import Scope
from tests.api_client import Api
from tests.api_fixtures import MakeApi
from tests.conftest import Tenant, count_statements

PROJECTS = """
query($first: Int, $after: String, $filter: ProjectFilter, $orderBy: ProjectOrderBy) {
  projects(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { id slug } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def create(api: Api, slug: str, **extra: Any) -> dict[str, Any]:
    project: dict[str, Any] = (
        await api.create("projects", {"slug": slug, "name": slug.title(), **extra})
    ).ok()
    return project


async def test_create_and_read_project(api: Api) -> None:
    project = await create(api, "aurora", settings={"fps": 24}, metadata={"a": 1}, render_quota=3)
    assert project["id"].startswith("prj_")
    assert project["status"] == "active"
    assert project["settings"] == {"fps": 24} and project["metadata"] == {"a": 1}
    assert project["created_at"].endswith("Z") and project["version"] == 1

    read = (await api.get("projects", project["id"])).ok()
    assert read == project
    assert (read["slug"], read["render_quota"]) == ("aurora", 3)


async def test_graphql_node_resolves_a_project(tenant: Tenant) -> None:
    created = await tenant.gql(
        'mutation { createProject(input: {slug: "noded", name: "Noded"}) { project { id } } }'
    )
    project_id = created.ok()["createProject"]["project"]["id"]
    read = await tenant.gql(
        "query($id: ID!) { node(id: $id) { id ... on Project { name } } }", {"id": project_id}
    )
    assert read.ok()["node"] == {"id": project_id, "name": "Noded"}


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
    api: Api, slug: str, name: str, field: str, code: str
) -> None:
    result = await api.create("projects", {"slug": slug, "name": name})
    assert result.error == "VALIDATION_FAILED"
    assert (field, code) in result.fields
    assert (await api.list("projects")).ok() == []


async def test_slug_taken_in_same_org_but_free_in_another(api: Api, make_api: MakeApi) -> None:
    await create(api, "taken")
    again = await api.create("projects", {"slug": "taken", "name": "X"})
    assert (again.error, again.fields) == ("VALIDATION_FAILED", [("slug", "TAKEN")])
    other = await make_api()
    await create(other, "taken")


async def test_pagination_walks_every_project_once(api: Api) -> None:
    slugs = {f"page-{i:02d}" for i in range(7)}
    for slug in sorted(slugs):
        await create(api, slug)
    seen: list[str] = []
    cursor: dict[str, str] = {}
    pages = 0
    while True:
        page = await api.list("projects", limit=3, sort="created_at", **cursor)
        seen += [p["slug"] for p in page.ok()]
        pages += 1
        if not page.has_more:
            assert page.next_cursor is None
            break
        assert page.next_cursor
        cursor = {"cursor": page.next_cursor}
    assert seen == sorted(slugs)
    assert pages == 3


async def test_bad_cursor(api: Api) -> None:
    bad_cursor = await api.list("projects", cursor="not-a-cursor")
    assert (bad_cursor.error, bad_cursor.fields) == ("VALIDATION_FAILED", [("cursor", "INVALID")])


async def test_graphql_page_size_above_the_maximum_is_refused(tenant: Tenant) -> None:
    too_many = await tenant.gql(PROJECTS, {"first": 101})
    assert too_many.codes == ["VALIDATION_FAILED"]
    bad_cursor = await tenant.gql(PROJECTS, {"after": "not-a-cursor"})
    assert bad_cursor.codes == ["VALIDATION_FAILED"]


async def test_graphql_connection_shape(tenant: Tenant) -> None:
    client = Api(tenant.http, tenant.token, "graphql", tenant)
    first = await create(client, "shape-a")
    await create(client, "shape-b")
    result = (await tenant.gql(PROJECTS, {"first": 1})).ok()["projects"]
    assert result["pageInfo"]["hasNextPage"] is True
    assert result["pageInfo"]["hasPreviousPage"] is False
    assert result["edges"][0]["cursor"] == result["pageInfo"]["endCursor"]
    assert result["nodes"] == [{"id": result["edges"][0]["node"]["id"]}]
    assert result["nodes"][0]["id"] != first["id"]


async def test_filter_by_status(api: Api) -> None:
    kept = await create(api, "kept")
    gone = await create(api, "gone")
    archived = (await api.delete("projects", gone["id"])).ok()
    assert (archived["status"], archived["version"]) == ("archived", 2)
    active = await api.list("projects", status="active")
    assert active.ids == [kept["id"]]


async def test_update_project_partial(api: Api) -> None:
    project = await create(api, "partial", metadata={"k": "v"})
    updated = (await api.update("projects", project["id"], {"name": "Renamed"})).ok()
    assert {k: updated[k] for k in ("name", "slug", "metadata", "version")} == {
        "name": "Renamed",
        "slug": "partial",
        "metadata": {"k": "v"},
        "version": 2,
    }


async def test_update_with_nulls_clears_optional_fields(api: Api) -> None:
    project = await create(api, "cleared", description="Pilot", metadata={"k": "v"}, render_quota=4)
    nulls = {"description": None, "metadata": None, "settings": None, "render_quota": None}
    updated = (await api.update("projects", project["id"], nulls)).ok()
    assert {k: updated[k] for k in nulls} == {
        "description": "",
        "metadata": {},
        "settings": {},
        "render_quota": None,
    }
    refused = await api.update("projects", project["id"], {"name": None})
    assert (refused.error, refused.fields) == ("VALIDATION_FAILED", [("name", "REQUIRED")])


async def test_other_organisation_sees_nothing(api: Api, make_api: MakeApi) -> None:
    project = await create(api, "secret")
    other = await make_api()
    assert (await other.get("projects", project["id"])).error == "NOT_FOUND"
    update = await other.update("projects", project["id"], {"name": "pwned"})
    assert update.error == "NOT_FOUND"
    assert (await other.delete("projects", project["id"])).error == "NOT_FOUND"
    mine = (await api.get("projects", project["id"])).ok()
    assert (mine["name"], mine["status"]) == ("Secret", "active")


async def test_missing_scope_is_refused_and_changes_nothing(api: Api) -> None:
    reader = await api.tenant.key(Scope.PROJECTS_READ)
    result = await api.create("projects", {"slug": "nope", "name": "N"}, token=reader)
    assert result.error == "UNAUTHORIZED_SCOPE"
    writer = await api.tenant.key(Scope.PROJECTS_WRITE)
    assert (await api.list("projects", token=writer)).error == "UNAUTHORIZED_SCOPE"
    assert (await api.list("projects")).ok() == []


async def test_project_limited_key_sees_only_its_projects(api: Api) -> None:
    allowed = await create(api, "allowed")
    hidden = await create(api, "hidden")
    limited = await api.tenant.key(
        Scope.PROJECTS_READ, Scope.PROJECTS_WRITE, project_ids=[allowed["id"]]
    )
    listed = await api.list("projects", token=limited)
    assert listed.ids == [allowed["id"]]
    assert (await api.get("projects", hidden["id"], token=limited)).error == "NOT_FOUND"
    creating = await api.create("projects", {"slug": "more", "name": "M"}, token=limited)
    assert creating.error == "FORBIDDEN"


async def test_list_costs_constant_statements(api: Api, services: Any) -> None:
    for i in range(5):
        await create(api, f"count-{i}")
    with count_statements(services) as statements:
        (await api.list("projects", limit=2)).ok()
    small = len(statements)
    with count_statements(services) as statements:
        (await api.list("projects", limit=5)).ok()
    assert len(statements) == small
