"""Characters, scenes and segments through GraphQL: reads, ordering, writes, events, tenancy."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.auth.scopes import Scope
from app.demo import seed_demo
from tests.conftest import Tenant, count_statements
from tests.content_fixtures import (
    SCENE_FIELDS,
    SEGMENT_FIELDS,
    create_character,
    create_project,
    create_scene,
    create_segment,
    error_codes,
    event_data,
    events_of,
    mutate,
    scene_order,
)

SCENES = """
query($p: ID!, $first: Int, $after: String, $filter: SceneFilter, $orderBy: OrderBy) {
  scenes(projectId: $p, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { id title position } }
    pageInfo { hasNextPage endCursor }
  }
}"""

SEGMENTS = """
query($s: ID!, $filter: SegmentFilter) {
  segments(sceneId: $s, first: 100, filter: $filter) { nodes { id text position } }
}"""

CHARACTERS = """
query($p: ID!, $filter: CharacterFilter, $orderBy: OrderBy) {
  characters(projectId: $p, first: 100, filter: $filter, orderBy: $orderBy) { nodes { id name } }
}"""


async def test_character_create_read_update_delete(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "cast")
    payload = await mutate(
        tenant,
        "createCharacter",
        {"projectId": project, "name": "Mira", "description": "Lead", "metadata": {"age": 11}},
        "character { id projectId name description metadata version createdAt project { id } }",
    )
    assert payload["userErrors"] == []
    mira = payload["character"]
    assert mira["id"].startswith("chr_") and mira["projectId"] == project
    assert mira["metadata"] == {"age": 11} and mira["version"] == 1
    assert mira["project"] == {"id": project} and mira["createdAt"].endswith("Z")

    read = (
        await tenant.gql(
            "query($id: ID!) { character(id: $id) { name } node(id: $id) { id ... on Character "
            "{ description } } }",
            {"id": mira["id"]},
        )
    ).ok()
    assert read == {
        "character": {"name": "Mira"},
        "node": {"id": mira["id"], "description": "Lead"},
    }

    updated = await mutate(
        tenant,
        "updateCharacter",
        {"id": mira["id"], "name": "Mira Vale"},
        "character { name description metadata version }",
    )
    assert updated["character"] == {
        "name": "Mira Vale",
        "description": "Lead",
        "metadata": {"age": 11},
        "version": 2,
    }
    deleted = await mutate(
        tenant, "deleteCharacter", {"id": mira["id"]}, "character { id version }"
    )
    assert deleted["character"] == {"id": mira["id"], "version": 3}
    gone = (await tenant.gql("query($id: ID!) { character(id: $id) { id } }", mira)).ok()
    assert gone == {"character": None}
    assert await events_of(services, mira["id"]) == [
        ("character.created", 1),
        ("character.updated", 2),
        ("character.deleted", 3),
    ]


async def test_characters_list_filters_and_sorts_by_name(tenant: Tenant) -> None:
    project = await create_project(tenant, "names")
    other = await create_project(tenant, "other-names")
    for name in ("Zed", "Amy", "Cleo_x", "Bob"):
        await create_character(tenant, project, name)
    await create_character(tenant, other, "Bobby")

    def names(data: Any) -> list[str]:
        return [n["name"] for n in data["characters"]["nodes"]]

    by_name = (
        await tenant.gql(
            CHARACTERS, {"p": project, "orderBy": {"field": "NAME", "direction": "ASC"}}
        )
    ).ok()
    assert names(by_name) == ["Amy", "Bob", "Cleo_x", "Zed"]
    newest_first = (await tenant.gql(CHARACTERS, {"p": project})).ok()
    assert names(newest_first) == ["Bob", "Cleo_x", "Amy", "Zed"]
    search = (await tenant.gql(CHARACTERS, {"p": project, "filter": {"nameContains": "bO"}})).ok()
    assert names(search) == ["Bob"]
    literal = (await tenant.gql(CHARACTERS, {"p": project, "filter": {"nameContains": "o_"}})).ok()
    assert names(literal) == ["Cleo_x"]
    too_long = await tenant.gql(CHARACTERS, {"p": project, "filter": {"nameContains": "x" * 201}})
    assert too_long.codes == ["VALIDATION_FAILED"]


async def test_scenes_append_and_insert_keep_positions_dense(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "story")
    first = await create_scene(tenant, project, "One")
    await create_scene(tenant, project, "Two")
    three = await create_scene(tenant, project, "Three")
    assert (first["position"], three["position"]) == (0, 2)

    inserted = await create_scene(tenant, project, "One and a half", position=1)
    assert inserted["position"] == 1 and inserted["version"] == 1
    assert await scene_order(tenant, project) == [
        ("One", 0, 1),
        ("One and a half", 1, 1),
        ("Two", 2, 2),
        ("Three", 3, 2),
    ]
    assert await events_of(services, three["id"]) == [("scene.created", 1), ("scene.reordered", 2)]
    nested = (
        await tenant.gql(
            "query($id: ID!) { project(id: $id) { scenes { title } } }", {"id": project}
        )
    ).ok()
    assert [s["title"] for s in nested["project"]["scenes"]] == [
        "One",
        "One and a half",
        "Two",
        "Three",
    ]
    at_start = await create_scene(tenant, project, "Zero", position=0)
    assert at_start["position"] == 0
    assert [t for t, _, _ in await scene_order(tenant, project)][:2] == ["Zero", "One"]


async def test_update_scene_moves_it(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "moves")
    scenes = [await create_scene(tenant, project, t) for t in ("A", "B", "C", "D")]
    moved = await mutate(
        tenant,
        "updateScene",
        {"id": scenes[3]["id"], "position": 1, "title": "D!"},
        f"scene {{ {SCENE_FIELDS} }}",
    )
    assert moved["userErrors"] == []
    assert moved["scene"]["position"] == 1 and moved["scene"]["version"] == 2
    assert await scene_order(tenant, project) == [
        ("A", 0, 1),
        ("D!", 1, 2),
        ("B", 2, 2),
        ("C", 3, 2),
    ]
    assert await events_of(services, scenes[3]["id"]) == [
        ("scene.created", 1),
        ("scene.updated", 2),
    ]
    assert await events_of(services, scenes[1]["id"]) == [
        ("scene.created", 1),
        ("scene.reordered", 2),
    ]
    out_of_range = await mutate(
        tenant, "updateScene", {"id": scenes[0]["id"], "position": 4}, "scene { id }"
    )
    assert error_codes(out_of_range) == [(["input", "position"], "OUT_OF_RANGE")]


async def test_reorder_scenes(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "reorder")
    a, b, c = [await create_scene(tenant, project, t) for t in ("A", "B", "C")]
    payload = await mutate(
        tenant,
        "reorderScenes",
        {"projectId": project, "sceneIds": [c["id"], a["id"], b["id"]]},
        "scenes { id title position version }",
    )
    assert payload["userErrors"] == []
    assert [(s["title"], s["position"], s["version"]) for s in payload["scenes"]] == [
        ("C", 0, 2),
        ("A", 1, 2),
        ("B", 2, 2),
    ]
    assert await scene_order(tenant, project) == [("C", 0, 2), ("A", 1, 2), ("B", 2, 2)]
    for scene in (a, b, c):
        assert await events_of(services, scene["id"]) == [
            ("scene.created", 1),
            ("scene.reordered", 2),
        ]
    assert (await event_data(services, c["id"], 2))["position"] == 0

    same = await mutate(
        tenant,
        "reorderScenes",
        {"projectId": project, "sceneIds": [c["id"], b["id"], a["id"]]},
        "scenes { title version }",
    )
    assert [(s["title"], s["version"]) for s in same["scenes"]] == [("C", 2), ("B", 3), ("A", 3)]


async def test_reorder_scenes_refuses_anything_but_the_exact_set(
    tenant: Tenant, make_tenant: Any
) -> None:
    project = await create_project(tenant, "exact")
    a, b, c = [(await create_scene(tenant, project, t))["id"] for t in ("A", "B", "C")]
    elsewhere = (await create_scene(tenant, await create_project(tenant, "elsewhere"), "X"))["id"]
    stranger = await make_tenant()
    foreign = (await create_scene(stranger, await create_project(stranger, "foreign"), "F"))["id"]
    cases = [
        ([a, b], [(["input", "sceneIds"], "INVALID")]),
        ([a, b, c, elsewhere], [(["input", "sceneIds", "3"], "NOT_FOUND")]),
        ([a, b, c, foreign], [(["input", "sceneIds", "3"], "NOT_FOUND")]),
        ([a, b, b, c], [(["input", "sceneIds", "2"], "INVALID")]),
        (
            [c, b, "scn_bogus"],
            [(["input", "sceneIds", "2"], "NOT_FOUND"), (["input", "sceneIds"], "INVALID")],
        ),
    ]
    for ids, expected in cases:
        payload = await mutate(
            tenant, "reorderScenes", {"projectId": project, "sceneIds": ids}, "scenes { id }"
        )
        assert payload["scenes"] is None
        assert error_codes(payload) == expected, ids
    assert await scene_order(tenant, project) == [("A", 0, 1), ("B", 1, 1), ("C", 2, 1)]


async def test_pagination_walks_scenes_in_position_order(tenant: Tenant) -> None:
    project = await create_project(tenant, "paging")
    titles = [f"Scene {i}" for i in range(7)]
    for title in titles:
        await create_scene(tenant, project, title)
    await create_scene(tenant, project, "Opening", position=0)
    expected = ["Opening", *titles]
    seen: list[str] = []
    after = None
    for _ in range(10):
        connection = (await tenant.gql(SCENES, {"p": project, "first": 3, "after": after})).ok()[
            "scenes"
        ]
        seen += [e["node"]["title"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected

    by_title = (
        await tenant.gql(
            SCENES, {"p": project, "first": 2, "orderBy": {"field": "NAME", "direction": "DESC"}}
        )
    ).ok()["scenes"]
    assert [e["node"]["title"] for e in by_title["edges"]] == ["Scene 6", "Scene 5"]
    mixed = await tenant.gql(SCENES, {"p": project, "after": by_title["pageInfo"]["endCursor"]})
    assert mixed.codes == ["VALIDATION_FAILED"]
    unsortable = await tenant.gql(
        CHARACTERS, {"p": project, "orderBy": {"field": "POSITION", "direction": "ASC"}}
    )
    assert unsortable.codes == ["VALIDATION_FAILED"]


async def test_scene_filters(tenant: Tenant) -> None:
    project = await create_project(tenant, "filters")
    early = await create_scene(tenant, project, "Harbour at DAWN")
    late = await create_scene(tenant, project, "Harbour at dusk")
    boundary = (
        await tenant.gql("query($id: ID!) { scene(id: $id) { updatedAt } }", {"id": late["id"]})
    ).ok()["scene"]["updatedAt"]

    def titles(result: Any) -> list[str]:
        return [e["node"]["title"] for e in result.ok()["scenes"]["edges"]]

    assert titles(
        await tenant.gql(SCENES, {"p": project, "filter": {"titleContains": "dawn"}})
    ) == [early["title"]]
    assert titles(
        await tenant.gql(SCENES, {"p": project, "filter": {"updatedBefore": boundary}})
    ) == [early["title"]]
    assert (
        titles(await tenant.gql(SCENES, {"p": project, "filter": {"updatedAfter": boundary}})) == []
    )


async def test_segments_with_characters(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "beats")
    mira = await create_character(tenant, project, "Mira")
    oto = await create_character(tenant, project, "Oto")
    scene = await create_scene(tenant, project, "Lighthouse")
    first = await create_segment(
        tenant, scene["id"], "Storm", durationMs=4000, characterIds=[oto, mira]
    )
    assert first["characterIds"] == [oto, mira] and first["durationMs"] == 4000
    second = await create_segment(tenant, scene["id"], "Calm")
    assert (first["position"], second["position"], second["characterIds"]) == (0, 1, [])

    read = (
        await tenant.gql(
            "query($id: ID!) { segment(id: $id) { characters { name } scene { title "
            "project { slug } } } }",
            {"id": first["id"]},
        )
    ).ok()["segment"]
    assert read == {
        "characters": [{"name": "Oto"}, {"name": "Mira"}],
        "scene": {"title": "Lighthouse", "project": {"slug": "beats"}},
    }
    created = await event_data(services, first["id"], 1)
    assert created["character_ids"] == [oto, mira] and created["scene_id"] == scene["id"]

    recast = await mutate(
        tenant,
        "updateSegment",
        {"id": first["id"], "characterIds": [mira]},
        f"segment {{ {SEGMENT_FIELDS} }}",
    )
    assert recast["segment"]["characterIds"] == [mira] and recast["segment"]["version"] == 2
    assert (await event_data(services, first["id"], 2))["character_ids"] == [mira]

    featuring = (
        await tenant.gql(SEGMENTS, {"s": scene["id"], "filter": {"characterId": mira}})
    ).ok()
    assert [n["id"] for n in featuring["segments"]["nodes"]] == [first["id"]]
    by_text = (
        await tenant.gql(SEGMENTS, {"s": scene["id"], "filter": {"textContains": "cal"}})
    ).ok()
    assert [n["id"] for n in by_text["segments"]["nodes"]] == [second["id"]]

    unchanged = await mutate(
        tenant, "updateSegment", {"id": first["id"], "characterIds": [mira]}, "segment { version }"
    )
    assert unchanged["segment"]["version"] == 2


async def test_segment_character_ids_must_be_visible_and_of_the_project(
    tenant: Tenant, make_tenant: Any
) -> None:
    project = await create_project(tenant, "cast-rules")
    scene = await create_scene(tenant, project, "S")
    mine = await create_character(tenant, project, "Mine")
    other_project = await create_character(tenant, await create_project(tenant, "cast-b"), "B")
    stranger = await make_tenant()
    foreign = await create_character(stranger, await create_project(stranger, "cast-f"), "F")
    payload = await mutate(
        tenant,
        "createSegment",
        {
            "sceneId": scene["id"],
            "text": "x",
            "characterIds": [mine, other_project, foreign, "chr_01ARZ3NDEKTSV4RRFFQ69G5FAV", mine],
        },
        "segment { id }",
    )
    assert payload["segment"] is None
    assert error_codes(payload) == [
        (["input", "characterIds", "1"], "INVALID"),
        (["input", "characterIds", "2"], "NOT_FOUND"),
        (["input", "characterIds", "3"], "NOT_FOUND"),
        (["input", "characterIds", "4"], "INVALID"),
    ]
    listed = (await tenant.gql(SEGMENTS, {"s": scene["id"]})).ok()
    assert listed["segments"]["nodes"] == []


async def test_reorder_and_delete_segments(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "cuts")
    scene = await create_scene(tenant, project, "S")
    a, b, c = [await create_segment(tenant, scene["id"], t) for t in ("a", "b", "c")]
    payload = await mutate(
        tenant,
        "reorderSegments",
        {"sceneId": scene["id"], "segmentIds": [b["id"], c["id"], a["id"]]},
        "segments { text position version }",
    )
    assert [(s["text"], s["position"], s["version"]) for s in payload["segments"]] == [
        ("b", 0, 2),
        ("c", 1, 2),
        ("a", 2, 2),
    ]
    missing = await mutate(
        tenant,
        "reorderSegments",
        {"sceneId": scene["id"], "segmentIds": [b["id"], c["id"]]},
        "segments { id }",
    )
    assert error_codes(missing) == [(["input", "segmentIds"], "INVALID")]

    deleted = await mutate(tenant, "deleteSegment", {"id": b["id"]}, "segment { id }")
    assert deleted["userErrors"] == []
    left = (await tenant.gql(SEGMENTS, {"s": scene["id"]})).ok()["segments"]["nodes"]
    assert [(n["text"], n["position"]) for n in left] == [("c", 0), ("a", 1)]
    assert await events_of(services, b["id"]) == [
        ("segment.created", 1),
        ("segment.reordered", 2),
        ("segment.deleted", 3),
    ]
    assert await events_of(services, c["id"]) == [
        ("segment.created", 1),
        ("segment.reordered", 2),
        ("segment.reordered", 3),
    ]
    inserted = await create_segment(tenant, scene["id"], "first", position=0)
    assert inserted["position"] == 0
    beyond = await mutate(
        tenant,
        "createSegment",
        {"sceneId": scene["id"], "text": "far", "position": 4},
        "segment { id }",
    )
    assert error_codes(beyond) == [(["input", "position"], "OUT_OF_RANGE")]


async def test_delete_scene_deletes_its_segments(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "cutting-room")
    mira = await create_character(tenant, project, "Mira")
    first = await create_scene(tenant, project, "First")
    doomed = await create_scene(tenant, project, "Doomed")
    last = await create_scene(tenant, project, "Last")
    segments = [
        await create_segment(tenant, doomed["id"], t, characterIds=[mira]) for t in ("x", "y")
    ]
    payload = await mutate(tenant, "deleteScene", {"id": doomed["id"]}, "scene { id version }")
    assert payload == {"scene": {"id": doomed["id"], "version": 2}, "userErrors": []}
    assert await scene_order(tenant, project) == [("First", 0, 1), ("Last", 1, 2)]
    for segment in segments:
        assert await events_of(services, segment["id"]) == [
            ("segment.created", 1),
            ("segment.deleted", 2),
        ]
        gone = (await tenant.gql("query($id: ID!) { segment(id: $id) { id } }", segment)).ok()
        assert gone == {"segment": None}
    assert await events_of(services, doomed["id"]) == [("scene.created", 1), ("scene.deleted", 2)]
    assert await events_of(services, last["id"]) == [("scene.created", 1), ("scene.reordered", 2)]
    assert await events_of(services, first["id"]) == [("scene.created", 1)]
    still_there = await tenant.gql("query($id: ID!) { character(id: $id) { id } }", {"id": mira})
    assert still_there.ok()["character"] == {"id": mira}


async def test_delete_character_takes_it_out_of_segments(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "recast")
    mira = await create_character(tenant, project, "Mira")
    oto = await create_character(tenant, project, "Oto")
    scene = await create_scene(tenant, project, "S")
    both = await create_segment(tenant, scene["id"], "both", characterIds=[mira, oto])
    solo = await create_segment(tenant, scene["id"], "solo", characterIds=[oto])
    payload = await mutate(tenant, "deleteCharacter", {"id": mira}, "character { id }")
    assert payload["userErrors"] == []
    read = (
        await tenant.gql(
            "query($id: ID!) { scene(id: $id) { segments { text version characterIds } } }",
            {"id": scene["id"]},
        )
    ).ok()
    assert read["scene"]["segments"] == [
        {"text": "both", "version": 2, "characterIds": [oto]},
        {"text": "solo", "version": 1, "characterIds": [oto]},
    ]
    assert await events_of(services, both["id"]) == [("segment.created", 1), ("segment.updated", 2)]
    assert (await event_data(services, both["id"], 2))["character_ids"] == [oto]
    assert await events_of(services, solo["id"]) == [("segment.created", 1)]


async def test_nested_lists_cost_constant_statements(make_tenant: Any, services: Any) -> None:
    query = "{ projects(first: 100) { nodes { scenes { segments { characters { id } } } } } }"

    async def build(projects: int, scenes: int, segments: int, characters: int) -> Tenant:
        tenant: Tenant = await make_tenant()
        for p in range(projects):
            project = await create_project(tenant, f"nested-{p}")
            cast = [await create_character(tenant, project, f"C{i}") for i in range(characters)]
            for s in range(scenes):
                scene = await create_scene(tenant, project, f"S{s}")
                for i in range(segments):
                    await create_segment(tenant, scene["id"], f"{i}", characterIds=cast)
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


async def test_concurrent_appends_get_distinct_positions(tenant: Tenant) -> None:
    project = await create_project(tenant, "race")
    results = await asyncio.gather(
        *(
            mutate(
                tenant,
                "createScene",
                {"projectId": project, "title": f"T{i}"},
                "scene { position }",
            )
            for i in range(6)
        )
    )
    assert all(r["userErrors"] == [] for r in results)
    assert sorted(r["scene"]["position"] for r in results) == list(range(6))
    assert [p for _, p, _ in await scene_order(tenant, project)] == list(range(6))


async def test_other_organisation_sees_and_changes_nothing(
    tenant: Tenant, make_tenant: Any, services: Any
) -> None:
    project = await create_project(tenant, "private")
    mira = await create_character(tenant, project, "Mira")
    scene = await create_scene(tenant, project, "Secret")
    segment = await create_segment(tenant, scene["id"], "psst", characterIds=[mira])
    other = await make_tenant()
    reads = (
        await other.gql(
            "query($c: ID!, $s: ID!, $g: ID!, $p: ID!) { character(id: $c) { id } scene(id: $s) "
            "{ id } segment(id: $g) { id } node(id: $s) { id } scenes(projectId: $p) { nodes { id } } "
            "characters(projectId: $p) { nodes { id } } segments(sceneId: $s) { nodes { id } } }",
            {"c": mira, "s": scene["id"], "g": segment["id"], "p": project},
        )
    ).ok()
    assert reads == {
        "character": None,
        "scene": None,
        "segment": None,
        "node": None,
        "scenes": {"nodes": []},
        "characters": {"nodes": []},
        "segments": {"nodes": []},
    }
    attempts = [
        ("updateCharacter", {"id": mira, "name": "x"}, "character { id }", ["input", "id"]),
        ("deleteCharacter", {"id": mira}, "character { id }", ["input", "id"]),
        ("updateScene", {"id": scene["id"], "title": "x"}, "scene { id }", ["input", "id"]),
        ("deleteScene", {"id": scene["id"]}, "scene { id }", ["input", "id"]),
        ("updateSegment", {"id": segment["id"], "text": "x"}, "segment { id }", ["input", "id"]),
        ("deleteSegment", {"id": segment["id"]}, "segment { id }", ["input", "id"]),
        (
            "createScene",
            {"projectId": project, "title": "x"},
            "scene { id }",
            ["input", "projectId"],
        ),
        (
            "createCharacter",
            {"projectId": project, "name": "x"},
            "character { id }",
            ["input", "projectId"],
        ),
        ("createSegment", {"sceneId": scene["id"]}, "segment { id }", ["input", "sceneId"]),
        (
            "reorderScenes",
            {"projectId": project, "sceneIds": [scene["id"]]},
            "scenes { id }",
            ["input", "projectId"],
        ),
        (
            "reorderSegments",
            {"sceneId": scene["id"], "segmentIds": [segment["id"]]},
            "segments { id }",
            ["input", "sceneId"],
        ),
        ("updateMetadata", {"id": scene["id"], "set": {"x": 1}}, "metadata", ["input", "id"]),
    ]
    for name, input, selection, path in attempts:
        payload = await mutate(other, name, input, selection)
        assert error_codes(payload) == [(path, "NOT_FOUND")], name
    for aggregate in (mira, scene["id"], segment["id"]):
        assert [t for t, _ in await events_of(services, aggregate)][1:] == []
    mine = (
        await tenant.gql(
            "query($id: ID!) { segment(id: $id) { text characterIds version } }", segment
        )
    ).ok()
    assert mine["segment"] == {"text": "psst", "characterIds": [mira], "version": 1}


async def test_missing_scope_is_refused_and_changes_nothing(tenant: Tenant) -> None:
    project = await create_project(tenant, "scoped")
    scene = await create_scene(tenant, project, "Kept")
    reader = await tenant.key(Scope.CONTENT_READ, Scope.PROJECTS_READ)
    for name, input in [
        ("createScene", {"projectId": project, "title": "no"}),
        ("updateScene", {"id": scene["id"], "title": "no"}),
        ("reorderScenes", {"projectId": project, "sceneIds": [scene["id"]]}),
        ("deleteScene", {"id": scene["id"]}),
    ]:
        result = await tenant.gql(
            f"mutation($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) "
            "{ userErrors { code } } }",
            {"input": input},
            token=reader,
        )
        assert result.codes == ["UNAUTHORIZED_SCOPE"], name
    assert await scene_order(tenant, project) == [("Kept", 0, 1)]

    projects_only = await tenant.key(Scope.PROJECTS_READ)
    listed = await tenant.gql(SCENES, {"p": project}, token=projects_only)
    assert listed.codes == ["UNAUTHORIZED_SCOPE"]
    nested = await tenant.gql(
        "query($id: ID!) { project(id: $id) { slug scenes { id } } }",
        {"id": project},
        token=projects_only,
    )
    assert nested.codes == ["UNAUTHORIZED_SCOPE"]
    content_only = await tenant.key(Scope.CONTENT_READ)
    parent = await tenant.gql(
        "query($id: ID!) { scene(id: $id) { title project { id } } }",
        {"id": scene["id"]},
        token=content_only,
    )
    assert parent.codes == ["UNAUTHORIZED_SCOPE"]


async def test_project_limited_key(tenant: Tenant) -> None:
    allowed = await create_project(tenant, "limited-in")
    hidden = await create_project(tenant, "limited-out")
    visible_scene = await create_scene(tenant, allowed, "In")
    hidden_scene = await create_scene(tenant, hidden, "Out")
    hidden_character = await create_character(tenant, hidden, "Ghost")
    key = await tenant.key(
        Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.PROJECTS_READ, project_ids=[allowed]
    )
    read = (
        await tenant.gql(
            "query($a: ID!, $b: ID!) { a: scene(id: $a) { title } b: scene(id: $b) { title } "
            "projects { nodes { id scenes { title } } } }",
            {"a": visible_scene["id"], "b": hidden_scene["id"]},
            token=key,
        )
    ).ok()
    assert read["a"] == {"title": "In"} and read["b"] is None
    assert read["projects"]["nodes"] == [{"id": allowed, "scenes": [{"title": "In"}]}]
    created = await mutate(
        tenant, "createScene", {"projectId": hidden, "title": "x"}, "scene { id }", token=key
    )
    assert error_codes(created) == [(["input", "projectId"], "NOT_FOUND")]
    with_ghost = await mutate(
        tenant,
        "createSegment",
        {"sceneId": visible_scene["id"], "characterIds": [hidden_character]},
        "segment { id }",
        token=key,
    )
    assert error_codes(with_ghost) == [(["input", "characterIds", "0"], "NOT_FOUND")]
    ok = await mutate(
        tenant, "createScene", {"projectId": allowed, "title": "y"}, "scene { position }", token=key
    )
    assert ok == {"scene": {"position": 1}, "userErrors": []}
    assert await scene_order(tenant, hidden) == [("Out", 0, 1)]


@pytest.mark.parametrize(
    ("mutation", "input", "field", "code"),
    [
        ("createScene", {"title": ""}, "title", "REQUIRED"),
        ("createScene", {"title": "t" * 201}, "title", "TOO_LONG"),
        ("createScene", {"title": "ok", "description": "d" * 5001}, "description", "TOO_LONG"),
        ("createScene", {"title": "ok", "metadata": [1, 2]}, "metadata", "INVALID"),
        ("createScene", {"title": "ok", "metadata": "text"}, "metadata", "INVALID"),
        ("createScene", {"title": "ok", "position": -1}, "position", "OUT_OF_RANGE"),
        ("createScene", {"title": "ok", "position": 2}, "position", "OUT_OF_RANGE"),
        ("createCharacter", {"name": " "}, "name", "REQUIRED"),
        ("createCharacter", {"name": "n" * 101}, "name", "TOO_LONG"),
        ("createCharacter", {"name": "ok", "description": "d" * 2001}, "description", "TOO_LONG"),
        ("createCharacter", {"name": "ok", "metadata": 3}, "metadata", "INVALID"),
        ("createSegment", {"text": "t" * 10001}, "text", "TOO_LONG"),
        ("createSegment", {"durationMs": -1}, "durationMs", "OUT_OF_RANGE"),
        ("createSegment", {"durationMs": 86_400_001}, "durationMs", "OUT_OF_RANGE"),
        ("createSegment", {"metadata": [1]}, "metadata", "INVALID"),
        ("createSegment", {"position": 5}, "position", "OUT_OF_RANGE"),
        ("createSegment", {"characterIds": ["chr_x"] * 101}, "characterIds", "TOO_LONG"),
    ],
)
async def test_bad_input_is_refused_per_field(
    tenant: Tenant, mutation: str, input: dict[str, Any], field: str, code: str
) -> None:
    project = await create_project(tenant, "bad-input")
    scene = await create_scene(tenant, project, "Only")
    parent = {"createSegment": {"sceneId": scene["id"]}}.get(mutation, {"projectId": project})
    payload = await mutate(tenant, mutation, {**parent, **input}, "__typename")
    assert (["input", field], code) in error_codes(payload)
    counts = (
        await tenant.gql(
            "query($p: ID!, $s: ID!) { scenes(projectId: $p) { nodes { id } } "
            "characters(projectId: $p) { nodes { id } } segments(sceneId: $s) { nodes { id } } }",
            {"p": project, "s": scene["id"]},
        )
    ).ok()
    assert [len(v["nodes"]) for v in counts.values()] == [1, 0, 0]


async def test_update_rejects_nulls_for_required_fields(tenant: Tenant) -> None:
    project = await create_project(tenant, "nulls")
    scene = await create_scene(tenant, project, "Titled", description="kept?")
    payload = await mutate(
        tenant, "updateScene", {"id": scene["id"], "title": None}, "scene { title }"
    )
    assert error_codes(payload) == [(["input", "title"], "REQUIRED")]
    cleared = await mutate(
        tenant,
        "updateScene",
        {"id": scene["id"], "description": None, "metadata": None},
        "scene { title description metadata }",
    )
    assert cleared["scene"] == {"title": "Titled", "description": "", "metadata": {}}
    character = await create_character(tenant, project, "Named")
    unnamed = await mutate(
        tenant, "updateCharacter", {"id": character, "name": None}, "character { name }"
    )
    assert error_codes(unnamed) == [(["input", "name"], "REQUIRED")]
    segment = await create_segment(tenant, scene["id"], "short", durationMs=10)
    too_long = await mutate(
        tenant, "updateSegment", {"id": segment["id"], "text": "t" * 10001}, "segment { id }"
    )
    assert error_codes(too_long) == [(["input", "text"], "TOO_LONG")]
    unset = await mutate(
        tenant,
        "updateSegment",
        {"id": segment["id"], "text": None, "durationMs": None},
        "segment { text durationMs version }",
    )
    assert unset["segment"] == {"text": "", "durationMs": None, "version": 2}


async def test_archived_project_content_is_read_only(tenant: Tenant) -> None:
    project = await create_project(tenant, "archived")
    scene = await create_scene(tenant, project, "Before")
    archived = await mutate(tenant, "archiveProject", {"id": project}, "project { status }")
    assert archived["project"] == {"status": "ARCHIVED"}
    for name, input, path in [
        ("createScene", {"projectId": project, "title": "After"}, ["input", "projectId"]),
        ("createCharacter", {"projectId": project, "name": "Late"}, ["input", "projectId"]),
        ("createSegment", {"sceneId": scene["id"]}, ["input", "sceneId"]),
        ("updateScene", {"id": scene["id"], "title": "Changed"}, ["input", "id"]),
    ]:
        payload = await mutate(tenant, name, input, "__typename")
        assert error_codes(payload) == [(path, "INVALID_STATE")], name
    assert await scene_order(tenant, project) == [("Before", 0, 1)]


async def test_later_mutations_in_one_document_see_earlier_writes(tenant: Tenant) -> None:
    project = await create_project(tenant, "one-document")
    mira = await create_character(tenant, project, "Mira")
    scene = await create_scene(tenant, project, "S")
    segment = await create_segment(tenant, scene["id"], "x")
    data = (
        await tenant.gql(
            'mutation($id: ID!, $c: [ID!]) { a: updateSegment(input: {id: $id, text: "y"}) '
            "{ segment { characters { id } } } b: updateSegment(input: {id: $id, characterIds: $c}) "
            "{ segment { characters { id } } } }",
            {"id": segment["id"], "c": [mira]},
        )
    ).ok()
    assert data["a"]["segment"]["characters"] == []
    assert data["b"]["segment"]["characters"] == [{"id": mira}]


async def test_demo_project_has_a_story(backend: Any, tenant: Tenant) -> None:
    result = await seed_demo(backend.app.services.db, backend.settings)
    data = (
        await tenant.gql(
            '{ projects(filter: {slug: "aurora-pilot"}) { nodes { characters { name } '
            "scenes { position segments { position characters { name } } } } } }",
            token=result.token,
        )
    ).ok()
    (pilot,) = data["projects"]["nodes"]
    assert len(pilot["characters"]) >= 2
    assert [s["position"] for s in pilot["scenes"]] == list(range(len(pilot["scenes"])))
    segments = [seg for s in pilot["scenes"] for seg in s["segments"]]
    assert segments and any(seg["characters"] for seg in segments)
