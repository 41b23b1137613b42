"""Manifest schemas and manifests: validation by JSON Pointer, idempotent upsert, asset
registration and deduplication, the contract's REST aliases, and events.

Tests taking ``api`` run over ``/graphql`` and ``/v1`` on both backends; ``test_rest_...`` are
about what only REST has (the contract's alias addresses, statuses).
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest

from app.auth.scopes import Scope
from app.manifests.builtin import BUILTINS
from tests.api_client import Api, Outcome, rest_api
from tests.api_fixtures import ONLY_REST, MakeApi
from tests.asset_fixtures import events_of, make_project

BUILTIN_ID = BUILTINS[0].id


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def asset(asset_id: str, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": asset_id,
        "type": "image",
        "uri": f"https://cdn.example.com/{asset_id}.png",
        "sha256": sha(content),
        **extra,
    }


def content(*assets: dict[str, Any], product: str = "Hero pack") -> dict[str, Any]:
    return {"product": product, "createdAt": "2026-02-01T10:00:00Z", "assets": list(assets)}


async def submit(
    api: Api, project_id: str, manifest_id: str, version: int, document: Any, **extra: Any
) -> Outcome:
    fields = {"manifest_id": manifest_id, "version": version, "document": document, **extra}
    return await api.create("manifests", fields, parent=project_id)


async def test_valid_manifest_registers_its_assets(api: Api) -> None:
    project_id = await make_project(api, "manifest-valid")
    document = content(
        asset("hero", "hero-v1", name="Hero", mimeType="image/png", size=10, tags=["hero"]),
        asset("sky", "sky-v1", metadata={"fps": 24}),
    )
    manifest = (await submit(api, project_id, "hero-pack", 1, document)).ok()
    assert manifest["id"].startswith("mft_") and manifest["status"] == "valid"
    assert manifest["manifest_id"] == "hero-pack" and manifest["version"] == 1
    assert manifest["schema_name"] == "content-manifest" and manifest["schema_id"] == BUILTIN_ID
    assert manifest["errors"] == [] and manifest["error_count"] == 0
    assert manifest["document"] == document and manifest["unchanged"] is False
    outcomes = {a["external_id"]: a["outcome"] for a in manifest["assets"]}
    assert outcomes == {"hero": "created", "sky": "created"}

    hero_id = manifest["assets"][0]["asset_id"]
    hero = (await api.get("assets", hero_id)).ok()
    assert hero["project_id"] == project_id and hero["status"] == "ready"
    assert hero["sha256"] == sha("hero-v1") and hero["url"].endswith("/hero.png")
    assert (hero["name"], hero["mime_type"], hero["size_bytes"]) == ("Hero", "image/png", 10)
    sky = (await api.get("assets", manifest["assets"][1]["asset_id"])).ok()
    assert (sky["name"], sky["mime_type"], sky["metadata"]) == (
        "sky",
        "application/octet-stream",
        {"fps": 24},
    )

    by_key = (await api.get("manifests", "hero-pack")).ok()
    assert by_key["id"] == manifest["id"]
    assert (await api.get("manifests", manifest["id"])).ok()["manifest_id"] == "hero-pack"
    listed = await api.list("manifests", project_id=project_id)
    assert listed.ids == [manifest["id"]]

    events = await events_of(api.tenant, manifest["id"])
    assert [(t, s) for t, s, _ in events] == [("manifest.validated", 1)]
    summary = events[0][2]
    assert summary["assets"] == {"created": 2, "reused": 0, "updated": 0}
    assert summary["status"] == "valid" and "document" not in summary
    assert [t for t, _, _ in await events_of(api.tenant, hero_id)] == ["asset.created"]


async def test_invalid_manifest_is_stored_with_every_error_by_pointer(api: Api) -> None:
    project_id = await make_project(api, "manifest-invalid")
    document = {
        "product": "",
        "createdAt": "last tuesday",
        "assets": [
            asset("ok", "fine"),
            {"id": "bad id!", "type": "hologram", "uri": "not a uri", "sha256": "XYZ"},
            {"type": "video", "colour/hex~": "red"},
        ],
        "extra": True,
    }
    outcome = await submit(api, project_id, "broken", 1, document)
    manifest = outcome.ok()
    assert manifest["status"] == "invalid" and manifest["assets"] == []
    found = {(e["pointer"], e["code"]) for e in manifest["errors"]}
    assert found == {
        ("/product", "TOO_SHORT"),
        ("/createdAt", "FORMAT"),
        ("/assets/1/id", "PATTERN"),
        ("/assets/1/type", "NOT_ALLOWED"),
        ("/assets/1/uri", "FORMAT"),
        ("/assets/1/uri", "PATTERN"),
        ("/assets/1/sha256", "PATTERN"),
        ("/assets/2/id", "REQUIRED"),
        ("/assets/2/uri", "REQUIRED"),
        ("/assets/2/sha256", "REQUIRED"),
        ("/assets/2/colour~1hex~0", "UNKNOWN_FIELD"),
        ("/extra", "UNKNOWN_FIELD"),
    }
    assert manifest["error_count"] == len(manifest["errors"])
    assert [e["pointer"] for e in manifest["errors"]] == sorted(
        e["pointer"] for e in manifest["errors"]
    )
    assert all(e["message"] for e in manifest["errors"])
    assets = await api.list("assets", project_id=project_id)
    assert assets.items == [], "an invalid manifest registers nothing"
    events = await events_of(api.tenant, manifest["id"])
    assert [t for t, _, _ in events] == ["manifest.rejected"]
    assert events[0][2]["error_count"] == manifest["error_count"]


async def test_resubmission_is_idempotent_and_another_document_conflicts(api: Api) -> None:
    project_id = await make_project(api, "manifest-idem")
    document = content(asset("a", "a-v1"))
    first = (await submit(api, project_id, "pack", 1, document)).ok()
    reordered = {key: document[key] for key in reversed(list(document))}
    again = (await submit(api, project_id, "pack", 1, reordered)).ok()
    assert again["id"] == first["id"] and again["unchanged"] is True
    assert again["assets"] == first["assets"]
    assert len(await events_of(api.tenant, first["id"])) == 1, "a replay emits nothing"
    assert len((await api.list("assets", project_id=project_id)).items) == 1

    changed = await submit(api, project_id, "pack", 1, content(asset("a", "a-v2")))
    assert changed.error == "CONFLICT" and "version 1" in changed.message
    changed.on_rest(409)
    invalid_then = await submit(api, project_id, "pack", 1, {"product": ""})
    assert invalid_then.error == "CONFLICT"

    other_project = await make_project(api, "manifest-idem-2")
    moved = await submit(api, other_project, "pack", 2, document)
    assert moved.error == "CONFLICT" and "another project" in moved.message

    second = (await submit(api, project_id, "pack", 2, content(asset("a", "a-v2")))).ok()
    assert second["version"] == 2 and second["assets"][0]["outcome"] == "updated"
    latest = (await api.get("manifests", "pack")).ok()
    assert latest["id"] == second["id"]
    assert (await api.list("manifests", manifest_id="pack")).ids == [second["id"], first["id"]]


async def test_assets_are_deduplicated_across_manifests(api: Api) -> None:
    project_id = await make_project(api, "manifest-dedupe")
    shared = asset("logo", "logo-bytes")
    one = (await submit(api, project_id, "one", 1, content(shared, asset("x", "x")))).ok()
    logo_id = one["assets"][0]["asset_id"]

    two_document = content(
        asset("brand-logo", "logo-bytes"),  # same file, another id
        asset("logo", "logo-bytes", name="Logo"),  # same id, a changed field
        asset("y", "y"),
        asset("y", "y"),  # listed twice, alike
    )
    two = (await submit(api, project_id, "two", 1, two_document)).ok()
    assert [(a["external_id"], a["asset_id"], a["outcome"]) for a in two["assets"]] == [
        ("brand-logo", logo_id, "reused"),
        ("logo", logo_id, "updated"),
        ("y", two["assets"][2]["asset_id"], "created"),
    ]
    assets = (await api.list("assets", project_id=project_id, limit=100)).items
    assert len(assets) == 3, "one file, one asset"
    assert (await api.get("assets", logo_id)).ok()["name"] == "Logo"

    three = (await submit(api, project_id, "three", 1, content(asset("logo", "logo-bytes")))).ok()
    assert three["assets"][0] == {"external_id": "logo", "asset_id": logo_id, "outcome": "reused"}

    clash = content(asset("z", "z-1"), asset("z", "z-2"))
    refused = (await submit(api, project_id, "four", 1, clash)).ok()
    assert refused["status"] == "invalid"
    assert [(e["pointer"], e["code"]) for e in refused["errors"]] == [("/assets/1/id", "DUPLICATE")]

    elsewhere = await make_project(api, "manifest-dedupe-2")
    other = (await submit(api, elsewhere, "five", 1, content(shared))).ok()
    assert other["assets"][0]["outcome"] == "created", "assets belong to one project"


async def test_updating_an_assets_file_voids_its_review(api: Api) -> None:
    project_id = await make_project(api, "manifest-review")
    first = (await submit(api, project_id, "rev", 1, content(asset("clip", "take-1")))).ok()
    asset_id = first["assets"][0]["asset_id"]
    (await api.action("assets", "approve", asset_id)).ok()
    (await submit(api, project_id, "rev", 2, content(asset("clip", "take-2")))).ok()
    reviewed = (await api.get("assets", asset_id)).ok()
    assert reviewed["review_status"] == "pending" and reviewed["sha256"] == sha("take-2")


async def test_manifest_input_is_bounded(api: Api) -> None:
    project_id = await make_project(api, "manifest-bounds")
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(40):
        node["x"] = {}
        node = node["x"]
    outcome = await submit(api, project_id, "deep", 1, {"product": "p", "assets": [], "m": deep})
    assert outcome.error == "VALIDATION_FAILED"
    assert outcome.fields == [("document", "TOO_LONG")]
    huge = {"product": "p", "assets": [], "blob": "x" * 300_000}
    too_big = await submit(api, project_id, "huge", 1, huge)
    assert too_big.fields == [("document", "TOO_LONG")]
    nul = await submit(api, project_id, "nul", 1, {"product": "a\x00b", "assets": []})
    assert nul.fields == [("document.product", "INVALID")] and nul.status == 422
    bad_id = await submit(api, project_id, "mft_01J0000000000000000000000A", 1, content())
    assert bad_id.fields == [("manifest_id", "INVALID")]
    zero = await submit(api, project_id, "zero", 0, content())
    assert zero.error == "VALIDATION_FAILED"
    unknown = await submit(api, project_id, "unk", 1, content(), schema="no-such-schema")
    assert unknown.fields == [("schema", "NOT_FOUND")]
    bad_schema = await submit(api, project_id, "bad-schema", 1, content(), schema="A b!")
    assert bad_schema.fields == [("schema", "INVALID")]
    assert (await api.list("manifests", project_id=project_id)).items == []
    assert (await api.get("manifests", "a b!")).error == "NOT_FOUND"
    assert (await api.list("manifests", manifest_id="a b!")).items == []
    assert (await api.list("manifest_schemas", name="a b!")).items == []
    for refused in (
        await submit(api, project_id, "nul-schema", 1, content(), schema="a\x00"),
        await api.get("manifests", "a\x00b"),
        await api.list("manifests", manifest_id="a\x00b"),
        await api.list("manifest_schemas", name="a\x00b"),
    ):
        assert refused.error == "VALIDATION_FAILED" and refused.status == 422, refused


async def test_manifests_stay_in_their_tenant(api: Api, make_api: MakeApi) -> None:
    project_id = await make_project(api, "manifest-tenant")
    manifest = (await submit(api, project_id, "secret-pack", 1, content())).ok()
    other = await make_api()
    assert (await other.get("manifests", manifest["id"])).error == "NOT_FOUND"
    assert (await other.get("manifests", "secret-pack")).error == "NOT_FOUND"
    assert (await other.list("manifests")).items == []
    stolen = await submit(other, project_id, "secret-pack", 1, content())
    assert stolen.error == "VALIDATION_FAILED" or stolen.error == "NOT_FOUND"
    elsewhere = await make_project(api, "manifest-tenant-2")
    limited = await api.tenant.key(Scope.CONTENT_WRITE, Scope.CONTENT_READ, project_ids=[elsewhere])
    replay = await api.create(
        "manifests",
        {"manifest_id": "secret-pack", "version": 1, "document": content()},
        parent=project_id,
        token=limited,
    )
    assert replay.error in ("NOT_FOUND", "VALIDATION_FAILED") and replay.value is None
    reader = await api.tenant.key(Scope.CONTENT_READ)
    refused = await api.create(
        "manifests",
        {"manifest_id": "x", "version": 1, "document": content()},
        parent=project_id,
        token=reader,
    )
    assert refused.error == "UNAUTHORIZED_SCOPE"


# --- schemas ---------------------------------------------------------------------------------

SHOT_LIST = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["shots"],
    "properties": {
        "shots": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "due", "reference"],
                "properties": {
                    "code": {"type": "string", "pattern": "^SH[0-9]{3}$"},
                    "due": {"type": "string", "format": "date-time"},
                    "reference": {"type": "string", "format": "uri"},
                },
            },
        }
    },
}


async def test_schemas_are_registered_listed_and_frozen_once_used(api: Api) -> None:
    created = await api.create("manifest_schemas", {"name": "shot-list", "schema": SHOT_LIST})
    schema = created.ok()
    created.on_rest(201, location=f"/v1/manifest_schemas/{schema['id']}")
    assert schema["id"].startswith("msc_") and schema["version"] == 1
    assert schema["built_in"] is False and schema["used"] is False
    v2 = (await api.create("manifest_schemas", {"name": "shot-list", "schema": SHOT_LIST})).ok()
    assert v2["version"] == 2
    taken = await api.create(
        "manifest_schemas", {"name": "shot-list", "version": 2, "schema": SHOT_LIST}
    )
    assert taken.fields == [("version", "TAKEN")]
    reserved = await api.create("manifest_schemas", {"name": "content-manifest", "schema": {}})
    assert reserved.fields == [("name", "TAKEN")]

    listed = (await api.list("manifest_schemas", limit=100)).items
    assert [s["id"] for s in listed] == [v2["id"], schema["id"], BUILTIN_ID]
    builtin = (await api.get("manifest_schemas", BUILTIN_ID)).ok()
    assert builtin["name"] == "content-manifest" and builtin["built_in"] is True
    assert builtin["used"] is True and builtin["schema"]["title"] == "Content manifest"
    first_page = await api.list("manifest_schemas", limit=2)
    assert first_page.has_more and first_page.next_cursor
    rest = await api.list("manifest_schemas", limit=2, cursor=first_page.next_cursor)
    assert rest.ids == [BUILTIN_ID] and not rest.has_more
    named = await api.list("manifest_schemas", name="content-manifest")
    assert named.ids == [BUILTIN_ID]

    updated = await api.update("manifest_schemas", schema["id"], {"description": "Shots"})
    assert updated.ok()["description"] == "Shots"

    project_id = await make_project(api, "schema-use")
    document = {
        "shots": [
            {"code": "SH010", "due": "2026-03-01T09:00:00Z", "reference": "https://x.test/a"},
            {"code": "shot-20", "due": "2026-03-01", "reference": "no scheme"},
        ]
    }
    manifest = (
        await submit(api, project_id, "shots", 1, document, schema="shot-list", schema_version=1)
    ).ok()
    assert manifest["schema_id"] == schema["id"] and manifest["status"] == "invalid"
    assert {(e["pointer"], e["code"]) for e in manifest["errors"]} == {
        ("/shots/1/code", "PATTERN"),
        ("/shots/1/due", "FORMAT"),
        ("/shots/1/reference", "FORMAT"),
    }
    latest = (await submit(api, project_id, "shots", 2, {"shots": []}, schema="shot-list")).ok()
    assert latest["schema_version"] == 2 and latest["status"] == "valid"

    assert (await api.get("manifest_schemas", schema["id"])).ok()["used"] is True
    frozen = await api.update("manifest_schemas", schema["id"], {"schema": {"type": "object"}})
    assert frozen.fields == [("id", "INVALID_STATE")]
    kept = await api.delete("manifest_schemas", schema["id"])
    assert kept.fields == [("id", "INVALID_STATE")]
    builtin_change = await api.update("manifest_schemas", BUILTIN_ID, {"description": "x"})
    assert builtin_change.fields == [("id", "INVALID_STATE")]

    unused = (await api.create("manifest_schemas", {"name": "scratch", "schema": {}})).ok()
    (await api.delete("manifest_schemas", unused["id"])).on_rest(204)
    assert (await api.get("manifest_schemas", unused["id"])).error == "NOT_FOUND"


@pytest.mark.parametrize(
    ("schema", "field", "code"),
    [
        ({"type": "nope"}, "schema.type", "INVALID"),
        ({"minLength": -1}, "schema.minLength", "INVALID"),
        ({"pattern": "("}, "schema.pattern", "INVALID"),
        ({"$ref": "https://example.com/other.json"}, "schema.$ref", "INVALID"),
        ({"properties": {"a": {"$ref": "#/$defs/none"}}}, "schema.properties.a.$ref", "INVALID"),
        ({"$schema": "http://json-schema.org/draft-07/schema#"}, "schema.$schema", "INVALID"),
        ([1, 2], "schema", "INVALID"),
    ],
)
async def test_schemas_are_checked_against_the_metaschema(
    api: Api, schema: Any, field: str, code: str
) -> None:
    outcome = await api.create("manifest_schemas", {"name": "checked", "schema": schema})
    assert outcome.error == "VALIDATION_FAILED", outcome
    assert outcome.fields == [(field, code)]


async def test_schemas_are_bounded_and_organisation_wide(api: Api) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(40):
        node["items"] = {}
        node = node["items"]
    outcome = await api.create("manifest_schemas", {"name": "deep", "schema": deep})
    assert outcome.fields == [("schema", "TOO_LONG")]
    project_id = await make_project(api, "schema-limited")
    limited = await api.tenant.key(
        Scope.CONTENT_READ, Scope.CONTENT_WRITE, project_ids=[project_id]
    )
    refused = await api.create("manifest_schemas", {"name": "mine", "schema": {}}, token=limited)
    assert refused.error == "FORBIDDEN"
    seen = await api.list("manifest_schemas", token=limited)
    assert seen.ids == [BUILTIN_ID]
    manifest = await api.create(
        "manifests",
        {"manifest_id": "limited", "version": 1, "document": content()},
        parent=project_id,
        token=limited,
    )
    assert manifest.ok()["status"] == "valid"


# --- the contract's addresses ----------------------------------------------------------------


@ONLY_REST
async def test_rest_contract_aliases_run_the_same_operations(api: Api) -> None:
    project_id = await make_project(api, "manifest-alias")
    document = content(asset("alias", "alias-bytes"))
    body = {"project_id": project_id, "manifest_id": "alias-pack", "version": 1}
    response = await api.http.post(
        "/v1/content/manifests",
        json={**body, "document": document},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/manifests/{created['id']}"
    assert created["status"] == "valid" and created["unchanged"] is False

    headers = {"Authorization": f"Bearer {api.token}"}
    fetched = await api.http.get("/v1/content/manifests/alias-pack", headers=headers)
    assert fetched.status_code == 200 and fetched.json()["id"] == created["id"]
    by_version = await api.http.get("/v1/content/manifests/alias-pack?version=2", headers=headers)
    assert by_version.status_code == 404
    assert by_version.json()["error"]["code"] == "NOT_FOUND"

    again = await api.http.post(
        "/v1/content/manifests", json={**body, "document": document}, headers=headers
    )
    assert again.json()["unchanged"] is True and again.json()["id"] == created["id"]
    conflict = await api.http.post(
        "/v1/content/manifests", json={**body, "document": content()}, headers=headers
    )
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "CONFLICT"

    endpoints = {(e.route.method, e.route.path): e for e in rest_api().endpoints}
    alias = endpoints[("POST", "/v1/content/manifests")]
    generated = endpoints[("POST", "/v1/projects/{project_id}/manifests")]
    assert alias.document == generated.document, "one operation behind both addresses"


@ONLY_REST
async def test_a_schema_that_backtracks_is_stopped_without_stalling_the_server(api: Api) -> None:
    """Registered schemas run in a child process with a deadline: ``^(a+)+$`` against 40 a's
    and a ``!`` would take hours, and in the server process it would hold every request."""
    project_id = await make_project(api, "manifest-redos")
    evil = {"type": "object", "properties": {"name": {"type": "string", "pattern": "^(a+)+$"}}}
    (await api.create("manifest_schemas", {"name": "evil", "schema": evil})).ok()
    submission = asyncio.create_task(
        submit(api, project_id, "evil-1", 1, {"name": "a" * 40 + "!"}, schema="evil")
    )
    await asyncio.sleep(0.2)
    assert (await api.get("projects", project_id)).ok()["id"] == project_id
    assert not submission.done(), "the server answered while the check was still running"
    manifest = (await submission).ok()
    assert manifest["status"] == "invalid"
    assert [(e["pointer"], e["code"]) for e in manifest["errors"]] == [("", "SCHEMA_ERROR")]

    (await api.create("manifest_schemas", {"name": "sane", "schema": SHOT_LIST})).ok()
    fine = (await submit(api, project_id, "sane-1", 1, {"shots": []}, schema="sane")).ok()
    assert fine["status"] == "valid", "a fresh worker process took over"


async def test_concurrent_submissions_store_one_manifest(api: Api) -> None:
    project_id = await make_project(api, "manifest-race")
    document = content(asset("race", "race-bytes"))
    outcomes = await asyncio.gather(
        *(submit(api, project_id, "race-pack", 1, document) for _ in range(5))
    )
    manifests = [o.ok() for o in outcomes]
    assert len({m["id"] for m in manifests}) == 1
    assert sorted(m["unchanged"] for m in manifests) == [False, True, True, True, True]
    assets = (await api.list("assets", project_id=project_id)).items
    assert [(a["external_id"], a["sha256"]) for a in assets] == [("race", sha("race-bytes"))]
    assert len(await events_of(api.tenant, manifests[0]["id"])) == 1
