"""SQL statements per request for each benchmark row's document (``bench/harness.py``).

Timings belong to the bench; these counts are what a lost dataloader or an N+1 changes, so
they fail here first. The key lookup is left out (it depends on the key cache), as are the
app's background tasks (``count_statements``).
"""

from __future__ import annotations

from typing import Any

from app.models import Character, Project, Scene, Segment, SegmentCharacter
from bench.harness import CONTENT_QUERY, CREATE_PROJECT, PROJECT_QUERY
from tests.conftest import Tenant, count_statements

EXPECTED = {
    "project(id)": 1,
    "GET /v1/projects/{id}": 1,
    "nested list": 5,
    "createProject": 4,
}
"""The project by id; the page of projects, then one statement per relation (characters,
scenes, segments, segments' characters); the uniqueness check and the three inserts (project,
outbox event, and the call's audit record, written in the same transaction). Savepoints are
transaction control, like ``BEGIN``, and not counted."""


async def seed(tenant: Tenant, projects: int) -> list[str]:
    """``projects`` projects, each with a character, a scene and a segment naming it, written
    in one transaction (the API would take a request per row)."""
    ids: list[str] = []
    async with tenant.services.db.writing() as session:
        for number in range(projects):
            project = Project(org_id=tenant.org_id, slug=f"count-{number:03d}", name="P")
            character = Character(org_id=tenant.org_id, project_id=project.id, name="C")
            scene = Scene(org_id=tenant.org_id, project_id=project.id, title="S")
            segment = Segment(
                org_id=tenant.org_id, project_id=project.id, scene_id=scene.id, text="L"
            )
            for row in (project, character, scene, segment):
                session.add(row)
                await session.flush()
            session.add(SegmentCharacter(segment_id=segment.id, character_id=character.id))
            ids.append(project.id)
    return ids


async def statements(tenant: Tenant, query: str, variables: dict[str, Any] | None = None) -> int:
    (await tenant.gql(query, variables)).ok()
    with count_statements(tenant.services) as seen:
        (await tenant.gql(query, variables)).ok()
    return len(seen)


async def test_project_by_id(tenant: Tenant) -> None:
    [project_id] = await seed(tenant, 1)
    assert await statements(tenant, PROJECT_QUERY, {"id": project_id}) == EXPECTED["project(id)"]


async def test_rest_project_by_id(tenant: Tenant) -> None:
    [project_id] = await seed(tenant, 1)
    headers = {"Authorization": f"Bearer {tenant.token}"}
    (await tenant.http.get(f"/v1/projects/{project_id}", headers=headers)).raise_for_status()
    with count_statements(tenant.services) as seen:
        response = await tenant.http.get(f"/v1/projects/{project_id}", headers=headers)
    assert response.status_code == 200 and response.json()["id"] == project_id
    assert len(seen) == EXPECTED["GET /v1/projects/{id}"]


async def test_nested_list_does_not_grow_with_its_items(make_tenant: Any) -> None:
    query = CONTENT_QUERY.replace("first: 10", "first: 100")
    small, large = await make_tenant(), await make_tenant()
    await seed(small, 10)
    await seed(large, 100)
    assert await statements(small, query) == EXPECTED["nested list"]
    assert await statements(large, query) == EXPECTED["nested list"]
    data = (await large.gql(query)).ok()
    nodes = data["projects"]["nodes"]
    assert len(nodes) == 100
    assert all(
        [c["name"] for s in p["scenes"] for g in s["segments"] for c in g["characters"]] == ["C"]
        for p in nodes
    )


async def test_bench_nested_document(tenant: Tenant) -> None:
    await seed(tenant, 10)
    assert await statements(tenant, CONTENT_QUERY) == EXPECTED["nested list"]


async def test_create_project(tenant: Tenant) -> None:
    variables = {"input": {"slug": "counted", "name": "Counted", "settings": {"fps": 24}}}
    with count_statements(tenant.services) as seen:
        data = (await tenant.gql(CREATE_PROJECT, variables)).ok()
    assert data["createProject"]["userErrors"] == []
    assert len(seen) == EXPECTED["createProject"], seen
