"""/v1 over HTTP: statuses, headers, list shape, parameters and the contract's error shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.auth.scopes import Scope
from tests.conftest import Tenant


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def post_project(tenant: Tenant, slug: str, **extra: Any) -> dict[str, Any]:
    response = await tenant.http.post(
        "/v1/projects",
        json={"slug": slug, "name": slug.title(), **extra},
        headers=auth(tenant.token),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert error["request_id"] == response.headers["x-request-id"]
    assert error["request_id"].startswith("req_")
    return error


async def test_rest_and_graphql_return_the_same_project(tenant: Tenant) -> None:
    created = await post_project(tenant, "same", render_quota=7, settings={"fpsValue": 24})
    rest = await tenant.http.get(f"/v1/projects/{created['id']}", headers=auth(tenant.token))
    graphql = await tenant.gql(
        "query($id: ID!) { project(id: $id) { id slug name description status settings "
        "metadata renderQuota renderUsage version createdAt updatedAt } }",
        {"id": created["id"]},
    )
    expected = graphql.ok()["project"]
    assert rest.json() == {
        "id": expected["id"],
        "slug": expected["slug"],
        "name": expected["name"],
        "description": expected["description"],
        "status": expected["status"].lower(),
        "settings": {"fpsValue": 24},
        "metadata": expected["metadata"],
        "render_quota": 7,
        "render_usage": expected["renderUsage"],
        "version": expected["version"],
        "created_at": expected["createdAt"],
        "updated_at": expected["updatedAt"],
    }
    assert rest.json() == created


async def test_create_is_201_with_a_location_that_resolves(tenant: Tenant) -> None:
    response = await tenant.http.post(
        "/v1/projects", json={"slug": "located", "name": "Located"}, headers=auth(tenant.token)
    )
    assert response.status_code == 201
    location = response.headers["location"]
    assert location == f"/v1/projects/{response.json()['id']}"
    assert (await tenant.http.get(location, headers=auth(tenant.token))).json() == response.json()


async def test_delete_archives_and_returns_the_object(tenant: Tenant) -> None:
    project = await post_project(tenant, "doomed")
    response = await tenant.http.delete(f"/v1/projects/{project['id']}", headers=auth(tenant.token))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("archived", 2)


async def test_limit_defaults_and_pages(tenant: Tenant) -> None:
    for i in range(3):
        await post_project(tenant, f"limit-{i}")
    headers = auth(tenant.token)
    page = (await tenant.http.get("/v1/projects", params={"limit": 2}, headers=headers)).json()
    assert set(page) == {"data", "has_more", "next_cursor", "previous_cursor"}
    assert (len(page["data"]), page["has_more"], page["previous_cursor"]) == (2, True, None)
    rest = await tenant.http.get(
        "/v1/projects", params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers
    )
    assert rest.json()["has_more"] is False and rest.json()["next_cursor"] is None
    assert len(rest.json()["data"]) == 1
    assert rest.json()["previous_cursor"] is not None
    default = await tenant.http.get("/v1/projects", headers=headers)
    assert len(default.json()["data"]) == 3


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"limit": "0"}, "limit", "OUT_OF_RANGE"),
        ({"limit": "101"}, "limit", "OUT_OF_RANGE"),
        ({"limit": "5", "ending_before": "bogus"}, "ending_before", "INVALID"),
        ({"limit": "ten"}, "limit", "INVALID"),
        ({"limit": "99999999999"}, "limit", "INVALID"),
        ({"status": "gone"}, "status", "INVALID"),
        ({"status": ""}, "status", "INVALID"),
        ({"updated_after": "yesterday"}, "updated_after", "INVALID"),
        ({"updated_after": "2026-01-01T00:00:00"}, "updated_after", "INVALID"),
        ({"sort": "position"}, "sort", "INVALID"),
        ({"sort": "-updated_at,created_at"}, "sort", "INVALID"),
        ({"first": "5"}, "first", "UNKNOWN_FIELD"),
        ({"filter": "x"}, "filter", "UNKNOWN_FIELD"),
        ({"cursor": "bogus"}, "cursor", "INVALID"),
    ],
)
async def test_bad_query_parameters_are_422_naming_the_field(
    tenant: Tenant, params: dict[str, str], field: str, code: str
) -> None:
    response = await tenant.http.get("/v1/projects", params=params, headers=auth(tenant.token))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_FAILED"
    assert {"field": field, "code": code} in [
        {"field": f["field"], "code": f["code"]} for f in error["fields"]
    ]


async def test_repeated_scalar_parameter_is_refused(tenant: Tenant) -> None:
    response = await tenant.http.get(
        "/v1/projects",
        params=[("status", "active"), ("status", "archived")],
        headers=auth(tenant.token),
    )
    assert response.status_code == 422
    assert error_of(response)["fields"][0]["field"] == "status"


async def test_filters_and_sort(tenant: Tenant) -> None:
    first = await post_project(tenant, "sort-a")
    second = await post_project(tenant, "sort-b")
    headers = auth(tenant.token)
    await tenant.http.patch(
        f"/v1/projects/{first['id']}", json={"name": "Touched"}, headers=headers
    )
    newest = await tenant.http.get("/v1/projects", params={"sort": "-updated_at"}, headers=headers)
    assert [p["slug"] for p in newest.json()["data"]] == ["sort-a", "sort-b"]
    oldest = await tenant.http.get("/v1/projects", params={"sort": "created_at"}, headers=headers)
    assert [p["slug"] for p in oldest.json()["data"]] == ["sort-a", "sort-b"]
    recent = await tenant.http.get(
        "/v1/projects", params={"updated_after": second["updated_at"]}, headers=headers
    )
    assert [p["slug"] for p in recent.json()["data"]] == ["sort-a"]
    by_slug = await tenant.http.get(
        "/v1/projects", params={"slug": "sort-b", "status": "ACTIVE"}, headers=headers
    )
    assert [p["id"] for p in by_slug.json()["data"]] == [second["id"]]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"slug": "ok-slug", "name": "N", "colour": "red"}, "colour", "UNKNOWN_FIELD"),
        ({"slug": "ok-slug", "name": 5}, "name", "INVALID"),
        ({"slug": "ok-slug", "name": "N", "render_quota": "3"}, "render_quota", "INVALID"),
        ({"slug": "ok-slug", "name": "N", "render_quota": 2**40}, "render_quota", "INVALID"),
        ({"slug": "ok-slug", "name": "N", "renderQuota": 3}, "renderQuota", "UNKNOWN_FIELD"),
        ({"slug": "ok-slug"}, "name", "REQUIRED"),
        ({"slug": None, "name": "N"}, "slug", "REQUIRED"),
        ({"slug": "ok-slug", "name": "N", "render_quota": -1}, "render_quota", "OUT_OF_RANGE"),
        ({"slug": "Bad Slug", "name": "N"}, "slug", "INVALID"),
        ({"slug": "ok-slug", "name": "N", "settings": [1]}, "settings", "INVALID"),
    ],
)
async def test_bad_bodies_are_422_naming_the_field(
    tenant: Tenant, body: dict[str, Any], field: str, code: str
) -> None:
    response = await tenant.http.post("/v1/projects", json=body, headers=auth(tenant.token))
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["code"] == "VALIDATION_FAILED"
    assert (field, code) in [(f["field"], f["code"]) for f in error["fields"]]
    listed = await tenant.http.get("/v1/projects", headers=auth(tenant.token))
    assert listed.json()["data"] == []


async def test_user_error_messages_use_rest_names(tenant: Tenant) -> None:
    response = await tenant.http.post(
        "/v1/projects",
        json={"slug": "quota", "name": "Q", "render_quota": -5},
        headers=auth(tenant.token),
    )
    assert error_of(response)["fields"] == [
        {
            "field": "render_quota",
            "code": "OUT_OF_RANGE",
            "message": "`render_quota` must not be negative.",
        }
    ]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"{not json", "application/json", 400, "BAD_REQUEST"),
        (b"[1, 2]", "application/json", 400, "BAD_REQUEST"),
        (b'"text"', "application/json", 400, "BAD_REQUEST"),
        (b"slug=x", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"slug": "no-type", "name": "x"}', None, 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"slug": "plain", "name": "x"}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ],
)
async def test_malformed_bodies_are_refused(
    tenant: Tenant, content: bytes, content_type: str | None, status: int, code: str
) -> None:
    headers = auth(tenant.token)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await tenant.http.post("/v1/projects", content=content, headers=headers)
    assert response.status_code == status
    assert error_of(response)["code"] == code
    listed = await tenant.http.get("/v1/projects", headers=auth(tenant.token))
    assert listed.json()["data"] == []


async def test_patch_changes_only_what_is_sent(tenant: Tenant) -> None:
    project = await post_project(tenant, "patchy", metadata={"k": "v"}, render_quota=3)
    headers = auth(tenant.token)
    cleared = await tenant.http.patch(
        f"/v1/projects/{project['id']}",
        json={"render_quota": None, "status": "suspended"},
        headers=headers,
    )
    assert cleared.status_code == 200
    body = cleared.json()
    assert (body["render_quota"], body["status"], body["metadata"]) == (
        None,
        "suspended",
        {"k": "v"},
    )
    refused = await tenant.http.patch(
        f"/v1/projects/{project['id']}", json={"status": "archived"}, headers=headers
    )
    assert refused.status_code == 422
    assert error_of(refused)["fields"][0]["field"] == "status"
    with_id = await tenant.http.patch(
        f"/v1/projects/{project['id']}", json={"id": "prj_other"}, headers=headers
    )
    assert with_id.status_code == 422
    assert error_of(with_id)["fields"][0]["code"] == "UNKNOWN_FIELD"


async def test_not_found_and_other_organisations_are_404(tenant: Tenant, make_tenant: Any) -> None:
    project = await post_project(tenant, "private")
    other = await make_tenant()
    headers = auth(other.token)
    url = f"/v1/projects/{project['id']}"
    for response in (
        await other.http.get(url, headers=headers),
        await other.http.patch(url, json={"name": "x"}, headers=headers),
        await other.http.delete(url, headers=headers),
        await other.http.get("/v1/projects/not-an-id", headers=headers),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "NOT_FOUND"
    mine = await tenant.http.get(url, headers=auth(tenant.token))
    assert mine.json()["status"] == "active"


async def test_scopes_and_authentication(tenant: Tenant) -> None:
    reader = await tenant.key(Scope.PROJECTS_READ)
    refused = await tenant.http.post(
        "/v1/projects", json={"slug": "nope", "name": "N"}, headers=auth(reader)
    )
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "UNAUTHORIZED_SCOPE"
    anonymous = await tenant.http.get("/v1/projects")
    assert anonymous.status_code == 401
    assert error_of(anonymous)["code"] == "UNAUTHENTICATED"
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    forged = await tenant.http.get("/v1/projects", headers=auth("rh_live_forged"))
    assert forged.status_code == 401
    assert (await tenant.http.get("/v1/projects", headers=auth(reader))).status_code == 200


async def test_unknown_routes_and_methods(tenant: Tenant) -> None:
    headers = auth(tenant.token)
    wrong = await tenant.http.put("/v1/projects/prj_x", headers=headers)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "DELETE, GET, PATCH"
    assert error_of(wrong)["code"] == "METHOD_NOT_ALLOWED"
    missing = await tenant.http.get("/v1/nothing", headers=headers)
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "NOT_FOUND"


async def test_oversized_body_is_413_in_rest_shape(tenant: Tenant, services: Any) -> None:
    limit = services.settings.max_body_bytes
    response = await tenant.http.post(
        "/v1/projects",
        json={"slug": "big", "name": "B", "metadata": {"blob": "x" * limit}},
        headers=auth(tenant.token),
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "PAYLOAD_TOO_LARGE"
