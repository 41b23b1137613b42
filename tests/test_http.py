"""The transport: every malformed, oversized, unauthenticated or misrouted request gets the
contract's error code and status, carries the request id of its ``X-Request-Id`` header, and
changes nothing; probes and GraphiQL answer without a key."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
import pytest_asyncio
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlmodel import col

import resolvers.projects
from app.auth import tokens
from app.factory import Application, create_app
from app.models import Event, Project
from app.settings import Settings
from tests.backends import SECRET_KEY
from tests.conftest import Backend, Tenant

CREATE = """
mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id } userErrors { field code } }
}"""
CREATE_BODY = {"query": CREATE, "variables": {"input": {"slug": "never-made", "name": "Never"}}}
JSON = {"Content-Type": "application/json"}


def assert_error(response: httpx.Response, code: str, status: int) -> dict[str, Any]:
    """The contract's error, in the GraphQL shape on /graphql and the REST shape elsewhere."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    request_id = response.headers["x-request-id"]
    assert request_id.startswith("req_")
    body: dict[str, Any] = response.json()
    if response.request.url.path == "/graphql":
        assert len(body["errors"]) >= 1
        error = body["errors"][0]
        assert error["extensions"]["code"] == code, body
        assert error["extensions"]["request_id"] == request_id
    else:
        error = body["error"]
        assert error["code"] == code, body
        assert error["request_id"] == request_id
    assert error["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


async def assert_unchanged(tenant: Tenant) -> None:
    """No project and no event was written for the tenant (each test starts with none)."""
    async with tenant.services.db.reading() as session:
        for model in (Project, Event):
            count = (
                await session.execute(
                    select(func.count())
                    .select_from(model)
                    .where(col(model.org_id) == tenant.org_id)
                )
            ).scalar_one()
            assert count == 0, f"{model.__name__} rows were written"


def auth(tenant: Tenant, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.token}", **headers}


# (label, request body bytes, content type, expected code, expected status)
MALFORMED: list[tuple[str, bytes, str, str, int]] = [
    ("malformed JSON", b'{"query": "mutation {', "application/json", "BAD_REQUEST", 400),
    ("empty body", b"", "application/json", "BAD_REQUEST", 400),
    ("invalid UTF-8", b'{"query": "\xff\xfe"}', "application/json", "BAD_REQUEST", 400),
    ("text/plain", orjson.dumps(CREATE_BODY), "text/plain", "UNSUPPORTED_MEDIA_TYPE", 415),
    (
        "form-encoded",
        b"query=mutation+%7B+__typename+%7D",
        "application/x-www-form-urlencoded",
        "UNSUPPORTED_MEDIA_TYPE",
        415,
    ),
    ("no content type", orjson.dumps(CREATE_BODY), "", "UNSUPPORTED_MEDIA_TYPE", 415),
    ("body is a string", b'"mutation { __typename }"', "application/json", "BAD_REQUEST", 400),
    ("body is a number", b"42", "application/json", "BAD_REQUEST", 400),
    (
        "batch array",
        orjson.dumps([CREATE_BODY, CREATE_BODY]),
        "application/json",
        "BAD_REQUEST",
        400,
    ),
    (
        "missing query",
        orjson.dumps({"variables": CREATE_BODY["variables"]}),
        "application/json",
        "BAD_REQUEST",
        400,
    ),
    ("blank query", orjson.dumps({"query": "  "}), "application/json", "BAD_REQUEST", 400),
    ("query not a string", orjson.dumps({"query": ["{"]}), "application/json", "BAD_REQUEST", 400),
    (
        "variables not an object",
        orjson.dumps({"query": CREATE, "variables": '{"input": {}}'}),
        "application/json",
        "BAD_REQUEST",
        400,
    ),
    (
        "operationName not a string",
        orjson.dumps({**CREATE_BODY, "operationName": 3}),
        "application/json",
        "BAD_REQUEST",
        400,
    ),
]


@pytest.mark.parametrize(
    ("body", "content_type", "code", "status"),
    [pytest.param(*case[1:], id=case[0]) for case in MALFORMED],
)
async def test_malformed_request(
    tenant: Tenant, body: bytes, content_type: str, code: str, status: int
) -> None:
    headers = auth(tenant)
    if content_type:
        headers["Content-Type"] = content_type
    response = await tenant.http.post("/graphql", content=body, headers=headers)
    assert_error(response, code, status)
    await assert_unchanged(tenant)


async def test_batch_is_refused_by_name(tenant: Tenant) -> None:
    response = await tenant.http.post("/graphql", json=[CREATE_BODY], headers=auth(tenant))
    body = assert_error(response, "BAD_REQUEST", 400)
    assert "Batched requests are not supported" in body["errors"][0]["message"]
    await assert_unchanged(tenant)


def _input(**fields: Any) -> dict[str, Any]:
    return {"query": CREATE, "variables": {"input": fields}}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("syntax error", {"query": "mutation { createProject("}, "BAD_REQUEST"),
    ("unknown field", {"query": "{ projects { nodes { id nope } } }"}, "BAD_REQUEST"),
    (
        "unknown mutation",
        {"query": "mutation { dropEverything(input: {}) { userErrors { code } } }"},
        "BAD_REQUEST",
    ),
    ("unknown input field", _input(slug="x-x-x", name="X", owner="me"), "VALIDATION_FAILED"),
    ("wrong variable type", _input(slug=123, name="X"), "VALIDATION_FAILED"),
    ("missing required input", _input(name="X"), "VALIDATION_FAILED"),
    ("missing variable", {"query": CREATE}, "VALIDATION_FAILED"),
    (
        "wrong argument type",
        {"query": '{ projects(first: "ten") { nodes { id } } }'},
        "BAD_REQUEST",
    ),
    ("unknown operationName", {**CREATE_BODY, "operationName": "Nope"}, "BAD_REQUEST"),
    (
        "unknown enum value",
        {
            "query": "query($s: ProjectStatus) { projects(filter: {status: $s}) { nodes { id } } }",
            "variables": {"s": "DELETED"},
        },
        "VALIDATION_FAILED",
    ),
    (
        "unknown enum literal",
        {"query": "{ projects(filter: {status: DELETED}) { nodes { id } } }"},
        "BAD_REQUEST",
    ),
    (
        "bad DateTime literal",
        {"query": '{ projects(filter: {updatedAfter: "yesterday"}) { nodes { id } } }'},
        "BAD_REQUEST",
    ),
    (
        "bad DateTime variable",
        {
            "query": "query($t: DateTime) { projects(filter: {updatedAfter: $t}) { nodes { id } } }",
            "variables": {"t": "yesterday"},
        },
        "VALIDATION_FAILED",
    ),
    (
        "DateTime without timezone",
        {
            "query": "query($t: DateTime) { projects(filter: {updatedAfter: $t}) { nodes { id } } }",
            "variables": {"t": "2026-01-01T00:00:00"},
        },
        "VALIDATION_FAILED",
    ),
    ("subscription over POST", {"query": "subscription { projectChanged }"}, "BAD_REQUEST"),
    (
        "too many tokens",
        {"query": "{ projects { nodes { " + "id " * 5000 + "} } }"},
        "QUERY_TOO_COMPLEX",
    ),
]


