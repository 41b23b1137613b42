"""Assets: CRUD, validation, status rules, review, tenancy, lists and events.

Tests taking ``api`` run once through ``/graphql`` and once through ``/v1`` with the same
assertions (``tests/api_client.py``); ``test_graphql_...`` and ``test_rest_...`` are about what
one transport alone has (``node``, relations and partial data; GraphQL's and REST's own input
checks).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.models import Job, JobKind
from resolvers.assets import MAX_SIZE_BYTES
from resolvers.context import Context
from resolvers.demo import seed_content
from tests.api_client import Api
from tests.api_fixtures import ONLY_GRAPHQL, ONLY_REST, MakeApi, alternating
from tests.asset_fixtures import (
    PLATE,
    SHA,
    admin_key_id,
    events_of,
    list_ids,
    make_asset,
    make_project,
    read,
)
from tests.conftest import count_statements

CREATE = """
mutation($input: CreateAssetInput!) {
  createAsset(input: $input) { asset { id } userErrors { field code message } }
}"""


async def test_create_read_and_normalise(api: Api) -> None:
    project_id = await make_project(api)
    created = await api.create(
        "assets",
        {
            "name": "Hero turnaround",
            "type": "video",
            "mime_type": "Video/MP4",
            "size_bytes": MAX_SIZE_BYTES,
            "sha256": SHA,
            "url": "https://cdn.example.com/hero.mp4?v=2",
            "tags": ["Hero", "hero", "fx:smoke", "take_2"],
            "metadata": {"fps": 24},
        },
        parent=project_id,
    )
    asset = created.ok()
    created.on_rest(201, location=f"/v1/assets/{asset['id']}")
    assert asset.pop("upload") is None, "a registered file has no upload"
    assert asset["id"].startswith("ast_") and asset["project_id"] == project_id
    assert (asset["name"], asset["type"], asset["metadata"]) == (
        "Hero turnaround",
        "video",
        {"fps": 24},
    )
    assert asset["mime_type"] == "video/mp4"
    assert asset["tags"] == ["hero", "fx:smoke", "take_2"]
    assert asset["size_bytes"] == MAX_SIZE_BYTES
    assert (asset["status"], asset["review_status"], asset["version"]) == (
        "uploading",
        "pending",
        1,
    )
    assert asset["reviewed_at"] is None and asset["created_at"].endswith("Z")
    assert await read(api, asset["id"]) == asset


@ONLY_GRAPHQL
async def test_graphql_node_and_project_relation(api: Api, make_api: MakeApi) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, type="video", mime_type="video/mp4")
    query = (
        "query($id: ID!) { asset(id: $id) { project { id slug } } "
        "node(id: $id) { id ... on Asset { type } } }"
    )
    data = (await api.tenant.gql(query, {"id": asset["id"]})).ok()
    assert data == {
        "asset": {"project": {"id": project_id, "slug": "assets-home"}},
        "node": {"id": asset["id"], "type": "VIDEO"},
    }
    other = await make_api()
    assert (await other.tenant.gql(query, {"id": asset["id"]})).ok() == {
        "asset": None,
        "node": None,
    }


BAD_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"name": ""}, "name", "REQUIRED"),
    ({"name": "   "}, "name", "REQUIRED"),
    ({"name": "n" * 201}, "name", "TOO_LONG"),
    ({"mime_type": "png"}, "mime_type", "INVALID"),
    ({"mime_type": "image/png; charset=x"}, "mime_type", "INVALID"),
    ({"mime_type": "image/"}, "mime_type", "INVALID"),
    ({"mime_type": "i" * 64 + "/" + "p" * 63}, "mime_type", "TOO_LONG"),
    ({"size_bytes": -1}, "size_bytes", "OUT_OF_RANGE"),
    ({"size_bytes": MAX_SIZE_BYTES + 1}, "size_bytes", "OUT_OF_RANGE"),
    ({"sha256": SHA.upper()}, "sha256", "INVALID"),
    ({"sha256": SHA[:-1]}, "sha256", "INVALID"),
    ({"sha256": SHA[:-1] + "g"}, "sha256", "INVALID"),
    ({"sha256": SHA + "0"}, "sha256", "TOO_LONG"),
    ({"url": "ftp://files.example.com/a.png"}, "url", "INVALID"),
    ({"url": "javascript:alert(1)"}, "url", "INVALID"),
    ({"url": "https://"}, "url", "INVALID"),
    ({"url": "https://example.com/a b.png"}, "url", "INVALID"),
    ({"url": "https://example.com:99999/a.png"}, "url", "INVALID"),
    ({"url": "https://example.com/" + "a" * 2030}, "url", "TOO_LONG"),
    ({"tags": [f"t{i}" for i in range(51)]}, "tags", "TOO_LONG"),
    ({"tags": ["ok", ""]}, "tags.1", "TOO_SHORT"),
    ({"tags": ["t" * 65]}, "tags.0", "TOO_LONG"),
    ({"tags": ["has space"]}, "tags.0", "INVALID"),
    ({"tags": ["émoji"]}, "tags.0", "INVALID"),
    ({"metadata": [1, 2]}, "metadata", "INVALID"),
    ({"metadata": "text"}, "metadata", "INVALID"),
]


@pytest.mark.parametrize(("transport", "fields", "field", "code"), alternating(BAD_FIELDS))
async def test_create_rejects_bad_field(
    api: Api, fields: dict[str, Any], field: str, code: str
) -> None:
    project_id = await make_project(api)
    refused = await api.create("assets", {**PLATE, **fields}, parent=project_id)
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert refused.fields == [(field, code)]
    assert await list_ids(api) == []


@ONLY_REST
async def test_fifty_tags_fit_and_duplicates_do_not_count(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project_id = await make_project(api)
    tags = [f"t{i}" for i in range(50)]
    asset = await make_asset(api, project_id, tags=tags + [t.upper() for t in tags])
    assert asset["tags"] == tags


async def test_every_problem_is_reported_at_once(api: Api) -> None:
    project_id = await make_project(api)
    refused = await api.create(
        "assets",
        {
            "name": "",
            "type": "audio",
            "mime_type": "nope",
            "size_bytes": -5,
            "url": "mailto:x@example.com",
        },
        parent=project_id,
    )
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert sorted(refused.fields) == [
        ("mime_type", "INVALID"),
        ("name", "REQUIRED"),
        ("size_bytes", "OUT_OF_RANGE"),
        ("url", "INVALID"),
    ]


@ONLY_GRAPHQL
async def test_graphql_wrong_types_are_refused_before_any_write(api: Api) -> None:
    """GraphQL's own coercion of variables and literals (REST's is the next test)."""
    project_id = await make_project(api)
    values = {"projectId": project_id, "name": "A", "type": "IMAGE", "mimeType": "image/png"}
    for fields in (
        {"type": "PICTURE"},
        {"sizeBytes": "12"},
        {"sizeBytes": 1.5},
        {"sizeBytes": 2**53},
        {"status": "DONE"},
        {"tags": [7]},
        {"name": None},
        {"projectId": None},
    ):
        result = await api.tenant.gql(CREATE, {"input": {**values, **fields}})
        assert result.codes == ["VALIDATION_FAILED"], result.body
    asset = await make_asset(api, project_id, status="ready")
    missing = await api.tenant.gql(
        "mutation($id: ID!) { rejectAsset(input: {id: $id}) { userErrors { code } } }",
        {"id": asset["id"]},
    )
    assert missing.codes == ["BAD_REQUEST"]
    assert await list_ids(api) == [asset["id"]]
    assert (await read(api, asset["id"]) or {})["review_status"] == "pending"


@ONLY_REST
async def test_rest_wrong_types_are_422_naming_the_field(api: Api) -> None:
    project_id = await make_project(api)
    for fields, expected in (
        ({"type": "picture"}, ("type", "INVALID")),
        ({"size_bytes": "12"}, ("size_bytes", "INVALID")),
        ({"size_bytes": 1.5}, ("size_bytes", "INVALID")),
        ({"size_bytes": 2**53}, ("size_bytes", "INVALID")),
        ({"status": "done"}, ("status", "INVALID")),
        ({"tags": [7]}, ("tags.0", "INVALID")),
        ({"name": None}, ("name", "REQUIRED")),
        ({"project_id": project_id}, ("project_id", "UNKNOWN_FIELD")),
        ({"review_status": "approved"}, ("review_status", "UNKNOWN_FIELD")),
    ):
        refused = await api.create("assets", {**PLATE, **fields}, parent=project_id)
        assert refused.on_rest(422).fields == [expected], fields
    asset = await make_asset(api, project_id, status="ready")
    missing = await api.action("assets", "reject", asset["id"])
    assert missing.on_rest(422).fields == [("comment", "REQUIRED")]
    assert await list_ids(api) == [asset["id"]]
    assert (await read(api, asset["id"]) or {})["review_status"] == "pending"


async def test_create_in_archived_or_unknown_project(api: Api) -> None:
    project_id = await make_project(api)
    (await api.delete("projects", project_id)).ok()
    archived = await api.create("assets", PLATE, parent=project_id)
    assert archived.on_rest(422).fields == [("project_id", "INVALID_STATE")]
    unknown = await api.create("assets", PLATE, parent="prj_nope")
    assert unknown.on_rest(404).error == "NOT_FOUND"
    assert await list_ids(api) == []


async def test_update_partial_and_null_clears(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(
        api, project_id, tags=["a"], metadata={"k": 1}, url="https://x.example/a", sha256=SHA
    )
    renamed = (await api.update("assets", asset["id"], {"name": "Renamed", "tags": ["B"]})).ok()
    assert (renamed["name"], renamed["tags"], renamed["metadata"], renamed["version"]) == (
        "Renamed",
        ["b"],
        {"k": 1},
        2,
    )
    cleared = (
        await api.update("assets", asset["id"], {"tags": None, "metadata": None, "url": None})
    ).ok()
    assert (cleared["tags"], cleared["metadata"], cleared["url"], cleared["sha256"]) == (
        [],
        {},
        None,
        SHA,
    )
    unchanged = (await api.update("assets", asset["id"], {"name": "Renamed"})).ok()
    assert unchanged["version"] == 3

    nulls = await api.update("assets", asset["id"], {"name": None, "status": None})
    assert nulls.on_rest(422).error == "VALIDATION_FAILED"
    assert sorted(nulls.fields) == [("name", "REQUIRED"), ("status", "REQUIRED")]
    bad = await api.update("assets", asset["id"], {"sha256": "XYZ", "mime_type": ""})
    assert sorted(bad.fields) == [("mime_type", "INVALID"), ("sha256", "INVALID")]
    assert (await read(api, asset["id"]) or {})["version"] == 3


TRANSITIONS = [
    ("uploading", "processing", True),
    ("uploading", "ready", True),
    ("uploading", "failed", True),
    ("processing", "ready", True),
    ("processing", "failed", True),
    ("failed", "processing", True),
    ("processing", "uploading", False),
    ("ready", "processing", False),
    ("ready", "failed", False),
    ("ready", "uploading", False),
    ("failed", "ready", False),
    ("failed", "uploading", False),
]


@pytest.mark.parametrize(("transport", "start", "target", "allowed"), alternating(TRANSITIONS))
async def test_status_transitions(api: Api, start: str, target: str, allowed: bool) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status=start)
    changed = await api.update("assets", asset["id"], {"status": target, "name": "N"})
    if allowed:
        assert changed.ok()["status"] == target
    else:
        assert changed.on_rest(422).fields == [("status", "INVALID_STATE")]
        unchanged = await read(api, asset["id"]) or {}
        assert (unchanged["status"], unchanged["name"]) == (start, "Plate")


@ONLY_REST
async def test_same_status_is_not_a_transition(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="ready")
    same = await api.update("assets", asset["id"], {"status": "ready"})
    assert same.ok()["version"] == 1


async def test_review_flow(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="processing")

    early = await api.action("assets", "approve", asset["id"])
    assert early.on_rest(422).fields == [("id", "INVALID_STATE")]
    (await api.update("assets", asset["id"], {"status": "ready"})).ok()

    approving = await api.action("assets", "approve", asset["id"], {"comment": "Lovely"})
    approved = approving.on_rest(200).ok()
    assert approved["review_status"] == "approved"
    assert approved["review_comment"] == "Lovely"
    assert approved["reviewed_by"] == await admin_key_id(api.tenant)
    assert approved["reviewed_at"].endswith("Z") and approved["version"] == 3

    again = await api.action("assets", "approve", asset["id"], {"comment": "Still lovely"})
    assert again.ok() == approved

    blank = await api.action("assets", "reject", asset["id"], {"comment": "  "})
    assert blank.on_rest(422).fields == [("comment", "REQUIRED")]
    too_long = await api.action("assets", "reject", asset["id"], {"comment": "x" * 5001})
    assert too_long.fields == [("comment", "TOO_LONG")]
    assert (await read(api, asset["id"]) or {})["review_status"] == "approved"

    rejected = (await api.action("assets", "reject", asset["id"], {"comment": "Wrong colour"})).ok()
    assert (rejected["review_status"], rejected["review_comment"], rejected["version"]) == (
        "rejected",
        "Wrong colour",
        4,
    )
    assert [(t, s) for t, s, _ in await events_of(api.tenant, asset["id"])] == [
        ("asset.created", 1),
        ("asset.updated", 2),
        ("asset.approved", 3),
        ("asset.rejected", 4),
    ]


async def test_new_file_voids_the_review_but_renaming_does_not(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="ready", url="https://x.example/v1.png")
    (await api.action("assets", "approve", asset["id"])).ok()
    renamed = (await api.update("assets", asset["id"], {"name": "Final", "tags": ["x"]})).ok()
    assert renamed["review_status"] == "approved"
    swapped = (await api.update("assets", asset["id"], {"url": "https://x.example/v2.png"})).ok()
    assert (swapped["review_status"], swapped["reviewed_by"], swapped["reviewed_at"]) == (
        "pending",
        None,
        None,
    )


async def test_review_needs_assets_approve_scope(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="ready")
    writer = await api.tenant.key(Scope.CONTENT_READ, Scope.CONTENT_WRITE)
    approve = await api.action("assets", "approve", asset["id"], token=writer)
    assert approve.on_rest(403).error == "UNAUTHORIZED_SCOPE"
    reject = await api.action("assets", "reject", asset["id"], {"comment": "no"}, token=writer)
    assert reject.error == "UNAUTHORIZED_SCOPE"
    assert await read(api, asset["id"]) == asset
    assert [t for t, _, _ in await events_of(api.tenant, asset["id"])] == ["asset.created"]

    approver = await api.tenant.key(Scope.ASSETS_APPROVE)
    done = await api.action("assets", "approve", asset["id"], token=approver)
    assert done.ok()["review_status"] == "approved"
    no_write = await api.update("assets", asset["id"], {"name": "x"}, token=approver)
    assert no_write.error == "UNAUTHORIZED_SCOPE"
    assert (await api.list("assets", token=approver)).error == "UNAUTHORIZED_SCOPE"


async def test_concurrent_double_approve_emits_one_event(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="ready")
    results = await asyncio.gather(
        *(api.action("assets", "approve", asset["id"]) for _ in range(2))
    )
    assert {r.ok()["version"] for r in results} == {2}
    assert [t for t, _, _ in await events_of(api.tenant, asset["id"])] == [
        "asset.created",
        "asset.approved",
    ]


async def test_delete(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id)
    deleted = await api.delete("assets", asset["id"])
    assert deleted.on_rest(204).ok() is None
    assert await read(api, asset["id"]) is None
    again = await api.delete("assets", asset["id"])
    assert again.on_rest(404).error == "NOT_FOUND"
    events = await events_of(api.tenant, asset["id"])
    assert [(t, s) for t, s, _ in events] == [("asset.created", 1), ("asset.deleted", 2)]
    assert events[-1][2]["id"] == asset["id"]


async def test_delete_refused_while_a_job_outputs_the_asset(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="ready")
    async with api.tenant.services.db.writing() as session:
        session.add(
            Job(
                org_id=api.tenant.org_id,
                project_id=project_id,
                kind=JobKind.RENDER,
                output_asset_id=asset["id"],
            )
        )
    refused = await api.delete("assets", asset["id"])
    assert refused.on_rest(422).fields == [("id", "INVALID_STATE")]
    assert await read(api, asset["id"]) == asset
    assert [t for t, _, _ in await events_of(api.tenant, asset["id"])] == ["asset.created"]


async def test_other_organisation_sees_and_changes_nothing(api: Api, make_api: MakeApi) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id, status="ready")
    other = await make_api()
    assert (await other.get("assets", asset["id"])).on_rest(404).error == "NOT_FOUND"
    assert await list_ids(other) == []
    assert await list_ids(other, project_id=project_id) == []
    for attempt in (
        other.update("assets", asset["id"], {"name": "x"}),
        other.delete("assets", asset["id"]),
        other.action("assets", "approve", asset["id"]),
        other.action("assets", "reject", asset["id"], {"comment": "x"}),
        other.create("assets", PLATE, parent=project_id),
    ):
        assert (await attempt).on_rest(404).error == "NOT_FOUND"
    assert await read(api, asset["id"]) == asset
    assert await list_ids(api) == [asset["id"]]


async def test_project_limited_key(api: Api) -> None:
    allowed = await make_project(api, "allowed")
    hidden = await make_project(api, "hidden")
    mine = await make_asset(api, allowed, status="ready")
    theirs = await make_asset(api, hidden, status="ready")
    limited = await api.tenant.key(
        Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.ASSETS_APPROVE, project_ids=[allowed]
    )
    assert await list_ids(api, token=limited) == [mine["id"]]
    assert await list_ids(api, token=limited, project_id=hidden) == []
    assert await read(api, theirs["id"], token=limited) is None
    approve = await api.action("assets", "approve", theirs["id"], token=limited)
    assert approve.on_rest(404).error == "NOT_FOUND"
    create = await api.create("assets", PLATE, parent=hidden, token=limited)
    assert create.on_rest(404).error == "NOT_FOUND"
    created = await make_asset(api, allowed, token=limited)
    assert created["project_id"] == allowed
    approved = await api.action("assets", "approve", mine["id"], token=limited)
    assert approved.ok()["review_status"] == "approved"
    assert (await read(api, theirs["id"]) or {})["review_status"] == "pending"


async def test_filters(api: Api) -> None:
    first = await make_project(api, "first")
    second = await make_project(api, "second")
    image = await make_asset(api, first, tags=["hero", "key-art"], status="ready")
    video = await make_asset(
        api, first, type="video", mime_type="video/mp4", tags=["hero"], status="processing"
    )
    audio = await make_asset(api, second, type="audio", mime_type="audio/wav", tags=["hero-2"])
    (await api.action("assets", "approve", image["id"])).ok()

    async def ids(**params: Any) -> set[str]:
        return set(await list_ids(api, **params))

    assert await ids() == {image["id"], video["id"], audio["id"]}
    assert await ids(project_id=first) == {image["id"], video["id"]}
    assert await ids(status="ready") == {image["id"]}
    assert await ids(review_status="approved") == {image["id"]}
    assert await ids(review_status="pending") == {video["id"], audio["id"]}
    assert await ids(type="audio") == {audio["id"]}
    assert await ids(tag="hero") == {image["id"], video["id"]}
    assert await ids(tag="HERO") == {image["id"], video["id"]}
    assert await ids(tag="key-art") == {image["id"]}
    assert await ids(tag="her") == set()
    assert await ids(mime_type="Video/MP4") == {video["id"]}
    assert await ids(project_id=first, tag="hero", type="image") == {image["id"]}

    latest = await read(api, image["id"]) or {}
    assert await ids(updated_after=latest["updated_at"]) == set()
    assert await ids(updated_before=latest["updated_at"]) == {video["id"], audio["id"]}
    assert await ids(updated_after=audio["updated_at"]) == {image["id"]}


async def test_pagination_walks_every_asset_once(api: Api) -> None:
    project_id = await make_project(api)
    created = [(await make_asset(api, project_id, name=f"a{i}"))["id"] for i in range(7)]
    for sort, expected in (("created_at", created), ("-created_at", created[::-1])):
        seen: list[str] = []
        cursor: dict[str, str] = {}
        for _ in range(5):
            page = await api.list("assets", project_id=project_id, limit=3, sort=sort, **cursor)
            seen += page.ids
            if not page.has_more:
                assert page.next_cursor is None
                break
            cursor = {"cursor": page.next_cursor or ""}
        assert seen == expected
    assert len((await api.list("assets", limit=100)).ok()) == 7
    garbage = await api.list("assets", cursor="garbage")
    assert (garbage.on_rest(422).error, garbage.fields) == (
        "VALIDATION_FAILED",
        [("cursor", "INVALID")],
    )


@ONLY_GRAPHQL
async def test_graphql_page_size_is_refused_outside_1_to_100(api: Api) -> None:
    """REST clamps ``limit`` to 100 instead (see above)."""
    query = "query($first: Int) { assets(first: $first) { nodes { id } } }"
    for first in (0, 101):
        assert (await api.tenant.gql(query, {"first": first})).codes == ["VALIDATION_FAILED"]


@ONLY_GRAPHQL
async def test_graphql_listing_with_projects_costs_constant_statements(
    api: Api, services: Any
) -> None:
    projects = [await make_project(api, f"count-{i}") for i in range(3)]
    for i in range(6):
        await make_asset(api, projects[i % 3])
    query = "query($first: Int) { assets(first: $first) { nodes { id project { slug } } } }"
    with count_statements(services) as statements:
        (await api.tenant.gql(query, {"first": 1})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        data = (await api.tenant.gql(query, {"first": 6})).ok()
    assert len(data["assets"]["nodes"]) == 6
    assert len(statements) == small


@ONLY_GRAPHQL
async def test_graphql_project_relation_needs_projects_read(api: Api) -> None:
    """Partial data: the asset, with its project refused. REST shows ``project_id`` instead."""
    project_id = await make_project(api)
    asset = await make_asset(api, project_id)
    reader = await api.tenant.key(Scope.CONTENT_READ)
    result = await api.tenant.gql(
        "query($id: ID!) { asset(id: $id) { id project { id } } }",
        {"id": asset["id"]},
        token=reader,
    )
    assert result.codes == ["UNAUTHORIZED_SCOPE"]
    assert result.data["asset"] == {"id": asset["id"], "project": None}


async def test_events_follow_versions(api: Api) -> None:
    project_id = await make_project(api)
    asset = await make_asset(api, project_id)
    (await api.update("assets", asset["id"], {"status": "processing"})).ok()
    (await api.update("assets", asset["id"], {"status": "ready"})).ok()
    approved = (await api.action("assets", "approve", asset["id"])).ok()
    events = await events_of(api.tenant, asset["id"])
    assert [(t, s) for t, s, _ in events] == [
        ("asset.created", 1),
        ("asset.updated", 2),
        ("asset.updated", 3),
        ("asset.approved", 4),
    ]
    assert approved["version"] == 4
    data = events[-1][2]
    assert (data["review_status"], data["status"], data["project_id"]) == (
        "approved",
        "ready",
        project_id,
    )


@ONLY_REST
async def test_demo_content_has_assets_with_one_approved(api: Api, services: Any) -> None:
    """About the seed, not the transport: one suffices."""
    principal = Principal(
        credential_id=await admin_key_id(api.tenant),
        org_id=api.tenant.org_id,
        scopes=frozenset({Scope.ADMIN}),
        project_ids=None,
    )
    await seed_content(Context(db=services.db, settings=services.settings, principal=principal))
    assets = (await api.list("assets")).ok()
    assert len(assets) >= 3
    (project_id,) = {a["project_id"] for a in assets}
    assert (await api.get("projects", project_id)).ok()["slug"] == "aurora-pilot"
    assert [a["review_status"] for a in assets].count("approved") == 1
