"""What the fast paths to the store must keep: writes stay transactional although PostgreSQL
reads autocommit, loader statements reused across requests never widen what a caller sees,
and the server's settled heap is handed back when the last app stops."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from app.auth.scopes import Scope
from app.factory import settled_heap
from app.models import Project
from tests.api_client import Api
from tests.conftest import Backend, Tenant, count_statements
from tests.content_fixtures import create_character, create_project, create_scene, create_segment

CAST = """{ projects(first: 10) { nodes { id characters { name } scenes { title } } } }"""


async def test_a_failed_write_leaves_nothing_and_a_committed_one_is_read_back(
    tenant: Tenant, services: Any
) -> None:
    db = services.db

    class Abort(Exception):
        pass

    async def write_then_fail() -> None:
        async with db.writing() as session:
            session.add(Project(org_id=tenant.org_id, slug="rolled-back", name="Gone"))
            await session.flush()
            raise Abort

    with pytest.raises(Abort):
        await write_then_fail()
    async with db.writing() as session:
        session.add(Project(org_id=tenant.org_id, slug="kept", name="Kept"))
    async with db.reading() as session:
        slugs = (
            await session.execute(
                select(col(Project.slug)).where(col(Project.org_id) == tenant.org_id)
            )
        ).scalars()
        assert list(slugs) == ["kept"]


async def test_reused_loader_statements_keep_each_caller_to_its_own_rows(
    tenant: Tenant, make_tenant: Any
) -> None:
    api = Api(tenant.http, tenant.token, "graphql", tenant)
    north = await create_project(api, "north")
    south = await create_project(api, "south")
    ada = await create_character(api, north, "Ada")
    bo = await create_character(api, south, "Bo")
    await create_scene(api, north, "Opening")
    await create_scene(api, south, "Closing")
    limited = await tenant.key(Scope.PROJECTS_READ, Scope.CONTENT_READ, project_ids=[north])
    other = await make_tenant()
    by_id = """query($project: ID!, $character: ID!) {
      project(id: $project) { name characters { name } }
      character(id: $character) { name }
    }"""

    def seen(data: Any) -> dict[str, list[str]]:
        return {
            p["id"]: [c["name"] for c in p["characters"]] + [s["title"] for s in p["scenes"]]
            for p in data["projects"]["nodes"]
        }

    everything = {north: ["Ada", "Opening"], south: ["Bo", "Closing"]}
    for _ in range(2):  # the second round runs on statements the first one left behind
        assert seen((await tenant.gql(CAST)).ok()) == everything
        assert seen((await tenant.gql(CAST, token=limited)).ok()) == {north: ["Ada", "Opening"]}
        assert seen((await other.gql(CAST)).ok()) == {}
        variables = {"project": south, "character": bo}
        assert (await tenant.gql(by_id, variables)).ok() == {
            "project": {"name": "South", "characters": [{"name": "Bo"}]},
            "character": {"name": "Bo"},
        }
        hidden = {"project": None, "character": None}
        assert (await tenant.gql(by_id, variables, token=limited)).ok() == hidden
        assert (await other.gql(by_id, variables)).ok() == hidden
        shown = await tenant.gql(by_id, {"project": north, "character": ada}, token=limited)
        assert shown.ok()["character"] == {"name": "Ada"}


async def test_one_loader_statement_whatever_the_batch_size(
    backend: Backend, tenant: Tenant, services: Any
) -> None:
    query = "query($id: ID!) { project(id: $id) { scenes { segments { text } } } }"
    api = Api(tenant.http, tenant.token, "graphql", tenant)
    texts: list[set[str]] = []
    for size in (1, 3):
        project = await create_project(api, f"batch-of-{size}")
        for n in range(size):
            scene = await create_scene(api, project, f"S{n}")
            await create_segment(api, scene["id"], "line")
        with count_statements(services) as statements:
            data = (await tenant.gql(query, {"id": project})).ok()
        assert data["project"]["scenes"] == [{"segments": [{"text": "line"}]}] * size
        texts.append({s for s in statements if "FROM segments" in s})
    assert len(texts[0]) == len(texts[1]) == 1
    if backend.name == "postgres":
        assert texts[0] == texts[1], "a batch's ids are one array parameter"


def test_the_settled_heap_is_handed_back_by_the_last_app_to_stop() -> None:
    before = (gc.get_threshold(), gc.get_freeze_count() > 0)
    with settled_heap():
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] >= 10_000
        with settled_heap():
            pass
        assert gc.get_freeze_count() > 0, "a second app stopping leaves the first one's heap"
    assert (gc.get_threshold(), gc.get_freeze_count() > 0) == before