@pytest.mark.parametrize(
    ("body", "code"), [pytest.param(*case[1:], id=case[0]) for case in INVALID]
)
async def test_invalid_operation(tenant: Tenant, body: dict[str, Any], code: str) -> None:
    response = await tenant.http.post("/graphql", json=body, headers=auth(tenant))
    result = assert_error(response, code, 422 if code == "VALIDATION_FAILED" else 400)
    assert result.get("data") is None
    await assert_unchanged(tenant)


@pytest_asyncio.fixture(loop_scope="session")
async def shallow(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    """The same store behind an app that allows only three levels of selection."""
    app = create_app(backend.settings.model_copy(update={"max_query_depth": 3}))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await _close(app)


@pytest.mark.parametrize(
    ("query", "allowed"),
    [
        pytest.param("{ projects { nodes { id } } }", True, id="at the limit"),
        pytest.param("{ projects { edges { node { id } } } }", False, id="one level over"),
        pytest.param(
            "{ projects { ...P } } fragment P on ProjectConnection { edges { node { id } } }",
            False,
            id="over through a fragment",
        ),
        pytest.param(
            "{ projects { ... on ProjectConnection { edges { node { id } } } } }",
            False,
            id="over through an inline fragment",
        ),
    ],
)
async def test_query_depth_limit(
    tenant: Tenant, shallow: httpx.AsyncClient, query: str, allowed: bool
) -> None:
    response = await shallow.post("/graphql", json={"query": query}, headers=auth(tenant))
    if allowed:
        assert response.status_code == 200 and "errors" not in response.json(), response.text
    else:
        assert_error(response, "QUERY_TOO_COMPLEX", 400)


def _bad_checksum(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no header"),
        pytest.param("", id="empty header"),
        pytest.param("Bearer ", id="empty bearer"),
        pytest.param("Basic dXNlcjpwYXNz", id="other scheme"),
        pytest.param("Bearer not-a-key", id="malformed"),
        pytest.param("Bearer rh_live_short", id="too short"),
        pytest.param("Bearer {unknown}", id="well-formed but unknown"),
        pytest.param("Bearer {bad_checksum}", id="bad checksum"),
        pytest.param("Bearer {token}x", id="trailing garbage"),
        pytest.param("Bearer {other_env}", id="other environment"),
    ],
)
async def test_unauthenticated(tenant: Tenant, authorization: str | None) -> None:
    headers = dict(JSON)
    if authorization is not None:
        headers["Authorization"] = authorization.format(
            unknown=tokens.generate("live").token,
            bad_checksum=_bad_checksum(tenant.token),
            token=tenant.token,
            other_env=tenant.token.replace("rh_live_", "rh_test_", 1),
        )
    response = await tenant.http.post("/graphql", json=CREATE_BODY, headers=headers)
    assert_error(response, "UNAUTHENTICATED", 401)
    assert response.headers["www-authenticate"].startswith('Bearer realm="reelhouse"')
    await assert_unchanged(tenant)


