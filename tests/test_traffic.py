"""Traffic control: the cost of operations, rate limits per credential and per address, the
headers and ``extensions.cost`` that report them, on both transports and both backends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
    parse,
)

from app.auth.scopes import Scope
from app.cli import main
from app.factory import create_app
from app.settings import Settings
from app.traffic.cost import CostDeclarationError, CostModel, TooManyFields
from app.traffic.record import STATE_KEY, RequestTraffic
from rest_compat.endpoints import Endpoint
from rest_compat.naming import snake
from rest_compat.routes import Kind
from schema import build_schema
from tests.api_client import Api, find_endpoint, rest_api
from tests.conftest import Backend, Tenant
from tests.proxy import TcpProxy

SCHEMA = build_schema()


def price(document: str, variables: dict[str, Any] | None = None) -> int:
    plan = SCHEMA.costs.compile(parse(document), None)
    assert plan is not None
    return plan.requested(variables)


# The cost model, rule by rule.


@pytest.mark.parametrize(
    ("document", "variables", "cost"),
    [
        ("{ viewer { credentialId } }", None, 1),
        ("{ projects(first: 10) { nodes { id } pageInfo { hasNextPage } } }", None, 12),
        ("{ projects { edges { cursor node { id name } } } }", None, 26),
        ("{ projects(last: 3) { nodes { id } } }", None, 4),
        ("{ projects(first: 5) { nodes { characters { id } } } }", None, 506),
        (
            "{ a: projects(first: 2) { nodes { id } } b: projects(first: 3) { nodes { id } } }",
            None,
            7,
        ),
        (
            "{ projects(first: 2) { ...Page } } fragment Page on ProjectConnection { nodes { id } }",
            None,
            3,
        ),
        (
            "query($skip: Boolean!) { projects(first: 4) @skip(if: $skip) { nodes { id } } "
            "viewer { credentialId } }",
            {"skip": True},
            1,
        ),
        (
            "query($skip: Boolean!) { projects(first: 4) @skip(if: $skip) { nodes { id } } "
            "viewer { credentialId } }",
            {"skip": False},
            6,
        ),
        (
            "query($on: Boolean!) { viewer { credentialId } ... @include(if: $on) { "
            "projects(first: 9) { nodes { id } } } }",
            {"on": False},
            1,
        ),
        ("query($n: Int) { projects(first: $n) { nodes { id } } }", {"n": 50}, 51),
        ("query($n: Int) { projects(first: $n) { nodes { id } } }", {"n": 100_000}, 101),
        (
            "{ projects(first: 2) { nodes { scenes { segments { characters { id } } } } } }",
            None,
            1 + 2 * (1 + 100 * (1 + 100 * (1 + 100))),
        ),
        (
            '{ node(id: "x") { ... on Project { characters { id } } '
            "... on Scene { segments { id } } } }",
            None,
            101,
        ),
        ("{ __schema { types { name } } }", None, 50),
        (
            "mutation($input: CreateProjectInput!) { createProject(input: $input) "
            "{ project { id } userErrors { field message } } }",
            {"input": {}},
            11,
        ),
        (
            "mutation($input: IngestTelemetryInput!) { ingestTelemetry(input: $input) "
            "{ accepted } }",
            {"input": {"events": [{}] * 500}},
            60,
        ),
        (
            "mutation($input: IngestTelemetryInput!) { ingestTelemetry(input: $input) "
            "{ accepted } }",
            {"input": {"events": [{}] * 7}},
            11,
        ),
    ],
)
def test_cost_rules(document: str, variables: dict[str, Any] | None, cost: int) -> None:
    assert price(document, variables) == cost


def test_actual_cost_counts_what_came_back() -> None:
    plan = SCHEMA.costs.compile(
        parse("{ projects(first: 50) { nodes { id characters { id } } pageInfo { endCursor } } }"),
        None,
    )
    assert plan is not None
    assert plan.requested(None) == 1 + 50 * 101 + 1
    data = {
        "projects": {
            "nodes": [{"id": "a", "characters": [{"id": "c"}]}, {"id": "b", "characters": []}],
            "pageInfo": {"endCursor": None},
        }
    }
    assert plan.actual(data, None) == 1 + (1 + 1) + 1 + 1


def test_a_plain_list_without_a_bound_is_refused_at_start_up() -> None:
    declared = dict(SCHEMA.costs.declared)
    del declared[("Project", "characters")]
    with pytest.raises(CostDeclarationError, match=r"Project\.characters"):
        CostModel(SCHEMA.costs.schema, declared, SCHEMA.costs.paging)


def test_a_fragment_bomb_is_refused_unpriced() -> None:
    levels = 8
    fragments = [
        f"fragment F{i} on Project {{ "
        + " ".join(f"a{j}: scenes {{ project {{ ...F{i + 1} }} }}" for j in range(6))
        + " }"
        for i in range(levels)
    ]
    fragments.append(f"fragment F{levels} on Project {{ id }}")
    document = '{ project(id: "x") { ...F0 } } ' + " ".join(fragments)
    with pytest.raises(TooManyFields):
        SCHEMA.costs.compile(parse(document), None)


# Over HTTP, both transports.


async def limited(tenant: Tenant, transport: str, **limits: int) -> Api:
    token = await tenant.key(Scope.ADMIN, **limits)
    return Api(tenant.http, token, transport, tenant)


RATE_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-resource",
    "ratelimit-policy",
    "ratelimit",
)


async def test_every_response_carries_the_rate_limit_headers(
    tenant: Tenant, transport: str
) -> None:
    api = await limited(tenant, transport, read_rate_limit=500, write_rate_limit=40)
    created = await api.create("projects", {"name": "Headers", "slug": "headers"})
    project = created.ok()
    assert created.headers["x-ratelimit-resource"] == "write"
    assert created.headers["x-ratelimit-limit"] == "40"
    assert created.headers["ratelimit-policy"] == '"write";q=40;w=60'
    read = await api.get("projects", project["id"])
    read.ok()
    for name in RATE_HEADERS:
        assert name in read.headers, name
    assert read.headers["x-ratelimit-resource"] == "read"
    assert read.headers["x-ratelimit-limit"] == "500"
    remaining = int(read.headers["x-ratelimit-remaining"])
    assert 490 <= remaining < 500
    assert read.headers["ratelimit"].startswith(f'"read";r={remaining};t=')
    missing = await api.get("projects", "prj_missing")
    assert missing.error == "NOT_FOUND"
    assert missing.headers["x-ratelimit-resource"] == "read"


async def test_over_the_limit_is_429_with_retry_after(tenant: Tenant, transport: str) -> None:
    api = await limited(tenant, transport, read_rate_limit=12)
    project = (await api.create("projects", {"name": "Limited", "slug": "limited"})).ok()
    outcomes = [await api.get("projects", project["id"]) for _ in range(16)]
    refused = [o for o in outcomes if o.error is not None]
    assert refused, "12 points a minute cannot pay for 16 reads"
    first = refused[0]
    assert first.error == "RATE_LIMIT_EXCEEDED"
    assert first.status == 429
    assert int(first.headers["retry-after"]) >= 1
    assert first.headers["x-ratelimit-remaining"] == "0"
    admitted = len(outcomes) - len(refused)
    assert 12 <= admitted <= 13
    other = await limited(tenant, transport, read_rate_limit=12)
    (await other.get("projects", project["id"])).ok()


async def test_graphql_reports_cost_and_refunds_what_was_not_returned(tenant: Tenant) -> None:
    token = await tenant.key(Scope.ADMIN, read_rate_limit=600)
    await tenant.gql(
        'mutation { createProject(input: {name: "Refund", slug: "refund"}) { project { id } } }',
        token=token,
    )
    result = await tenant.gql(
        "{ projects(first: 100) { nodes { id } pageInfo { hasNextPage } } }", token=token
    )
    cost = result.body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 102
    assert cost["actualQueryCost"] == 3
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] == 600
    assert status["restoreRate"] == 10
    assert 595 <= status["currentlyAvailable"] <= 600
    assert int(result.headers["x-ratelimit-remaining"]) == status["currentlyAvailable"]


async def test_too_complex_is_refused_before_execution(
    strict_app: httpx.AsyncClient, tenant: Tenant, transport: str
) -> None:
    token = await tenant.key(Scope.ADMIN, read_rate_limit=5000)
    api = Api(strict_app, token, transport, tenant)
    outcome = await api.list("manifests", limit=100)
    assert outcome.error == "QUERY_TOO_COMPLEX"
    assert outcome.status == 400
    assert "2502" in outcome.message and "1000" in outcome.message
    fits = await api.list("manifests", limit=30)
    assert fits.error is None


async def test_an_alias_bomb_of_plain_lists_is_refused(
    strict_app: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await tenant.gql(
        'mutation { createProject(input: {name: "Bomb", slug: "bomb"}) { project { id } } }'
    )
    project_id = created.ok()["createProject"]["project"]["id"]
    headers = {"Authorization": f"Bearer {tenant.token}"}
    roots = " ".join(
        f'a{i}: project(id: "{project_id}") {{ characters {{ id name metadata }} }}'
        for i in range(245)
    )
    response = await strict_app.post("/graphql", json={"query": f"{{ {roots} }}"}, headers=headers)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "245 root fields" in error["message"], "the root-field limit stops it first"
    nested = " ".join(f"a{i}: characters {{ id name metadata }}" for i in range(245))
    query = f'{{ project(id: "{project_id}") {{ {nested} }} }}'
    response = await strict_app.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "24501" in error["message"], "within the shape limits, the cost refuses it"
    assert response.json()["data"] is None


async def test_a_query_dearer_than_the_whole_bucket_says_so(tenant: Tenant) -> None:
    token = await tenant.key(Scope.ADMIN, read_rate_limit=50)
    result = await tenant.gql("{ projects(first: 100) { nodes { id } } }", token=token)
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert "101" in result.errors[0]["message"] and "50" in result.errors[0]["message"]


async def test_rate_limit_costs_nothing_and_shows_both_buckets(
    tenant: Tenant, transport: str
) -> None:
    api = await limited(tenant, transport, read_rate_limit=77, write_rate_limit=30)
    endpoint = find_endpoint("rate_limit", Kind.QUERY)
    seen = [(await api.call(endpoint, {})).ok() for _ in range(3)]
    for status in seen:
        assert status["cost"] == 0
        assert (status["read"]["limit"], status["read"]["remaining"]) == (77, 77)
        assert (status["write"]["limit"], status["write"]["remaining"]) == (30, 30)
        assert status["read"]["resource"] == "read"
    (await api.create("projects", {"name": "Spend", "slug": "spend"})).ok()
    after = (await api.call(endpoint, {})).ok()
    assert after["write"]["remaining"] < 30
    assert after["read"]["remaining"] == 77


async def test_usage_counts_today_per_organisation_and_credential(
    make_tenant: Any, transport: str
) -> None:
    tenant = await make_tenant()
    api = await limited(tenant, transport)
    other = await limited(tenant, transport)
    for _ in range(3):
        await api.list("projects")
    await other.list("projects")
    usage = (await api.call(find_endpoint("usage", Kind.QUERY), {})).ok()
    viewer = await tenant.gql("{ viewer { credentialId } }", token=api.token)
    key_id = viewer.ok()["viewer"]["credentialId"]
    per_key = {c["credential_id"]: c["requests"] for c in usage["credentials"]}
    assert per_key[key_id] == 4
    assert sorted(per_key.values()) == [1, 4]
    assert usage["requests"] == 5
    assert usage["request_quota"] == 100_000
    assert usage["webhook_delivery_quota"] == 5_000
    assert usage["day"] == datetime.now(UTC).date().isoformat()


@pytest_asyncio.fixture(loop_scope="session")
async def captured(backend: Backend) -> AsyncIterator[tuple[httpx.AsyncClient, list[Any]]]:
    """A client whose requests leave their ``RequestTraffic`` in the list."""
    records: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await backend.app(scope, receive, send)
        records.append((scope.get("state") or {}).get(STATE_KEY))

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client, records


def _value(type_: Any, name: str) -> Any:
    """A value of ``type_`` the REST binder accepts (the resolver may then refuse it)."""
    if is_non_null_type(type_):
        type_ = type_.of_type
    if is_list_type(type_):
        return [_value(type_.of_type, name) for _ in range(3)]
    named = get_named_type(type_)
    if is_input_object_type(named):
        return _body(named)
    if is_enum_type(named):
        return next(iter(named.values)).lower()
    return {
        "Int": 1,
        "Float": 1.5,
        "Boolean": True,
        "DateTime": "2026-01-01T00:00:00Z",
        "JSON": {},
        "BigInt": 1,
    }.get(named.name, "x")


def _body(type_: GraphQLInputObjectType) -> dict[str, Any]:
    return {
        snake(name): _value(field.type, name)
        for name, field in type_.fields.items()
        if is_non_null_type(field.type)
    }


def _rest_request(endpoint: Endpoint) -> tuple[dict[str, str], list[tuple[str, str]], Any]:
    path = {p.name: "x" for p in endpoint.binder.path_params}
    if endpoint.route.kind is Kind.LIST:
        return path, [("limit", "7")], None
    if endpoint.route.operation == "query":
        return path, [], None
    input_type: GraphQLInputType = endpoint.field.args["input"].type
    body = _body(get_named_type(input_type))  # type: ignore[arg-type]
    for param in endpoint.binder.path_params:
        body.pop(snake(param.target[-1]), None)
    return path, [], body


async def test_every_rest_route_costs_what_its_graphql_document_costs(
    tenant: Tenant, captured: tuple[httpx.AsyncClient, list[Any]]
) -> None:
    client, records = captured
    headers = {"Authorization": f"Bearer {tenant.token}"}
    compared = []
    for endpoint in rest_api().endpoints:
        path, query, body = _rest_request(endpoint)
        url = endpoint.route.path.format(**path)
        records.clear()
        response = await client.request(
            endpoint.route.method, url, params=query, json=body, headers=headers
        )
        record = records[-1]
        assert isinstance(record, RequestTraffic)
        assert record.requested_cost is not None, (endpoint.route.key, response.text)
        variables = endpoint.binder.bind(path, query, body).variables
        graphql = await client.post(
            "/graphql", json={"query": endpoint.document, "variables": variables}, headers=headers
        )
        cost = graphql.json()["extensions"]["cost"]
        assert cost["requestedQueryCost"] == record.requested_cost, endpoint.route.key
        compared.append(endpoint.route.key)
    assert len(compared) == len(rest_api().endpoints)


async def test_a_304_costs_less_than_the_read(
    tenant: Tenant, captured: tuple[httpx.AsyncClient, list[Any]]
) -> None:
    client, records = captured
    headers = {"Authorization": f"Bearer {tenant.token}"}
    created = await tenant.gql(
        'mutation { createProject(input: {name: "Etag", slug: "etag"}) { project { id } } }'
    )
    project_id = created.ok()["createProject"]["project"]["id"]
    template = await tenant.gql(
        "mutation($input: CreateTemplateInput!) { createTemplate(input: $input) "
        "{ template { id } userErrors { message } } }",
        {
            "input": {
                "projectId": project_id,
                "name": "T",
                "style": {"color": "{{tone}}"},
                "variables": [{"key": "tone", "type": "COLOR"}],
            }
        },
    )
    template_id = template.ok()["createTemplate"]["template"]["id"]
    first = await client.get(f"/v1/templates/{template_id}", headers=headers)
    assert first.status_code == 200
    full = records[-1]
    again = await client.get(
        f"/v1/templates/{template_id}", headers={**headers, "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert "x-ratelimit-remaining" in again.headers
    not_modified = records[-1]
    assert full.charged > 1
    assert not_modified.charged == 1
    assert not_modified.requested_cost == full.requested_cost


@pytest_asyncio.fixture(loop_scope="session")
async def strict_app(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    """The backend's store with the default cost ceiling and tight limits, on a Redis
    namespace of its own."""
    settings = backend.settings.model_copy(
        update={
            "max_query_cost": Settings.model_fields["max_query_cost"].default,
            "rate_limit_anonymous_per_minute": 5,
            "rate_limit_read_per_minute": 20,
            "daily_request_quota": 30,
            "redis_prefix": backend.settings.redis_prefix + "strict:",
        }
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await app.services.close()


async def test_requests_without_a_valid_key_are_throttled_per_address(
    strict_app: httpx.AsyncClient, tenant: Tenant
) -> None:
    statuses = []
    for _ in range(8):
        response = await strict_app.get("/v1/projects", headers={"Authorization": "Bearer nope"})
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[-1] == 429
    refused = await strict_app.get("/v1/projects", headers={"Authorization": "Bearer nope"})
    assert refused.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(refused.headers["retry-after"]) >= 1
    assert (await strict_app.get("/health")).status_code == 200


async def test_default_limits_apply_to_keys_without_their_own(
    strict_app: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {"Authorization": f"Bearer {tenant.token}"}
    response = await strict_app.get("/v1/me", headers=headers)
    assert response.headers["x-ratelimit-limit"] == "20"
    responses = await asyncio.gather(
        *(strict_app.get("/v1/me", headers=headers) for _ in range(25))
    )
    assert sum(r.status_code == 429 for r in responses) >= 5


async def test_an_admin_raises_a_keys_limits_over_both_transports_and_the_cli(
    tenant: Tenant, backend: Backend, transport: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api = await limited(tenant, transport, read_rate_limit=30)
    viewer = await tenant.gql("{ viewer { credentialId } }", token=api.token)
    key_id = viewer.ok()["viewer"]["credentialId"]
    admin = Api(tenant.http, tenant.token, transport, tenant)
    (await admin.update("api_keys", key_id, {"read_rate_limit": 90})).ok()
    await _noticed(backend)
    seen = await tenant.gql("{ viewer { credentialId } }", token=api.token)
    assert seen.headers["x-ratelimit-limit"] == "90"
    code = await asyncio.to_thread(
        main, ["keys", "limits", key_id, "--read", "45", "--write", "9"], backend.settings
    )
    out, _ = capsys.readouterr()
    assert code == 0 and "read 45, write 9" in out
    await _noticed(backend)
    seen = await tenant.gql("{ viewer { credentialId } }", token=api.token)
    assert seen.headers["x-ratelimit-limit"] == "45"
    code = await asyncio.to_thread(
        main, ["keys", "limits", key_id, "--read", "default"], backend.settings
    )
    assert code == 0
    await _noticed(backend)
    seen = await tenant.gql("{ viewer { credentialId } }", token=api.token)
    assert seen.headers["x-ratelimit-limit"] == str(backend.settings.rate_limit_read_per_minute)


async def _noticed(backend: Backend) -> None:
    """What another process changed reaches this one's key cache (Redis message, or the
    SQLite poll)."""
    services = backend.app.services
    if services.key_poller is not None:
        await services.key_poller.poll()
    else:
        await asyncio.sleep(0.3)


async def test_the_daily_quota_is_429_until_midnight_utc(
    strict_app: httpx.AsyncClient, make_tenant: Any
) -> None:
    tenant = await make_tenant()
    token = await tenant.key(Scope.ADMIN, read_rate_limit=1000)
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [(await strict_app.get("/v1/me", headers=headers)).status_code for _ in range(30)]
    assert statuses == [200] * 30
    over = await strict_app.get("/v1/me", headers=headers)
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "QUOTA_EXCEEDED"
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert abs(int(over.headers["retry-after"]) - (midnight - now).total_seconds()) < 5
    graphql = await strict_app.post(
        "/graphql", json={"query": "{ viewer { credentialId } }"}, headers=headers
    )
    assert graphql.status_code == 429
    assert graphql.json()["errors"][0]["extensions"]["code"] == "QUOTA_EXCEEDED"


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_without_redis_limits_hold_per_process_and_ready_says_degraded(
    tenant: Tenant, backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    settings = backend.settings
    assert settings.redis_url is not None
    async with TcpProxy.to(settings.redis_url) as proxy:
        app = create_app(
            settings.model_copy(
                update={
                    "redis_url": proxy.url(settings.redis_url),
                    "redis_prefix": settings.redis_prefix + "failopen:",
                }
            )
        )
        transport = httpx.ASGITransport(app=app)
        token = await tenant.key(Scope.ADMIN, read_rate_limit=8)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                assert (await client.get("/v1/me", headers=headers)).status_code == 200
                await proxy.cut()
                caplog.clear()
                statuses = [
                    (await client.get("/v1/me", headers=headers)).status_code for _ in range(12)
                ]
                assert statuses[0] == 200 and statuses[-1] == 429
                warnings = [r for r in caplog.records if "Redis is unreachable" in r.message]
                assert len(warnings) == 1
                ready = (await client.get("/ready")).json()
                assert ready["checks"]["rate_limits"].startswith("degraded")
                await proxy.restore()
        finally:
            await app.services.close()


async def test_quotas_beyond_graphql_int_are_shown_at_its_maximum(
    backend: Backend, tenant: Tenant
) -> None:
    """GraphQL's `Int` is 32-bit: an operator's quota above it must not fail `usage`."""
    settings = backend.settings.model_copy(
        update={"daily_request_quota": 10**12, "daily_webhook_quota": 10**12}
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.post(
                "/graphql",
                json={"query": "{ usage { requestQuota webhookDeliveryQuota } }"},
                headers={"Authorization": f"Bearer {tenant.token}"},
            )
    finally:
        await app.services.close()
    assert response.json() == {
        "data": {"usage": {"requestQuota": 2**31 - 1, "webhookDeliveryQuota": 2**31 - 1}},
        "extensions": response.json().get("extensions"),
    }
