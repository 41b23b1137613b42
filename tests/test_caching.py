"""Cache headers: strong ETags and 304 on REST single objects, ``private, no-cache`` on every
authenticated answer, ``public, max-age`` on what is the same for everyone."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Tenant


async def test_single_objects_carry_a_strong_etag(tenant: Tenant) -> None:
    headers = {"Authorization": f"Bearer {tenant.token}"}
    created = await tenant.http.post(
        "/v1/projects", json={"slug": "etag", "name": "ETag"}, headers=headers
    )
    path = created.headers["location"]
    first = await tenant.http.get(path, headers=headers)
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "private, no-cache"
    again = await tenant.http.get(path, headers=headers)
    assert again.headers["etag"] == etag
    unchanged = await tenant.http.get(path, headers={**headers, "If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert "x-request-id" in unchanged.headers
    listed = await tenant.http.get(path, headers={**headers, "If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    await tenant.http.patch(path, json={"name": "Changed"}, headers=headers)
    changed = await tenant.http.get(path, headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json()["name"] == "Changed"


async def test_a_304_still_needs_a_valid_key(tenant: Tenant) -> None:
    headers = {"Authorization": f"Bearer {tenant.token}"}
    created = await tenant.http.post(
        "/v1/projects", json={"slug": "etag-auth", "name": "E"}, headers=headers
    )
    path = created.headers["location"]
    etag = (await tenant.http.get(path, headers=headers)).headers["etag"]
    refused = await tenant.http.get(path, headers={"If-None-Match": etag})
    assert refused.status_code == 401
    other = await tenant.http.get(
        "/v1/projects/prj_01J00000000000000000000000", headers={**headers, "If-None-Match": "*"}
    )
    assert other.status_code == 404


async def test_lists_and_graphql_are_private(tenant: Tenant) -> None:
    headers = {"Authorization": f"Bearer {tenant.token}"}
    listed = await tenant.http.get("/v1/projects", headers=headers)
    assert listed.headers["cache-control"] == "private, no-cache"
    assert "etag" not in listed.headers
    graphql = await tenant.http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert graphql.headers["cache-control"] == "private, no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/openapi.json",
        "/v1",
        "/docs",
        "/docs/static/swagger-ui.css",
        "/static/graphiql/graphiql.min.css",
    ],
)
async def test_public_documents_are_cacheable(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 200, path
    assert response.headers["cache-control"].startswith("public, max-age=")


async def test_openapi_document_revalidates(http: httpx.AsyncClient) -> None:
    first = await http.get("/v1/openapi.json")
    again = await http.get("/v1/openapi.json", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
