"""Assets through GraphQL: CRUD, validation, status rules, review, tenancy, lists and events."""

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
from tests.asset_fixtures import (
    APPROVE,
    CREATE,
    DELETE,
    LIST,
    REJECT,
    SHA,
    UPDATE,
    admin_key_id,
    events_of,
    list_ids,
    make_asset,
    make_project,
    mutate,
    read,
)
from tests.conftest import Tenant, count_statements


def codes_of(payload: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_create_read_and_normalise(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(
        tenant,
        project_id,
        name="Hero turnaround",
        type="VIDEO",
        mimeType="Video/MP4",
        sizeBytes=MAX_SIZE_BYTES,
        sha256=SHA,
        url="https://cdn.example.com/hero.mp4?v=2",
        tags=["Hero", "hero", "fx:smoke", "take_2"],
        metadata={"fps": 24},
    )
    assert asset["id"].startswith("ast_")
    assert asset["mimeType"] == "video/mp4"
    assert asset["tags"] == ["hero", "fx:smoke", "take_2"]
    assert asset["sizeBytes"] == MAX_SIZE_BYTES
    assert (asset["status"], asset["reviewStatus"], asset["version"]) == ("UPLOADING", "PENDING", 1)
    assert asset["reviewedAt"] is None and asset["createdAt"].endswith("Z")

    data = (
        await tenant.gql(
            "query($id: ID!) { asset(id: $id) { name sizeBytes metadata project { id slug } } "
            "node(id: $id) { id ... on Asset { type } } }",
            {"id": asset["id"]},
        )
    ).ok()
    assert data["asset"] == {
        "name": "Hero turnaround",
        "sizeBytes": MAX_SIZE_BYTES,
        "metadata": {"fps": 24},
        "project": {"id": project_id, "slug": "assets-home"},
    }
    assert data["node"] == {"id": asset["id"], "type": "VIDEO"}


BAD_FIELDS: list[tuple[dict[str, Any], list[str], str]] = [
    ({"name": ""}, ["name"], "REQUIRED"),
    ({"name": "   "}, ["name"], "REQUIRED"),
    ({"name": "n" * 201}, ["name"], "TOO_LONG"),
    ({"mimeType": "png"}, ["mimeType"], "INVALID"),
    ({"mimeType": "image/png; charset=x"}, ["mimeType"], "INVALID"),
    ({"mimeType": "image/"}, ["mimeType"], "INVALID"),
    ({"mimeType": "i" * 64 + "/" + "p" * 63}, ["mimeType"], "TOO_LONG"),
    ({"sizeBytes": -1}, ["sizeBytes"], "OUT_OF_RANGE"),
    ({"sizeBytes": MAX_SIZE_BYTES + 1}, ["sizeBytes"], "OUT_OF_RANGE"),
    ({"sha256": SHA.upper()}, ["sha256"], "INVALID"),
    ({"sha256": SHA[:-1]}, ["sha256"], "INVALID"),
    ({"sha256": SHA[:-1] + "g"}, ["sha256"], "INVALID"),
    ({"sha256": SHA + "0"}, ["sha256"], "TOO_LONG"),
    ({"url": "ftp://files.example.com/a.png"}, ["url"], "INVALID"),
    ({"url": "javascript:alert(1)"}, ["url"], "INVALID"),
    ({"url": "https://"}, ["url"], "INVALID"),
    ({"url": "https://example.com/a b.png"}, ["url"], "INVALID"),
    ({"url": "https://example.com:99999/a.png"}, ["url"], "INVALID"),
    ({"url": "https://example.com/" + "a" * 2030}, ["url"], "TOO_LONG"),
    ({"tags": [f"t{i}" for i in range(51)]}, ["tags"], "TOO_LONG"),
    ({"tags": ["ok", ""]}, ["tags", "1"], "TOO_SHORT"),
    ({"tags": ["t" * 65]}, ["tags", "0"], "TOO_LONG"),
    ({"tags": ["has space"]}, ["tags", "0"], "INVALID"),
    ({"tags": ["émoji"]}, ["tags", "0"], "INVALID"),
    ({"metadata": [1, 2]}, ["metadata"], "INVALID"),
    ({"metadata": "text"}, ["metadata"], "INVALID"),
]


@pytest.mark.parametrize(("fields", "path", "code"), BAD_FIELDS)
async def test_create_rejects_bad_field(
    tenant: Tenant, fields: dict[str, Any], path: list[str], code: str
) -> None:
    project_id = await make_project(tenant)
    values = {"projectId": project_id, "name": "A", "type": "IMAGE", "mimeType": "image/png"}
    payload = await mutate(tenant, CREATE, {**values, **fields})
    assert payload["asset"] is None
    assert codes_of(payload) == [(["input", *path], code)]
    assert await list_ids(tenant) == []


async def test_fifty_tags_fit_and_duplicates_do_not_count(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    tags = [f"t{i}" for i in range(50)]
    asset = await make_asset(tenant, project_id, tags=tags + [t.upper() for t in tags])
    assert asset["tags"] == tags


async def test_every_problem_is_reported_at_once(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    payload = await mutate(
        tenant,
        CREATE,
        {
            "projectId": project_id,
            "name": "",
            "type": "AUDIO",
            "mimeType": "nope",
            "sizeBytes": -5,
            "url": "mailto:x@example.com",
        },
    )
    assert sorted(codes_of(payload)) == [
        (["input", "mimeType"], "INVALID"),
        (["input", "name"], "REQUIRED"),
        (["input", "sizeBytes"], "OUT_OF_RANGE"),
        (["input", "url"], "INVALID"),
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "PICTURE"},
        {"sizeBytes": "12"},
        {"sizeBytes": 1.5},
        {"sizeBytes": 2**53},
        {"status": "DONE"},
        {"tags": [7]},
        {"name": None},
        {"projectId": None},
    ],
)
async def test_wrong_types_are_refused_before_any_write(
    tenant: Tenant, fields: dict[str, Any]
) -> None:
    project_id = await make_project(tenant)
    values = {"projectId": project_id, "name": "A", "type": "IMAGE", "mimeType": "image/png"}
    result = await tenant.gql(CREATE, {"input": {**values, **fields}})
    assert result.codes == ["VALIDATION_FAILED"], result.body
    assert await list_ids(tenant) == []


async def test_create_in_archived_or_unknown_project(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    await tenant.gql(
        "mutation($id: ID!) { archiveProject(input: {id: $id}) { userErrors { code } } }",
        {"id": project_id},
    )
    values = {"name": "A", "type": "IMAGE", "mimeType": "image/png"}
    archived = await mutate(tenant, CREATE, {"projectId": project_id, **values})
    assert codes_of(archived) == [(["input", "projectId"], "INVALID_STATE")]
    unknown = await mutate(tenant, CREATE, {"projectId": "prj_nope", **values})
    assert codes_of(unknown) == [(["input", "projectId"], "NOT_FOUND")]
    assert await list_ids(tenant) == []


async def test_update_partial_and_null_clears(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(
        tenant, project_id, tags=["a"], metadata={"k": 1}, url="https://x.example/a", sha256=SHA
    )
    renamed = await mutate(tenant, UPDATE, {"id": asset["id"], "name": "Renamed", "tags": ["B"]})
    assert renamed["userErrors"] == []
    got = renamed["asset"]
    assert (got["name"], got["tags"], got["metadata"], got["version"]) == (
        "Renamed",
        ["b"],
        {"k": 1},
        2,
    )
    cleared = await mutate(
        tenant, UPDATE, {"id": asset["id"], "tags": None, "metadata": None, "url": None}
    )
    got = cleared["asset"]
    assert (got["tags"], got["metadata"], got["url"], got["sha256"]) == ([], {}, None, SHA)

    unchanged = await mutate(tenant, UPDATE, {"id": asset["id"], "name": "Renamed"})
    assert unchanged["asset"]["version"] == 3

    nulls = await mutate(tenant, UPDATE, {"id": asset["id"], "name": None, "status": None})
    assert sorted(codes_of(nulls)) == [
        (["input", "name"], "REQUIRED"),
        (["input", "status"], "REQUIRED"),
    ]
    bad = await mutate(tenant, UPDATE, {"id": asset["id"], "sha256": "XYZ", "mimeType": ""})
    assert sorted(codes_of(bad)) == [
        (["input", "mimeType"], "INVALID"),
        (["input", "sha256"], "INVALID"),
    ]
    assert (await read(tenant, asset["id"]))["version"] == 3


TRANSITIONS = [
    ("UPLOADING", "PROCESSING", True),
    ("UPLOADING", "READY", True),
    ("UPLOADING", "FAILED", True),
    ("PROCESSING", "READY", True),
    ("PROCESSING", "FAILED", True),
    ("FAILED", "PROCESSING", True),
    ("PROCESSING", "UPLOADING", False),
    ("READY", "PROCESSING", False),
    ("READY", "FAILED", False),
    ("READY", "UPLOADING", False),
    ("FAILED", "READY", False),
    ("FAILED", "UPLOADING", False),
]


@pytest.mark.parametrize(("start", "target", "allowed"), TRANSITIONS)
async def test_status_transitions(tenant: Tenant, start: str, target: str, allowed: bool) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status=start)
    payload = await mutate(tenant, UPDATE, {"id": asset["id"], "status": target, "name": "N"})
    if allowed:
        assert payload["userErrors"] == []
        assert payload["asset"]["status"] == target
    else:
        assert payload["asset"] is None
        assert codes_of(payload) == [(["input", "status"], "INVALID_STATE")]
        assert (await read(tenant, asset["id"]))["status"] == start
        assert (await read(tenant, asset["id"]))["name"] == "Plate"


async def test_same_status_is_not_a_transition(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="READY")
    payload = await mutate(tenant, UPDATE, {"id": asset["id"], "status": "READY"})
    assert payload["userErrors"] == [] and payload["asset"]["version"] == 1


async def test_review_flow(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="PROCESSING")

    early = await mutate(tenant, APPROVE, {"id": asset["id"]})
    assert codes_of(early) == [(["input", "id"], "INVALID_STATE")]
    await mutate(tenant, UPDATE, {"id": asset["id"], "status": "READY"})

    approved = (await mutate(tenant, APPROVE, {"id": asset["id"], "comment": "Lovely"}))["asset"]
    assert approved["reviewStatus"] == "APPROVED"
    assert approved["reviewComment"] == "Lovely"
    assert approved["reviewedBy"] == await admin_key_id(tenant)
    assert approved["reviewedAt"].endswith("Z") and approved["version"] == 3

    again = await mutate(tenant, APPROVE, {"id": asset["id"], "comment": "Still lovely"})
    assert again["userErrors"] == []
    assert again["asset"] == approved

    blank = await mutate(tenant, REJECT, {"id": asset["id"], "comment": "  "})
    assert codes_of(blank) == [(["input", "comment"], "REQUIRED")]
    too_long = await mutate(tenant, REJECT, {"id": asset["id"], "comment": "x" * 5001})
    assert codes_of(too_long) == [(["input", "comment"], "TOO_LONG")]
    missing = await tenant.gql(
        "mutation($id: ID!) { rejectAsset(input: {id: $id}) { userErrors { code } } }",
        {"id": asset["id"]},
    )
    assert missing.codes == ["BAD_REQUEST"]
    assert (await read(tenant, asset["id"]))["reviewStatus"] == "APPROVED"

    rejected = (await mutate(tenant, REJECT, {"id": asset["id"], "comment": "Wrong colour"}))[
        "asset"
    ]
    assert (rejected["reviewStatus"], rejected["reviewComment"], rejected["version"]) == (
        "REJECTED",
        "Wrong colour",
        4,
    )
    assert [(t, s) for t, s, _ in await events_of(tenant, asset["id"])] == [
        ("asset.created", 1),
        ("asset.updated", 2),
        ("asset.approved", 3),
        ("asset.rejected", 4),
    ]


async def test_new_file_voids_the_review_but_renaming_does_not(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="READY", url="https://x.example/v1.png")
    await mutate(tenant, APPROVE, {"id": asset["id"]})
    renamed = (await mutate(tenant, UPDATE, {"id": asset["id"], "name": "Final", "tags": ["x"]}))[
        "asset"
    ]
    assert renamed["reviewStatus"] == "APPROVED"
    swapped = (
        await mutate(tenant, UPDATE, {"id": asset["id"], "url": "https://x.example/v2.png"})
    )["asset"]
    assert (swapped["reviewStatus"], swapped["reviewedBy"], swapped["reviewedAt"]) == (
        "PENDING",
        None,
        None,
    )


async def test_review_needs_assets_approve_scope(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="READY")
    writer = await tenant.key(Scope.CONTENT_READ, Scope.CONTENT_WRITE)
    for document, input in (
        (APPROVE, {"id": asset["id"]}),
        (REJECT, {"id": asset["id"], "comment": "no"}),
    ):
        result = await tenant.gql(document, {"input": input}, token=writer)
        assert result.codes == ["UNAUTHORIZED_SCOPE"]
    assert await read(tenant, asset["id"]) == asset
    assert [t for t, _, _ in await events_of(tenant, asset["id"])] == ["asset.created"]

    approver = await tenant.key(Scope.ASSETS_APPROVE)
    done = await mutate(tenant, APPROVE, {"id": asset["id"]}, token=approver)
    assert done["asset"]["reviewStatus"] == "APPROVED"
    no_write = await tenant.gql(UPDATE, {"input": {"id": asset["id"], "name": "x"}}, token=approver)
    assert no_write.codes == ["UNAUTHORIZED_SCOPE"]
    no_read = await tenant.gql(LIST, token=approver)
    assert no_read.codes == ["UNAUTHORIZED_SCOPE"]


async def test_concurrent_double_approve_emits_one_event(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="READY")
    results = await asyncio.gather(
        *(tenant.gql(APPROVE, {"input": {"id": asset["id"]}}) for _ in range(2))
    )
    payloads = [r.ok()["approveAsset"] for r in results]
    assert all(p["userErrors"] == [] for p in payloads)
    assert {p["asset"]["version"] for p in payloads} == {2}
    assert [t for t, _, _ in await events_of(tenant, asset["id"])] == [
        "asset.created",
        "asset.approved",
    ]


async def test_delete(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id)
    payload = await mutate(tenant, DELETE, {"id": asset["id"]})
    assert payload == {"deletedAssetId": asset["id"], "userErrors": []}
    assert await read(tenant, asset["id"]) is None
    again = await mutate(tenant, DELETE, {"id": asset["id"]})
    assert codes_of(again) == [(["input", "id"], "NOT_FOUND")]
    events = await events_of(tenant, asset["id"])
    assert [(t, s) for t, s, _ in events] == [("asset.created", 1), ("asset.deleted", 2)]
    assert events[-1][2]["id"] == asset["id"]


async def test_delete_refused_while_a_job_outputs_the_asset(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="READY")
    async with tenant.services.db.writing() as session:
        session.add(
            Job(
                org_id=tenant.org_id,
                project_id=project_id,
                kind=JobKind.RENDER,
                output_asset_id=asset["id"],
            )
        )
    payload = await mutate(tenant, DELETE, {"id": asset["id"]})
    assert codes_of(payload) == [(["input", "id"], "INVALID_STATE")]
    assert await read(tenant, asset["id"]) == asset
    assert [t for t, _, _ in await events_of(tenant, asset["id"])] == ["asset.created"]


async def test_other_organisation_sees_and_changes_nothing(
    tenant: Tenant, make_tenant: Any
) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id, status="READY")
    other = await make_tenant()
    data = (
        await other.gql(
            "query($id: ID!) { asset(id: $id) { id } node(id: $id) { id } }", {"id": asset["id"]}
        )
    ).ok()
    assert data == {"asset": None, "node": None}
    assert await list_ids(other) == []
    assert await list_ids(other, projectId=project_id) == []
    not_found = [(["input", "id"], "NOT_FOUND")]
    assert codes_of(await mutate(other, UPDATE, {"id": asset["id"], "name": "x"})) == not_found
    assert codes_of(await mutate(other, DELETE, {"id": asset["id"]})) == not_found
    assert codes_of(await mutate(other, APPROVE, {"id": asset["id"]})) == not_found
    assert codes_of(await mutate(other, REJECT, {"id": asset["id"], "comment": "x"})) == not_found
    create = await mutate(
        other,
        CREATE,
        {"projectId": project_id, "name": "A", "type": "IMAGE", "mimeType": "image/png"},
    )
    assert codes_of(create) == [(["input", "projectId"], "NOT_FOUND")]
    assert await read(tenant, asset["id"]) == asset
    assert await list_ids(tenant) == [asset["id"]]


async def test_project_limited_key(tenant: Tenant) -> None:
    allowed = await make_project(tenant, "allowed")
    hidden = await make_project(tenant, "hidden")
    mine = await make_asset(tenant, allowed, status="READY")
    theirs = await make_asset(tenant, hidden, status="READY")
    limited = await tenant.key(
        Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.ASSETS_APPROVE, project_ids=[allowed]
    )
    assert await list_ids(tenant, token=limited) == [mine["id"]]
    assert await list_ids(tenant, token=limited, projectId=hidden) == []
    assert await read(tenant, theirs["id"], token=limited) is None
    approve = await mutate(tenant, APPROVE, {"id": theirs["id"]}, token=limited)
    assert codes_of(approve) == [(["input", "id"], "NOT_FOUND")]
    create = await mutate(
        tenant,
        CREATE,
        {"projectId": hidden, "name": "A", "type": "IMAGE", "mimeType": "image/png"},
        token=limited,
    )
    assert codes_of(create) == [(["input", "projectId"], "NOT_FOUND")]
    created = await make_asset(tenant, allowed, token=limited)
    assert created["projectId"] == allowed
    assert (await mutate(tenant, APPROVE, {"id": mine["id"]}, token=limited))["asset"][
        "reviewStatus"
    ] == "APPROVED"
    assert (await read(tenant, theirs["id"]))["reviewStatus"] == "PENDING"


async def test_filters(tenant: Tenant) -> None:
    first = await make_project(tenant, "first")
    second = await make_project(tenant, "second")
    image = await make_asset(tenant, first, tags=["hero", "key-art"], status="READY")
    video = await make_asset(
        tenant, first, type="VIDEO", mimeType="video/mp4", tags=["hero"], status="PROCESSING"
    )
    audio = await make_asset(tenant, second, type="AUDIO", mimeType="audio/wav", tags=["hero-2"])
    await mutate(tenant, APPROVE, {"id": image["id"]})

    async def ids(**variables: Any) -> set[str]:
        return set(await list_ids(tenant, **variables))

    assert await ids() == {image["id"], video["id"], audio["id"]}
    assert await ids(projectId=first) == {image["id"], video["id"]}
    assert await ids(filter={"status": "READY"}) == {image["id"]}
    assert await ids(filter={"reviewStatus": "APPROVED"}) == {image["id"]}
    assert await ids(filter={"reviewStatus": "PENDING"}) == {video["id"], audio["id"]}
    assert await ids(filter={"type": "AUDIO"}) == {audio["id"]}
    assert await ids(filter={"tag": "hero"}) == {image["id"], video["id"]}
    assert await ids(filter={"tag": "HERO"}) == {image["id"], video["id"]}
    assert await ids(filter={"tag": "key-art"}) == {image["id"]}
    assert await ids(filter={"tag": "her"}) == set()
    assert await ids(filter={"mimeType": "Video/MP4"}) == {video["id"]}
    assert await ids(projectId=first, filter={"tag": "hero", "type": "IMAGE"}) == {image["id"]}

    latest = await read(tenant, image["id"])
    assert await ids(filter={"updatedAfter": latest["updatedAt"]}) == set()
    assert await ids(filter={"updatedBefore": latest["updatedAt"]}) == {video["id"], audio["id"]}
    assert await ids(filter={"updatedAfter": audio["updatedAt"]}) == {image["id"]}


async def test_pagination_walks_every_asset_once(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    created = [(await make_asset(tenant, project_id, name=f"a{i}"))["id"] for i in range(7)]
    for direction, expected in (("ASC", created), ("DESC", created[::-1])):
        seen: list[str] = []
        after = None
        for _ in range(5):
            data = (
                await tenant.gql(
                    LIST,
                    {
                        "projectId": project_id,
                        "first": 3,
                        "after": after,
                        "orderBy": {"field": "CREATED_AT", "direction": direction},
                    },
                )
            ).ok()["assets"]
            seen += [e["node"]["id"] for e in data["edges"]]
            if not data["pageInfo"]["hasNextPage"]:
                break
            after = data["pageInfo"]["endCursor"]
        assert seen == expected
    assert (await tenant.gql(LIST, {"first": 0})).codes == ["VALIDATION_FAILED"]
    assert (await tenant.gql(LIST, {"after": "garbage"})).codes == ["VALIDATION_FAILED"]


async def test_listing_with_projects_costs_constant_statements(
    tenant: Tenant, services: Any
) -> None:
    projects = [await make_project(tenant, f"count-{i}") for i in range(3)]
    for i in range(6):
        await make_asset(tenant, projects[i % 3])
    query = "query($first: Int) { assets(first: $first) { nodes { id project { slug } } } }"
    with count_statements(services) as statements:
        (await tenant.gql(query, {"first": 1})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        data = (await tenant.gql(query, {"first": 6})).ok()
    assert len(data["assets"]["nodes"]) == 6
    assert len(statements) == small


async def test_project_relation_needs_projects_read(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id)
    reader = await tenant.key(Scope.CONTENT_READ)
    result = await tenant.gql(
        "query($id: ID!) { asset(id: $id) { id project { id } } }",
        {"id": asset["id"]},
        token=reader,
    )
    assert result.codes == ["UNAUTHORIZED_SCOPE"]
    assert result.data["asset"] == {"id": asset["id"], "project": None}


async def test_events_follow_versions(tenant: Tenant) -> None:
    project_id = await make_project(tenant)
    asset = await make_asset(tenant, project_id)
    await mutate(tenant, UPDATE, {"id": asset["id"], "status": "PROCESSING"})
    await mutate(tenant, UPDATE, {"id": asset["id"], "status": "READY"})
    approved = (await mutate(tenant, APPROVE, {"id": asset["id"]}))["asset"]
    events = await events_of(tenant, asset["id"])
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


async def test_demo_content_has_assets_with_one_approved(tenant: Tenant, services: Any) -> None:
    principal = Principal(
        key_id=await admin_key_id(tenant),
        org_id=tenant.org_id,
        scopes=frozenset({Scope.ADMIN}),
        project_ids=None,
    )
    await seed_content(Context(db=services.db, settings=services.settings, principal=principal))
    data = (
        await tenant.gql(
            "{ assets { nodes { name reviewStatus project { slug } } } }",
        )
    ).ok()
    nodes = data["assets"]["nodes"]
    assert len(nodes) >= 3
    assert {n["project"]["slug"] for n in nodes} == {"aurora-pilot"}
    assert [n["reviewStatus"] for n in nodes].count("APPROVED") == 1