async def test_unauthenticated_rest_path_uses_rest_shape(tenant: Tenant) -> None:
    response = await tenant.http.get("/v1/projects")
    assert_error(response, "UNAUTHENTICATED", 401)
    assert "www-authenticate" in response.headers


async def test_oversized_body_declared(tenant: Tenant, backend: Backend) -> None:
    limit = backend.settings.max_body_bytes
    padding = "x" * limit
    response = await tenant.http.post(
        "/graphql",
        json={**CREATE_BODY, "extensions": {"padding": padding}},
        headers=auth(tenant),
    )
    assert int(response.request.headers["content-length"]) > limit
    assert_error(response, "PAYLOAD_TOO_LARGE", 413)
    await assert_unchanged(tenant)


async def test_oversized_body_streamed_stops_reading_at_limit(
    tenant: Tenant, backend: Backend
) -> None:
    limit = backend.settings.max_body_bytes
    chunk = b" " * 65_536
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield orjson.dumps(CREATE_BODY)[:-1] + b', "padding": "'
        for _ in range(4 * limit // len(chunk)):
            sent += len(chunk)
            yield chunk
        yield b'"}'

    response = await tenant.http.post("/graphql", content=body(), headers=auth(tenant, **JSON))
    assert "content-length" not in response.request.headers
    assert_error(response, "PAYLOAD_TOO_LARGE", 413)
    assert sent <= limit + 2 * len(chunk), "the body was read far past the limit"
    await assert_unchanged(tenant)


async def test_streamed_body_within_limit_is_accepted(tenant: Tenant) -> None:
    payload = orjson.dumps(CREATE_BODY)

    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 16):
            yield payload[start : start + 16]

    response = await tenant.http.post("/graphql", content=body(), headers=auth(tenant, **JSON))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["createProject"]["userErrors"] == []


