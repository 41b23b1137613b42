"""Characters, scenes and segments: reads, ordering, writes, events, tenancy.

Tests taking ``api`` run once through ``/graphql`` and once through ``/v1`` with the same
assertions (``tests/api_client.py``); the ``test_graphql_...`` ones are about what only GraphQL
has (``node``, relations, several mutations in one document, nested list cost).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth.scopes import Scope
from app.demo import seed_demo
from app.models import Event
from tests.api_client import Api
from tests.api_fixtures import ONLY_GRAPHQL, ONLY_REST, MakeApi, alternating
from tests.conftest import Tenant, count_statements
from tests.content_fixtures import (
    create_character,
    create_project,
    create_scene,
    create_segment,
    event_data,
    events_of,
    scene_order,
)


def names(outcome: Any) -> list[str]:
    return [c["name"] for c in outcome.ok()]


def titles(outcome: Any) -> list[str]:
    return [s["title"] for s in outcome.ok()]


async def test_character_create_read_update_delete(api: Api, services: Any) -> None:
    project = await create_project(api, "cast")
    created = await api.create(
        "characters",
        {"name": "Mira", "description": "Lead", "metadata": {"age": 11}},
        parent=project,
    )
    mira = created.ok()
    created.on_rest(201, location=f"/v1/characters/{mira['id']}")
    assert mira["id"].startswith("chr_") and mira["project_id"] == project
    assert mira["metadata"] == {"age": 11} and mira["version"] == 1
    assert mira["created_at"].endswith("Z")
    assert (await api.get("characters", mira["id"])).ok() == mira

    updated = (await api.update("characters", mira["id"], {"name": "Mira Vale"})).ok()
    assert {k: updated[k] for k in ("name", "description", "metadata", "version")} == {
        "name": "Mira Vale",
        "description": "Lead",
        "metadata": {"age": 11},
        "version": 2,
    }
    deleted = (await api.delete("characters", mira["id"])).on_rest(200).ok()
    assert (deleted["id"], deleted["version"]) == (mira["id"], 3)
    gone = await api.get("characters", mira["id"])
    assert gone.on_rest(404).error == "NOT_FOUND"
    assert await events_of(services, mira["id"]) == [
        ("character.created", 1),
        ("character.updated", 2),
        ("character.deleted", 3),
    ]


@ONLY_GRAPHQL
async def test_graphql_node_and_relations(api: Api, make_api: MakeApi) -> None:
    """``node``, and relations REST shows as ids (``project_id``, ``character_ids``) or as
    their own nested routes (``/v1/projects/{id}/scenes``)."""
    project = await create_project(api, "beats")
    mira = await create_character(api, project, "Mira", description="Lead")
    oto = await create_character(api, project, "Oto")
    scene = await create_scene(api, project, "Lighthouse")
    await create_scene(api, project, "Opening", position=0)
    segment = await create_segment(api, scene["id"], "Storm", character_ids=[oto, mira])
    read = (
        await api.tenant.gql(
            "query($c: ID!, $g: ID!, $p: ID!) { "
            "character(id: $c) { name project { id } } "
            "node(id: $c) { id ... on Character { description } } "
            "segment(id: $g) { characters { name } scene { title project { slug } } } "
            "project(id: $p) { scenes { title segments { text } } } }",
            {"c": mira, "g": segment["id"], "p": project},
        )
    ).ok()
    assert read == {
        "character": {"name": "Mira", "project": {"id": project}},
        "node": {"id": mira, "description": "Lead"},
        "segment": {
            "characters": [{"name": "Oto"}, {"name": "Mira"}],
            "scene": {"title": "Lighthouse", "project": {"slug": "beats"}},
        },
        "project": {
            "scenes": [
                {"title": "Opening", "segments": []},
                {"title": "Lighthouse", "segments": [{"text": "Storm"}]},
            ]
        },
    }
    other = await make_api()
    hidden = await other.tenant.gql("query($id: ID!) { node(id: $id) { id } }", {"id": mira})
    assert hidden.ok() == {"node": None}


async def test_characters_list_filters_and_sorts_by_name(api: Api) -> None:
    project = await create_project(api, "names")
    other = await create_project(api, "other-names")
    for name in ("Zed", "Amy", "Cleo_x", "Bob"):
        await create_character(api, project, name)
    await create_character(api, other, "Bobby")

    by_name = await api.list("characters", parent=project, sort="name")
    assert names(by_name) == ["Amy", "Bob", "Cleo_x", "Zed"]
    newest_first = await api.list("characters", parent=project)
    assert names(newest_first) == ["Bob", "Cleo_x", "Amy", "Zed"]
    search = await api.list("characters", parent=project, name_contains="bO")
    assert names(search) == ["Bob"]
    literal = await api.list("characters", parent=project, name_contains="o_")
    assert names(literal) == ["Cleo_x"]
    too_long = await api.list("characters", parent=project, name_contains="x" * 201)
    assert too_long.on_rest(422).error == "VALIDATION_FAILED"
    assert too_long.fields == [("name_contains", "TOO_LONG")]


async def test_scenes_append_and_insert_keep_positions_dense(api: Api, services: Any) -> None:
    project = await create_project(api, "story")
    first = await create_scene(api, project, "One")
    await create_scene(api, project, "Two")
    three = await create_scene(api, project, "Three")
    assert (first["position"], three["position"]) == (0, 2)

    inserted = await create_scene(api, project, "One and a half", position=1)
    assert inserted["position"] == 1 and inserted["version"] == 1
    assert await scene_order(api, project) == [
        ("One", 0, 1),
        ("One and a half", 1, 1),
        ("Two", 2, 1),
        ("Three", 3, 1),
    ]
    assert await events_of(services, three["id"]) == [("scene.created", 1)]
    assert await events_of(services, project) == [
        ("project.created", 1),
        ("project.scenes_reordered", 2),
    ]
    listed = (await api.list("scenes", parent=project)).ids
    assert listed[:2] == [first["id"], inserted["id"]]
    assert (await event_data(services, project, 2))["scene_ids"] == listed
    at_start = await create_scene(api, project, "Zero", position=0)
    assert at_start["position"] == 0
    assert [t for t, _, _ in await scene_order(api, project)][:2] == ["Zero", "One"]


async def test_update_scene_moves_it(api: Api, services: Any) -> None:
    project = await create_project(api, "moves")
    scenes = [await create_scene(api, project, t) for t in ("A", "B", "C", "D")]
    moved = (await api.update("scenes", scenes[3]["id"], {"position": 1, "title": "D!"})).ok()
    assert moved["position"] == 1 and moved["version"] == 2
    assert await scene_order(api, project) == [
        ("A", 0, 1),
        ("D!", 1, 2),
        ("B", 2, 1),
        ("C", 3, 1),
    ]
    assert await events_of(services, scenes[3]["id"]) == [
        ("scene.created", 1),
        ("scene.updated", 2),
    ]
    assert await events_of(services, scenes[1]["id"]) == [("scene.created", 1)]
    assert (await events_of(services, project))[-1] == ("project.scenes_reordered", 2)
    just_moved = (await api.update("scenes", scenes[0]["id"], {"position": 3})).ok()
    assert (just_moved["position"], just_moved["version"]) == (3, 1)
    assert (await events_of(services, project))[-1] == ("project.scenes_reordered", 3)
    out_of_range = await api.update("scenes", scenes[0]["id"], {"position": 4})
    assert out_of_range.on_rest(422).error == "VALIDATION_FAILED"
    assert out_of_range.fields == [("position", "OUT_OF_RANGE")]


async def test_reorder_scenes(api: Api, services: Any) -> None:
    project = await create_project(api, "reorder")
    a, b, c = [await create_scene(api, project, t) for t in ("A", "B", "C")]
    reordered = await api.action(
        "scenes", "reorder", parent=project, fields={"scene_ids": [c["id"], a["id"], b["id"]]}
    )
    assert [(s["title"], s["position"], s["version"]) for s in reordered.ok()["data"]] == [
        ("C", 0, 1),
        ("A", 1, 1),
        ("B", 2, 1),
    ]
    assert await scene_order(api, project) == [("C", 0, 1), ("A", 1, 1), ("B", 2, 1)]
    for scene in (a, b, c):
        assert await events_of(services, scene["id"]) == [("scene.created", 1)]
    assert await events_of(services, project) == [
        ("project.created", 1),
        ("project.scenes_reordered", 2),
    ]
    data = await event_data(services, project, 2)
    assert data["scene_ids"] == [c["id"], a["id"], b["id"]] and data["id"] == project

    same = await api.action(
        "scenes", "reorder", parent=project, fields={"scene_ids": [c["id"], a["id"], b["id"]]}
    )
    assert [s["title"] for s in same.ok()["data"]] == ["C", "A", "B"]
    assert len(await events_of(services, project)) == 2, "an unchanged order records nothing"


async def test_reorder_scenes_refuses_anything_but_the_exact_set(
    api: Api, make_api: MakeApi
) -> None:
    project = await create_project(api, "exact")
    a, b, c = [(await create_scene(api, project, t))["id"] for t in ("A", "B", "C")]
    elsewhere = (await create_scene(api, await create_project(api, "elsewhere"), "X"))["id"]
    stranger = await make_api()
    foreign = (await create_scene(stranger, await create_project(stranger, "foreign"), "F"))["id"]
    cases = [
        ([a, b], [("scene_ids", "INVALID")]),
        ([a, b, c, elsewhere], [("scene_ids.3", "NOT_FOUND")]),
        ([a, b, c, foreign], [("scene_ids.3", "NOT_FOUND")]),
        ([a, b, b, c], [("scene_ids.2", "INVALID")]),
        ([c, b, "scn_bogus"], [("scene_ids.2", "NOT_FOUND"), ("scene_ids", "INVALID")]),
    ]
    for ids, expected in cases:
        refused = await api.action("scenes", "reorder", parent=project, fields={"scene_ids": ids})
        assert refused.on_rest(422).error == "VALIDATION_FAILED", ids
        assert refused.fields == expected, ids
    assert await scene_order(api, project) == [("A", 0, 1), ("B", 1, 1), ("C", 2, 1)]


async def test_pagination_walks_scenes_in_position_order(api: Api) -> None:
    project = await create_project(api, "paging")
    names = [f"Scene {i}" for i in range(7)]
    for title in names:
        await create_scene(api, project, title)
    await create_scene(api, project, "Opening", position=0)
    seen: list[str] = []
    cursor: dict[str, str] = {}
    for _ in range(10):
        page = await api.list("scenes", parent=project, limit=3, **cursor)
        seen += titles(page)
        if not page.has_more:
            assert page.next_cursor is None
            break
        assert page.next_cursor
        cursor = {"cursor": page.next_cursor}
    assert seen == ["Opening", *names]

    by_title = await api.list("scenes", parent=project, limit=2, sort="-name")
    assert titles(by_title) == ["Scene 6", "Scene 5"]
    assert by_title.next_cursor
    mixed = await api.list("scenes", parent=project, cursor=by_title.next_cursor)
    assert (mixed.error, mixed.fields) == ("VALIDATION_FAILED", [("cursor", "INVALID")])


async def test_scene_filters(api: Api) -> None:
    project = await create_project(api, "filters")
    early = await create_scene(api, project, "Harbour at DAWN")
    late = await create_scene(api, project, "Harbour at dusk")
    boundary = (await api.get("scenes", late["id"])).ok()["updated_at"]
    dawn = await api.list("scenes", parent=project, title_contains="dawn")
    assert titles(dawn) == [early["title"]]
    before = await api.list("scenes", parent=project, updated_before=boundary)
    assert titles(before) == [early["title"]]
    assert titles(await api.list("scenes", parent=project, updated_after=boundary)) == []


async def test_segments_with_characters(api: Api, services: Any) -> None:
    project = await create_project(api, "beats")
    mira = await create_character(api, project, "Mira")
    oto = await create_character(api, project, "Oto")
    scene = await create_scene(api, project, "Lighthouse")
    first = await create_segment(
        api, scene["id"], "Storm", duration_ms=4000, character_ids=[oto, mira]
    )
    assert first["character_ids"] == [oto, mira] and first["duration_ms"] == 4000
    assert (first["scene_id"], first["project_id"]) == (scene["id"], project)
    second = await create_segment(api, scene["id"], "Calm")
    assert (first["position"], second["position"], second["character_ids"]) == (0, 1, [])
    created = await event_data(services, first["id"], 1)
    assert created["character_ids"] == [oto, mira] and created["scene_id"] == scene["id"]

    recast = (await api.update("segments", first["id"], {"character_ids": [mira]})).ok()
    assert recast["character_ids"] == [mira] and recast["version"] == 2
    assert (await event_data(services, first["id"], 2))["character_ids"] == [mira]

    featuring = await api.list("segments", parent=scene["id"], character_id=mira)
    assert featuring.ids == [first["id"]]
    by_text = await api.list("segments", parent=scene["id"], text_contains="cal")
    assert by_text.ids == [second["id"]]

    unchanged = await api.update("segments", first["id"], {"character_ids": [mira]})
    assert unchanged.ok()["version"] == 2


async def test_segment_character_ids_must_be_visible_and_of_the_project(
    api: Api, make_api: MakeApi
) -> None:
    project = await create_project(api, "cast-rules")
    scene = await create_scene(api, project, "S")
    mine = await create_character(api, project, "Mine")
    other_project = await create_character(api, await create_project(api, "cast-b"), "B")
    stranger = await make_api()
    foreign = await create_character(stranger, await create_project(stranger, "cast-f"), "F")
    unknown = "chr_01ARZ3NDEKTSV4RRFFQ69G5FAV"
    refused = await api.create(
        "segments",
        {"text": "x", "character_ids": [mine, other_project, foreign, unknown, mine]},
        parent=scene["id"],
    )
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert refused.fields == [
        ("character_ids.1", "INVALID"),
        ("character_ids.2", "NOT_FOUND"),
        ("character_ids.3", "NOT_FOUND"),
        ("character_ids.4", "INVALID"),
    ]
    assert (await api.list("segments", parent=scene["id"])).ok() == []


async def test_reorder_and_delete_segments(api: Api, services: Any) -> None:
    project = await create_project(api, "cuts")
    scene = await create_scene(api, project, "S")
    a, b, c = [await create_segment(api, scene["id"], t) for t in ("a", "b", "c")]
    reordered = await api.action(
        "segments",
        "reorder",
        parent=scene["id"],
        fields={"segment_ids": [b["id"], c["id"], a["id"]]},
    )
    assert [(s["text"], s["position"], s["version"]) for s in reordered.ok()["data"]] == [
        ("b", 0, 1),
        ("c", 1, 1),
        ("a", 2, 1),
    ]
    assert await events_of(services, scene["id"]) == [
        ("scene.created", 1),
        ("scene.segments_reordered", 2),
    ]
    assert (await event_data(services, scene["id"], 2))["segment_ids"] == [
        b["id"],
        c["id"],
        a["id"],
    ]
    missing = await api.action(
        "segments", "reorder", parent=scene["id"], fields={"segment_ids": [b["id"], c["id"]]}
    )
    assert missing.fields == [("segment_ids", "INVALID")]

    (await api.delete("segments", b["id"])).ok()
    left = (await api.list("segments", parent=scene["id"])).ok()
    assert [(s["text"], s["position"]) for s in left] == [("c", 0), ("a", 1)]
    assert await events_of(services, b["id"]) == [("segment.created", 1), ("segment.deleted", 2)]
    assert await events_of(services, c["id"]) == [("segment.created", 1)]
    assert (await events_of(services, scene["id"]))[-1] == ("scene.segments_reordered", 3)
    assert (await event_data(services, scene["id"], 3))["segment_ids"] == [c["id"], a["id"]]
    inserted = await create_segment(api, scene["id"], "first", position=0)
    assert inserted["position"] == 0
    assert (await events_of(services, scene["id"]))[-1] == ("scene.segments_reordered", 4)
    beyond = await api.create("segments", {"text": "far", "position": 4}, parent=scene["id"])
    assert beyond.fields == [("position", "OUT_OF_RANGE")]


async def test_delete_scene_deletes_its_segments(api: Api, services: Any) -> None:
    project = await create_project(api, "cutting-room")
    mira = await create_character(api, project, "Mira")
    first = await create_scene(api, project, "First")
    doomed = await create_scene(api, project, "Doomed")
    last = await create_scene(api, project, "Last")
    segments = [
        await create_segment(api, doomed["id"], t, character_ids=[mira]) for t in ("x", "y")
    ]
    deleted = (await api.delete("scenes", doomed["id"])).ok()
    assert (deleted["id"], deleted["version"]) == (doomed["id"], 2)
    assert await scene_order(api, project) == [("First", 0, 1), ("Last", 1, 1)]
    for segment in segments:
        assert await events_of(services, segment["id"]) == [
            ("segment.created", 1),
            ("segment.deleted", 2),
        ]
        assert (await api.get("segments", segment["id"])).error == "NOT_FOUND"
    assert await events_of(services, doomed["id"]) == [("scene.created", 1), ("scene.deleted", 2)]
    assert await events_of(services, last["id"]) == [("scene.created", 1)]
    assert await events_of(services, first["id"]) == [("scene.created", 1)]
    assert (await events_of(services, project))[-1] == ("project.scenes_reordered", 2)
    assert (await api.get("characters", mira)).ok()["id"] == mira


async def test_delete_character_takes_it_out_of_segments(api: Api, services: Any) -> None:
    project = await create_project(api, "recast")
    mira = await create_character(api, project, "Mira")
    oto = await create_character(api, project, "Oto")
    scene = await create_scene(api, project, "S")
    both = await create_segment(api, scene["id"], "both", character_ids=[mira, oto])
    solo = await create_segment(api, scene["id"], "solo", character_ids=[oto])
    (await api.delete("characters", mira)).ok()
    segments = (await api.list("segments", parent=scene["id"])).ok()
    assert [(s["text"], s["version"], s["character_ids"]) for s in segments] == [
        ("both", 2, [oto]),
        ("solo", 1, [oto]),
    ]
    assert await events_of(services, both["id"]) == [("segment.created", 1), ("segment.updated", 2)]
    assert (await event_data(services, both["id"], 2))["character_ids"] == [oto]
    assert await events_of(services, solo["id"]) == [("segment.created", 1)]


@ONLY_GRAPHQL
async def test_graphql_nested_lists_cost_constant_statements(
    make_api: MakeApi, services: Any
) -> None:
    query = "{ projects(first: 100) { nodes { scenes { segments { characters { id } } } } } }"

    async def build(projects: int, scenes: int, segments: int, characters: int) -> Tenant:
        api = await make_api()
        for p in range(projects):
            project = await create_project(api, f"nested-{p}")
            cast = [await create_character(api, project, f"C{i}") for i in range(characters)]
            for s in range(scenes):
                scene = await create_scene(api, project, f"S{s}")
                for i in range(segments):
                    await create_segment(api, scene["id"], f"{i}", character_ids=cast)
        tenant: Tenant = api.tenant
        return tenant

    async def count(tenant: Tenant) -> tuple[int, Any]:
        (await tenant.gql(query)).ok()
        with count_statements(services) as statements:
            data = (await tenant.gql(query)).ok()
        return len(statements), data

    small, small_data = await count(await build(1, 1, 1, 1))
    large, large_data = await count(await build(3, 3, 3, 2))
    assert len(small_data["projects"]["nodes"]) == 1
    assert (
        sum(
            len(seg["characters"])
            for p in large_data["projects"]["nodes"]
            for s in p["scenes"]
            for seg in s["segments"]
        )
        == 3 * 3 * 3 * 2
    )
    assert large == small


async def test_list_costs_constant_statements(api: Api, services: Any) -> None:
    project = await create_project(api, "list-cost")
    scene = await create_scene(api, project, "S")
    cast = [await create_character(api, project, f"C{i}") for i in range(2)]
    for i in range(5):
        await create_segment(api, scene["id"], f"{i}", character_ids=cast)
    with count_statements(services) as statements:
        (await api.list("segments", parent=scene["id"], limit=1)).ok()
    small = len(statements)
    with count_statements(services) as statements:
        page = (await api.list("segments", parent=scene["id"], limit=5)).ok()
    assert len(statements) == small
    assert [s["character_ids"] for s in page] == [cast] * 5


async def test_concurrent_appends_get_distinct_positions(api: Api) -> None:
    project = await create_project(api, "race")
    results = await asyncio.gather(
        *(api.create("scenes", {"title": f"T{i}"}, parent=project) for i in range(6))
    )
    assert sorted(r.ok()["position"] for r in results) == list(range(6))
    assert [p for _, p, _ in await scene_order(api, project)] == list(range(6))


async def test_other_organisation_sees_and_changes_nothing(
    api: Api, make_api: MakeApi, services: Any
) -> None:
    project = await create_project(api, "private")
    mira = await create_character(api, project, "Mira")
    scene = await create_scene(api, project, "Secret")
    segment = await create_segment(api, scene["id"], "psst", character_ids=[mira])
    other = await make_api()
    for resource, object_id in (
        ("characters", mira),
        ("scenes", scene["id"]),
        ("segments", segment["id"]),
    ):
        assert (await other.get(resource, object_id)).on_rest(404).error == "NOT_FOUND"
    assert (await other.list("scenes", parent=project)).ok() == []
    assert (await other.list("characters", parent=project)).ok() == []
    assert (await other.list("segments", parent=scene["id"])).ok() == []
    attempts = [
        other.update("characters", mira, {"name": "x"}),
        other.delete("characters", mira),
        other.update("scenes", scene["id"], {"title": "x"}),
        other.delete("scenes", scene["id"]),
        other.update("segments", segment["id"], {"text": "x"}),
        other.delete("segments", segment["id"]),
        other.create("scenes", {"title": "x"}, parent=project),
        other.create("characters", {"name": "x"}, parent=project),
        other.create("segments", {}, parent=scene["id"]),
        other.action("scenes", "reorder", parent=project, fields={"scene_ids": [scene["id"]]}),
        other.action(
            "segments", "reorder", parent=scene["id"], fields={"segment_ids": [segment["id"]]}
        ),
        other.action("metadata", id=scene["id"], fields={"set": {"x": 1}}),
    ]
    for index, attempt in enumerate(attempts):
        refused = await attempt
        assert refused.on_rest(404).error == "NOT_FOUND", index
    for aggregate in (mira, scene["id"], segment["id"]):
        assert [t for t, _ in await events_of(services, aggregate)][1:] == []
    mine = (await api.get("segments", segment["id"])).ok()
    assert (mine["text"], mine["character_ids"], mine["version"]) == ("psst", [mira], 1)


async def test_missing_scope_is_refused_and_changes_nothing(api: Api) -> None:
    project = await create_project(api, "scoped")
    scene = await create_scene(api, project, "Kept")
    reader = await api.tenant.key(Scope.CONTENT_READ, Scope.PROJECTS_READ)
    attempts = [
        api.create("scenes", {"title": "no"}, parent=project, token=reader),
        api.update("scenes", scene["id"], {"title": "no"}, token=reader),
        api.action(
            "scenes", "reorder", parent=project, fields={"scene_ids": [scene["id"]]}, token=reader
        ),
        api.delete("scenes", scene["id"], token=reader),
    ]
    for index, attempt in enumerate(attempts):
        assert (await attempt).on_rest(403).error == "UNAUTHORIZED_SCOPE", index
    assert await scene_order(api, project) == [("Kept", 0, 1)]

    projects_only = await api.tenant.key(Scope.PROJECTS_READ)
    listed = await api.list("scenes", parent=project, token=projects_only)
    assert listed.error == "UNAUTHORIZED_SCOPE"
    content_only = await api.tenant.key(Scope.CONTENT_READ)
    read = (await api.get("scenes", scene["id"], token=content_only)).ok()
    assert read["project_id"] == project


@ONLY_GRAPHQL
async def test_graphql_relations_need_the_related_scope(api: Api) -> None:
    """REST shows relations as ids, which need no scope of their own (see above)."""
    project = await create_project(api, "scoped-relations")
    scene = await create_scene(api, project, "Kept")
    projects_only = await api.tenant.key(Scope.PROJECTS_READ)
    nested = await api.tenant.gql(
        "query($id: ID!) { project(id: $id) { slug scenes { id } } }",
        {"id": project},
        token=projects_only,
    )
    assert nested.codes == ["UNAUTHORIZED_SCOPE"]
    content_only = await api.tenant.key(Scope.CONTENT_READ)
    parent = await api.tenant.gql(
        "query($id: ID!) { scene(id: $id) { title project { id } } }",
        {"id": scene["id"]},
        token=content_only,
    )
    assert parent.codes == ["UNAUTHORIZED_SCOPE"]


async def test_project_limited_key(api: Api) -> None:
    allowed = await create_project(api, "limited-in")
    hidden = await create_project(api, "limited-out")
    visible_scene = await create_scene(api, allowed, "In")
    hidden_scene = await create_scene(api, hidden, "Out")
    hidden_character = await create_character(api, hidden, "Ghost")
    key = await api.tenant.key(
        Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.PROJECTS_READ, project_ids=[allowed]
    )
    assert (await api.get("scenes", visible_scene["id"], token=key)).ok()["title"] == "In"
    assert (await api.get("scenes", hidden_scene["id"], token=key)).error == "NOT_FOUND"
    assert (await api.list("projects", token=key)).ids == [allowed]
    assert titles(await api.list("scenes", parent=allowed, token=key)) == ["In"]
    assert (await api.list("scenes", parent=hidden, token=key)).ok() == []
    created = await api.create("scenes", {"title": "x"}, parent=hidden, token=key)
    assert created.on_rest(404).error == "NOT_FOUND"
    with_ghost = await api.create(
        "segments", {"character_ids": [hidden_character]}, parent=visible_scene["id"], token=key
    )
    assert with_ghost.on_rest(422).fields == [("character_ids.0", "NOT_FOUND")]
    ok = await api.create("scenes", {"title": "y"}, parent=allowed, token=key)
    assert ok.ok()["position"] == 1
    assert await scene_order(api, hidden) == [("Out", 0, 1)]


BAD_INPUT: list[tuple[str, dict[str, Any], str, str]] = [
    ("scenes", {"title": ""}, "title", "REQUIRED"),
    ("scenes", {"title": "t" * 201}, "title", "TOO_LONG"),
    ("scenes", {"title": "ok", "description": "d" * 5001}, "description", "TOO_LONG"),
    ("scenes", {"title": "ok", "metadata": [1, 2]}, "metadata", "INVALID"),
    ("scenes", {"title": "ok", "metadata": "text"}, "metadata", "INVALID"),
    ("scenes", {"title": "ok", "position": -1}, "position", "OUT_OF_RANGE"),
    ("scenes", {"title": "ok", "position": 2}, "position", "OUT_OF_RANGE"),
    ("characters", {"name": " "}, "name", "REQUIRED"),
    ("characters", {"name": "n" * 101}, "name", "TOO_LONG"),
    ("characters", {"name": "ok", "description": "d" * 2001}, "description", "TOO_LONG"),
    ("characters", {"name": "ok", "metadata": 3}, "metadata", "INVALID"),
    ("segments", {"text": "t" * 10001}, "text", "TOO_LONG"),
    ("segments", {"duration_ms": -1}, "duration_ms", "OUT_OF_RANGE"),
    ("segments", {"duration_ms": 86_400_001}, "duration_ms", "OUT_OF_RANGE"),
    ("segments", {"metadata": [1]}, "metadata", "INVALID"),
    ("segments", {"position": 5}, "position", "OUT_OF_RANGE"),
    ("segments", {"character_ids": ["chr_x"] * 101}, "character_ids", "TOO_LONG"),
]


@pytest.mark.parametrize(
    ("transport", "resource", "fields", "field", "code"), alternating(BAD_INPUT)
)
async def test_bad_input_is_refused_per_field(
    api: Api, resource: str, fields: dict[str, Any], field: str, code: str
) -> None:
    project = await create_project(api, "bad-input")
    scene = await create_scene(api, project, "Only")
    parent = scene["id"] if resource == "segments" else project
    refused = await api.create(resource, fields, parent=parent)
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert (field, code) in refused.fields
    assert len((await api.list("scenes", parent=project)).ok()) == 1
    assert (await api.list("characters", parent=project)).ok() == []
    assert (await api.list("segments", parent=scene["id"])).ok() == []


@ONLY_REST
async def test_rest_wrong_types_are_422_naming_the_field(api: Api) -> None:
    """REST's own checks of a body before any GraphQL runs; GraphQL's coercion has its own
    tests (``tests/test_http.py``)."""
    project = await create_project(api, "rest-types")
    scene = await create_scene(api, project, "Only")
    attempts = [
        (api.create("scenes", {"title": 5}, parent=project), ("title", "INVALID")),
        (
            api.create("scenes", {"title": "t", "position": "1"}, parent=project),
            ("position", "INVALID"),
        ),
        (
            api.create("scenes", {"title": "t", "project_id": project}, parent=project),
            ("project_id", "UNKNOWN_FIELD"),
        ),
        (api.create("characters", {}, parent=project), ("name", "REQUIRED")),
        (
            api.create("segments", {"character_ids": "chr_x"}, parent=scene["id"]),
            ("character_ids", "INVALID"),
        ),
        (api.update("segments", scene["id"], {"duration_ms": 1.5}), ("duration_ms", "INVALID")),
        (api.action("scenes", "reorder", parent=project, fields={}), ("scene_ids", "REQUIRED")),
    ]
    for attempt, expected in attempts:
        refused = await attempt
        assert refused.on_rest(422).fields == [expected], expected
    assert await scene_order(api, project) == [("Only", 0, 1)]
    assert (await api.list("characters", parent=project)).ok() == []


async def test_update_rejects_nulls_for_required_fields(api: Api) -> None:
    project = await create_project(api, "nulls")
    scene = await create_scene(api, project, "Titled", description="kept?")
    untitled = await api.update("scenes", scene["id"], {"title": None})
    assert (untitled.error, untitled.fields) == ("VALIDATION_FAILED", [("title", "REQUIRED")])
    cleared = (
        await api.update("scenes", scene["id"], {"description": None, "metadata": None})
    ).ok()
    assert (cleared["title"], cleared["description"], cleared["metadata"]) == ("Titled", "", {})
    character = await create_character(api, project, "Named")
    unnamed = await api.update("characters", character, {"name": None})
    assert unnamed.fields == [("name", "REQUIRED")]
    segment = await create_segment(api, scene["id"], "short", duration_ms=10)
    too_long = await api.update("segments", segment["id"], {"text": "t" * 10001})
    assert too_long.fields == [("text", "TOO_LONG")]
    unset = (await api.update("segments", segment["id"], {"text": None, "duration_ms": None})).ok()
    assert (unset["text"], unset["duration_ms"], unset["version"]) == ("", None, 2)


async def test_archived_project_content_is_read_only(api: Api) -> None:
    project = await create_project(api, "archived")
    scene = await create_scene(api, project, "Before")
    assert (await api.delete("projects", project)).ok()["status"] == "archived"
    attempts = [
        (api.create("scenes", {"title": "After"}, parent=project), "project_id"),
        (api.create("characters", {"name": "Late"}, parent=project), "project_id"),
        (api.create("segments", {}, parent=scene["id"]), "scene_id"),
        (api.update("scenes", scene["id"], {"title": "Changed"}), "id"),
    ]
    for attempt, field in attempts:
        refused = await attempt
        assert refused.on_rest(422).fields == [(field, "INVALID_STATE")], field
    assert await scene_order(api, project) == [("Before", 0, 1)]


@ONLY_GRAPHQL
async def test_graphql_later_mutations_in_one_document_see_earlier_writes(api: Api) -> None:
    project = await create_project(api, "one-document")
    mira = await create_character(api, project, "Mira")
    scene = await create_scene(api, project, "S")
    segment = await create_segment(api, scene["id"], "x")
    data = (
        await api.tenant.gql(
            'mutation($id: ID!, $c: [ID!]) { a: updateSegment(input: {id: $id, text: "y"}) '
            "{ segment { characters { id } } } b: updateSegment(input: {id: $id, characterIds: $c}) "
            "{ segment { characters { id } } } }",
            {"id": segment["id"], "c": [mira]},
        )
    ).ok()
    assert data["a"]["segment"]["characters"] == []
    assert data["b"]["segment"]["characters"] == [{"id": mira}]


@ONLY_REST
async def test_demo_project_has_a_story(api: Api, backend: Any) -> None:
    """About the seed, not the transport: one suffices."""
    result = await seed_demo(backend.app.services.db, backend.settings)
    (pilot,) = (await api.list("projects", slug="aurora-pilot", token=result.token)).ok()
    assert len((await api.list("characters", parent=pilot["id"], token=result.token)).ok()) >= 2
    scenes = (await api.list("scenes", parent=pilot["id"], token=result.token)).ok()
    assert [s["position"] for s in scenes] == list(range(len(scenes)))
    segments = [
        segment
        for scene in scenes
        for segment in (await api.list("segments", parent=scene["id"], token=result.token)).ok()
    ]
    assert segments and any(segment["character_ids"] for segment in segments)


async def test_inserting_at_the_top_writes_two_events_not_one_per_sibling(
    api: Api, services: Any
) -> None:
    """Write amplification: 176 creates at position 0 once wrote 14,365 events."""
    project = await create_project(api, "amplified")
    scene = await create_scene(api, project, "Long")
    for index in range(12):
        await create_segment(api, scene["id"], f"s{index}")

    async def total() -> int:
        async with services.db.reading() as session:
            return int(
                (await session.execute(select(func.count()).select_from(Event))).scalar_one()
            )

    before = await total()
    top = await create_segment(api, scene["id"], "top", position=0)
    assert await total() - before == 2
    order = await event_data(services, scene["id"], (await events_of(services, scene["id"]))[-1][1])
    assert len(order["segment_ids"]) == 13 and order["segment_ids"][0] == top["id"]
    before = await total()
    await create_scene(api, project, "Prologue", position=0)
    assert await total() - before == 2
