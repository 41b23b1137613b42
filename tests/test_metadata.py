"""``updateMetadata`` on every kind of object: merge semantics, scopes, tenancy, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.scopes import Scope
from app.models import Asset, Job, JobKind, Template
from tests.conftest import Tenant
from tests.content_fixtures import (
    create_character,
    create_project,
    create_scene,
    create_segment,
    error_codes,
    events_of,
    mutate,
)

SELECTION = "metadata node { id ... on Scene { version metadata } }"


async def _stored(services: Any, row: Any) -> str:
    async with services.db.writing() as session:
        session.add(row)
    row_id: str = row.id
    return row_id


async def test_merges_and_removes_keys(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "meta")
    scene = await create_scene(tenant, project, "S", metadata={"a": 1, "b": 2, "keep": True})
    payload = await mutate(
        tenant,
        "updateMetadata",
        {"id": scene["id"], "set": {"a": 10, "c": {"nested": [1]}}, "remove": ["b", "absent"]},
        SELECTION,
    )
    merged = {"a": 10, "keep": True, "c": {"nested": [1]}}
    assert payload == {
        "metadata": merged,
        "node": {"id": scene["id"], "version": 2, "metadata": merged},
        "userErrors": [],
    }
    again = await mutate(tenant, "updateMetadata", {"id": scene["id"], "set": {"a": 10}}, SELECTION)
    assert again["node"]["version"] == 2
    assert await events_of(services, scene["id"]) == [("scene.created", 1), ("scene.updated", 2)]


async def test_every_kind_of_object_under_its_write_scope(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "kinds")
    scene = await create_scene(tenant, project, "S")
    owned: dict[str, Any] = {"org_id": tenant.org_id, "project_id": project}
    ids = {
        "project": (project, Scope.PROJECTS_WRITE),
        "character": (await create_character(tenant, project, "C"), Scope.CONTENT_WRITE),
        "scene": (scene["id"], Scope.CONTENT_WRITE),
        "segment": ((await create_segment(tenant, scene["id"], "x"))["id"], Scope.CONTENT_WRITE),
        "asset": (
            await _stored(
                services, Asset(name="a.png", type="image", mime_type="image/png", **owned)
            ),
            Scope.CONTENT_WRITE,
        ),
        "template": (await _stored(services, Template(name="T", **owned)), Scope.CONTENT_WRITE),
        "job": (await _stored(services, Job(kind=JobKind.RENDER, **owned)), Scope.JOBS_WRITE),
    }
    write_scopes = {Scope.PROJECTS_WRITE, Scope.CONTENT_WRITE, Scope.JOBS_WRITE}
    for kind, (object_id, scope) in ids.items():
        wrong = await tenant.key(*(write_scopes - {scope}))
        refused = await tenant.gql(
            "mutation($id: ID!) { updateMetadata(input: {id: $id, set: {x: 1}}) { metadata } }",
            {"id": object_id},
            token=wrong,
        )
        assert refused.codes == ["UNAUTHORIZED_SCOPE"], kind
        right = await tenant.key(scope)
        payload = await mutate(
            tenant,
            "updateMetadata",
            {"id": object_id, "set": {"sync": kind}},
            "metadata",
            token=right,
        )
        assert payload == {"metadata": {"sync": kind}, "userErrors": []}, kind
        assert await events_of(services, object_id) == [
            *(
                [(f"{kind}.created", 1)]
                if kind in ("project", "character", "scene", "segment")
                else []
            ),
            (f"{kind}.updated", 2),
        ], kind


@pytest.mark.parametrize(
    ("input", "expected"),
    [
        ({"set": [1, 2]}, [(["input", "set"], "INVALID")]),
        ({"set": "x"}, [(["input", "set"], "INVALID")]),
        ({"set": {"a": 1}, "remove": ["b", "a"]}, [(["input", "remove", "1"], "INVALID")]),
        ({"set": {f"k{i}": i for i in range(201)}}, [(["input", "set"], "TOO_LONG")]),
        ({"remove": [f"k{i}" for i in range(201)]}, [(["input", "remove"], "TOO_LONG")]),
    ],
)
async def test_bad_input(
    tenant: Tenant, services: Any, input: dict[str, Any], expected: list[Any]
) -> None:
    project = await create_project(tenant, "meta-bad")
    payload = await mutate(tenant, "updateMetadata", {"id": project, **input}, "metadata")
    assert payload["metadata"] is None
    assert error_codes(payload) == expected
    assert await events_of(services, project) == [("project.created", 1)]


async def test_merged_metadata_is_capped(tenant: Tenant) -> None:
    project = await create_project(tenant, "meta-cap")
    first = {f"a{i}": i for i in range(150)}
    assert (await mutate(tenant, "updateMetadata", {"id": project, "set": first}, "metadata"))[
        "userErrors"
    ] == []
    payload = await mutate(
        tenant,
        "updateMetadata",
        {"id": project, "set": {f"b{i}": i for i in range(60)}},
        "metadata",
    )
    assert error_codes(payload) == [(["input", "set"], "TOO_LONG")]


@pytest.mark.parametrize(
    "object_id", ["nope", "key_01ARZ3NDEKTSV4RRFFQ69G5FAV", "scn_01ARZ3NDEKTSV4RRFFQ69G5FAV"]
)
async def test_unknown_ids_are_not_found(tenant: Tenant, object_id: str) -> None:
    payload = await mutate(tenant, "updateMetadata", {"id": object_id, "set": {"a": 1}}, "metadata")
    assert error_codes(payload) == [(["input", "id"], "NOT_FOUND")]


async def test_project_limited_key_cannot_reach_other_projects(tenant: Tenant) -> None:
    allowed = await create_project(tenant, "meta-in")
    hidden = await create_project(tenant, "meta-out")
    key = await tenant.key(Scope.PROJECTS_WRITE, project_ids=[allowed])
    refused = await mutate(
        tenant, "updateMetadata", {"id": hidden, "set": {"a": 1}}, "metadata", token=key
    )
    assert error_codes(refused) == [(["input", "id"], "NOT_FOUND")]
    accepted = await mutate(
        tenant, "updateMetadata", {"id": allowed, "set": {"a": 1}}, "metadata", token=key
    )
    assert accepted == {"metadata": {"a": 1}, "userErrors": []}