async def test_query_over_get(tenant: Tenant) -> None:
    response = await tenant.http.get(
        "/graphql",
        params={
            "query": "query($n: Int) { projects(first: $n) { nodes { id } } }",
            "variables": '{"n": 1}',
        },
        headers=auth(tenant, Accept="application/json"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"projects": {"nodes": []}}


async def test_get_with_malformed_variables(tenant: Tenant) -> None:
    response = await tenant.http.get(
        "/graphql",
        params={"query": "{ projects { nodes { id } } }", "variables": "{nope"},
        headers=auth(tenant, Accept="application/json"),
    )
    assert_error(response, "BAD_REQUEST", 400)


async def test_mutation_over_get_is_refused(tenant: Tenant) -> None:
    response = await tenant.http.get(
        "/graphql",
        params={"query": CREATE, "variables": orjson.dumps(CREATE_BODY["variables"]).decode()},
        headers=auth(tenant, Accept="application/json"),
    )
    assert_error(response, "METHOD_NOT_ALLOWED", 405)
    assert response.headers["allow"] == "POST"
    await assert_unchanged(tenant)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_on_graphql(tenant: Tenant, method: str) -> None:
    response = await tenant.http.request(method, "/graphql", json=CREATE_BODY, headers=auth(tenant))
    assert_error(response, "METHOD_NOT_ALLOWED", 405)
    assert response.headers["allow"] == "GET, POST"
    await assert_unchanged(tenant)


async def test_wrong_method_on_other_route_uses_rest_shape(tenant: Tenant) -> None:
    response = await tenant.http.post("/health", headers=auth(tenant))
    assert_error(response, "METHOD_NOT_ALLOWED", 405)
    assert "GET" in response.headers["allow"]


async def test_unknown_route(tenant: Tenant) -> None:
    response = await tenant.http.get("/no/such/route", headers=auth(tenant))
    body = assert_error(response, "NOT_FOUND", 404)
    assert set(body) == {"error"}


def assert_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    """The client sees nothing of a bug; the log has it, with its traceback, exactly once."""
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert logged[0].exc_info is not None
    assert "secret detail" in str(logged[0].exc_info[1])


async def test_resolver_bug_is_internal_without_details(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*_args: Any) -> None:
        raise RuntimeError("secret detail from /srv/reelhouse/resolvers/projects.py")

    monkeypatch.setattr(resolvers.projects, "get_project", broken)
    response = await tenant.http.post(
        "/graphql",
        json={"query": 'query { project(id: "prj_01J00000000000000000000000") { id } }'},
        headers=auth(tenant),
    )
    body = assert_error(response, "INTERNAL", 200)
    assert body["data"] == {"project": None}
    assert body["errors"][0]["message"] == "Internal server error."
    assert body["errors"][0]["path"] == ["project"]
    assert "secret detail" not in response.text and "RuntimeError" not in response.text
    assert_logged_once(caplog)


@pytest.mark.parametrize("path", ["/graphql", "/v1/projects"])
async def test_bug_before_routing_is_internal(
    tenant: Tenant,
    services: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    """A failure in the middleware (here: the key store) still answers in the contract."""

    async def broken(_token: str) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(services.keys, "authenticate", broken)
    response = await tenant.http.post(path, json=CREATE_BODY, headers=auth(tenant))
    assert_error(response, "INTERNAL", 500)
    assert "secret detail" not in response.text
    assert_logged_once(caplog)
    await assert_unchanged(tenant)


async def test_bug_in_a_route_is_internal(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: Any) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("app.http.graphql.parse_request", broken)
    response = await tenant.http.post("/graphql", json=CREATE_BODY, headers=auth(tenant))
    assert_error(response, "INTERNAL", 500)
    assert "secret detail" not in response.text
    assert_logged_once(caplog)
    await assert_unchanged(tenant)


async def test_health_and_ready(http: httpx.AsyncClient, backend: Backend) -> None:
    health = await http.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health.headers["x-request-id"].startswith("req_")
    ready = await http.get("/ready")
    assert ready.status_code == 200, ready.text
    expected = {"database": "ok"}
    if backend.settings.redis_url:
        expected["redis"] = "ok"
        expected["rate_limits"] = "ok"
        expected["key_changes"] = "ok"
    assert ready.json() == {"status": "ok", "checks": expected}


async def _close(app: Application) -> None:
    if app.services.redis is not None:
        await app.services.redis.aclose()
    await app.services.db.dispose()


@pytest_asyncio.fixture(
    loop_scope="session",
    params=[
        pytest.param("sqlite+aiosqlite:////nonexistent-reelhouse-dir/none.db", id="sqlite"),
        pytest.param("postgresql+asyncpg://postgres@127.0.0.1:1/none", id="postgres"),
    ],
)
async def unreachable(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    """An app whose store cannot be reached."""
    settings = Settings(
        database_url=request.param,
        redis_url=None,
        environment="test",
        secret_key=SecretStr(SECRET_KEY),
    )
    app = create_app(settings)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await _close(app)


async def test_ready_is_503_when_the_store_is_unreachable(
    unreachable: httpx.AsyncClient,
) -> None:
    assert (await unreachable.get("/health")).status_code == 200
    ready = await unreachable.get("/ready")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("error: ")


async def test_requests_are_service_unavailable_when_the_store_is_unreachable(
    unreachable: httpx.AsyncClient,
) -> None:
    """Not a bug of ours (500): the client should come back later (``Retry-After``)."""
    token = tokens.generate("live").token
    headers = {"Authorization": f"Bearer {token}"}
    for response in (
        await unreachable.post("/graphql", json=CREATE_BODY, headers=headers),
        await unreachable.get("/v1/projects", headers=headers),
    ):
        assert_error(response, "SERVICE_UNAVAILABLE", 503)
        assert int(response.headers["retry-after"]) > 0


ASSET_RE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


async def test_graphiql_page_and_every_asset_are_served_locally(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "GraphiQL" in html
    assert not re.search(r"""["'(]\s*(?:https?:)?//""", html), "the page must work offline"
    assets = [a for a in ASSET_RE.findall(html) if a != "data:,"]  # no favicon to fetch
    assert {a.rsplit(".", 1)[-1] for a in assets} == {"css", "js"}
    for asset in assets:
        assert asset.startswith("/static/graphiql/"), asset
        response = await http.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset
        kind = "css" if asset.endswith(".css") else "javascript"
        assert kind in response.headers["content-type"], asset


async def test_graphiql_only_for_browsers(http: httpx.AsyncClient) -> None:
    """Without ``Accept: text/html`` a GET is an API call and needs a key."""
    response = await http.get("/graphql", params={"query": "{ __typename }"})
    assert_error(response, "UNAUTHENTICATED", 401)
