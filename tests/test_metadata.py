"""``updateMetadata`` (``PATCH /v1/metadata/{id}``) on every kind of object: merge semantics,
scopes, tenancy, bad input; through both transports (``tests/api_client.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.scopes import Scope
from app.models import Asset, AssetKind, Job, JobKind, Template
from tests.api_client import Api
from tests.api_fixtures import ONLY_REST, alternating
from tests.content_fixtures import (
    create_character,
    create_project,
    create_scene,
    create_segment,
    events_of,
)


async def _stored(services: Any, row: Any) -> str:
    async with services.db.writing() as session:
        session.add(row)
    row_id: str = row.id
    return row_id


async def test_merges_and_removes_keys(api: Api, services: Any) -> None:
    project = await create_project(api, "meta")
    scene = await create_scene(api, project, "S", metadata={"a": 1, "b": 2, "keep": True})
    changed = await api.action(
        "metadata",
        id=scene["id"],
        fields={"set": {"a": 10, "c": {"nested": [1]}}, "remove": ["b", "absent"]},
    )
    merged = {"a": 10, "keep": True, "c": {"nested": [1]}}
    assert changed.on_rest(200).ok() == {"metadata": merged, "node": {"id": scene["id"]}}
    read = (await api.get("scenes", scene["id"])).ok()
    assert (read["metadata"], read["version"]) == (merged, 2)
    again = await api.action("metadata", id=scene["id"], fields={"set": {"a": 10}})
    assert again.ok()["metadata"] == merged
    assert (await api.get("scenes", scene["id"])).ok()["version"] == 2
    assert await events_of(services, scene["id"]) == [("scene.created", 1), ("scene.updated", 2)]


async def test_every_kind_of_object_under_its_write_scope(api: Api, services: Any) -> None:
    project = await create_project(api, "kinds")
    scene = await create_scene(api, project, "S")
    owned: dict[str, Any] = {"org_id": api.tenant.org_id, "project_id": project}
    ids = {
        "project": (project, Scope.PROJECTS_WRITE),
        "character": (await create_character(api, project, "C"), Scope.CONTENT_WRITE),
        "scene": (scene["id"], Scope.CONTENT_WRITE),
        "segment": ((await create_segment(api, scene["id"], "x"))["id"], Scope.CONTENT_WRITE),
        "asset": (
            await _stored(
                services, Asset(name="a.png", type=AssetKind.IMAGE, mime_type="image/png", **owned)
            ),
            Scope.CONTENT_WRITE,
        ),
        "template": (await _stored(services, Template(name="T", **owned)), Scope.CONTENT_WRITE),
        "job": (await _stored(services, Job(kind=JobKind.RENDER, **owned)), Scope.JOBS_WRITE),
    }
    write_scopes = {Scope.PROJECTS_WRITE, Scope.CONTENT_WRITE, Scope.JOBS_WRITE}
    for kind, (object_id, scope) in ids.items():
        wrong = await api.tenant.key(*(write_scopes - {scope}))
        refused = await api.action("metadata", id=object_id, fields={"set": {"x": 1}}, token=wrong)
        assert refused.on_rest(403).error == "UNAUTHORIZED_SCOPE", kind
        right = await api.tenant.key(scope)
        changed = await api.action(
            "metadata", id=object_id, fields={"set": {"sync": kind}}, token=right
        )
        assert changed.ok() == {"metadata": {"sync": kind}, "node": {"id": object_id}}, kind
        assert await events_of(services, object_id) == [
            *(
                [(f"{kind}.created", 1)]
                if kind in ("project", "character", "scene", "segment")
                else []
            ),
            (f"{kind}.updated", 2),
        ], kind


BAD_INPUT: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    ({"set": [1, 2]}, [("set", "INVALID")]),
    ({"set": "x"}, [("set", "INVALID")]),
    ({"set": {"a": 1}, "remove": ["b", "a"]}, [("remove.1", "INVALID")]),
    ({"set": {f"k{i}": i for i in range(201)}}, [("set", "TOO_LONG")]),
    ({"remove": [f"k{i}" for i in range(201)]}, [("remove", "TOO_LONG")]),
]


@pytest.mark.parametrize(("transport", "fields", "expected"), alternating(BAD_INPUT))
async def test_bad_input(
    api: Api, services: Any, fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    project = await create_project(api, "meta-bad")
    refused = await api.action("metadata", id=project, fields=fields)
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert refused.fields == expected
    assert await events_of(services, project) == [("project.created", 1)]


@ONLY_REST
async def test_merged_metadata_is_capped(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project = await create_project(api, "meta-cap")
    first = {f"a{i}": i for i in range(150)}
    (await api.action("metadata", id=project, fields={"set": first})).ok()
    refused = await api.action(
        "metadata", id=project, fields={"set": {f"b{i}": i for i in range(60)}}
    )
    assert refused.fields == [("set", "TOO_LONG")]


@pytest.mark.parametrize(
    ("transport", "object_id"),
    alternating(["nope", "key_01ARZ3NDEKTSV4RRFFQ69G5FAV", "scn_01ARZ3NDEKTSV4RRFFQ69G5FAV"]),
)
async def test_unknown_ids_are_not_found(api: Api, object_id: str) -> None:
    refused = await api.action("metadata", id=object_id, fields={"set": {"a": 1}})
    assert refused.on_rest(404).error == "NOT_FOUND"


async def test_project_limited_key_cannot_reach_other_projects(api: Api) -> None:
    allowed = await create_project(api, "meta-in")
    hidden = await create_project(api, "meta-out")
    key = await api.tenant.key(Scope.PROJECTS_WRITE, project_ids=[allowed])
    refused = await api.action("metadata", id=hidden, fields={"set": {"a": 1}}, token=key)
    assert refused.error == "NOT_FOUND"
    accepted = await api.action("metadata", id=allowed, fields={"set": {"a": 1}}, token=key)
    assert accepted.ok() == {"metadata": {"a": 1}, "node": {"id": allowed}}
