"""Input that once reached 500 on PostgreSQL: NUL characters anywhere, racing creates of one
slug, and a document holding two operations without ``operationName``."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from tests.api_client import Api
from tests.api_fixtures import ONLY_GRAPHQL, alternating
from tests.conftest import Tenant
from tests.events_fixtures import GraphQLSocket

pytest_plugins = ["tests.events_fixtures"]

NUL = "a\u0000b"


@pytest.mark.parametrize(
    ("transport", "case"),
    alternating(["create", "id", "filter", "metadata key", "update", "cursor"]),
)
async def test_nul_anywhere_in_the_input_is_refused_with_its_field(api: Api, case: str) -> None:
    project = (await api.create("projects", {"slug": "nul-host", "name": "N"})).ok()["id"]
    if case == "create":
        outcome = await api.create("projects", {"slug": "nul-name", "name": NUL})
        field = "name"
    elif case == "id":
        outcome = await api.get("projects", "prj_" + NUL)
        field = "id"
    elif case == "filter":
        outcome = await api.list("projects", slug=NUL)
        field = "slug"
    elif case == "metadata key":
        outcome = await api.update("projects", project, {"metadata": {NUL: 1}})
        field = "metadata"
    elif case == "update":
        outcome = await api.create("characters", {"name": "C", "description": NUL}, parent=project)
        field = "description"
    else:
        outcome = await api.list("projects", cursor=NUL)
        field = "cursor"
    assert outcome.error == "VALIDATION_FAILED", outcome
    assert [f for f, _ in outcome.fields] == [field]
    assert outcome.status == 422, "refused before execution, on either transport"
    assert [p["id"] for p in (await api.list("projects")).ok()] == [project]


@ONLY_GRAPHQL
async def test_nul_in_a_document_literal_is_refused(api: Api, tenant: Tenant) -> None:
    result = await tenant.gql('{ project(id: "prj_\\u0000") { id } }')
    assert result.status == 422 and result.codes == ["VALIDATION_FAILED"]
    escaped = await tenant.gql(
        'mutation { createProject(input: {slug: "lit", name: "x\\u0000"}) { project { id } } }'
    )
    assert escaped.codes == ["VALIDATION_FAILED"]


async def test_nul_in_subscription_variables_is_refused(tenant: Tenant, server: str) -> None:
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        await socket.subscribe(
            "1", "subscription($p: ID) { events(projectId: $p) { id } }", {"p": "prj_" + NUL}
        )
        message = await socket.receive()
        assert message["type"] == "error" and message["id"] == "1"
        [error] = message["payload"]
        assert error["extensions"]["code"] == "VALIDATION_FAILED"
        assert error["extensions"]["fields"][0]["field"] == ["p"]
        assert await socket.until_pong() == []


async def test_racing_creates_of_one_slug_are_taken_not_500(api: Api) -> None:
    """Each create checks the slug, then inserts; on PostgreSQL they overlap, and the unique
    constraint decides. (SQLite serialises write transactions, so there they queue.)"""
    outcomes = await asyncio.gather(
        *[api.create("projects", {"slug": "contested", "name": f"n{i}"}) for i in range(40)]
    )
    seen = Counter((o.error, tuple(o.fields)) for o in outcomes)
    assert seen == {
        (None, ()): 1,
        ("VALIDATION_FAILED", (("slug", "TAKEN"),)): 39,
    }, seen
    assert all(o.status in (200, 201, 422) for o in outcomes)


async def test_racing_renames_to_one_slug_are_taken_not_500(api: Api) -> None:
    ids = [
        (await api.create("projects", {"slug": f"renamed-{i}", "name": "R"})).ok()["id"]
        for i in range(12)
    ]
    outcomes = await asyncio.gather(*[api.update("projects", i, {"slug": "one-name"}) for i in ids])
    assert Counter(o.error for o in outcomes) == {None: 1, "VALIDATION_FAILED": 11}
    assert {tuple(o.fields) for o in outcomes if o.error} == {(("slug", "TAKEN"),)}


TWO_OPERATIONS = "query A { projects { nodes { id } } } query B { events { nodes { id } } }"


@ONLY_GRAPHQL
async def test_two_operations_need_an_operation_name(api: Api, tenant: Tenant) -> None:
    response = await tenant.http.post(
        "/graphql",
        json={"query": TWO_OPERATIONS},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    assert response.status_code == 400
    body: Any = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "operationName" in body["errors"][0]["message"]
    named = await tenant.http.post(
        "/graphql",
        json={"query": TWO_OPERATIONS, "operationName": "B"},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    assert named.status_code == 200 and set(named.json()["data"]) == {"events"}
    for method in ("GET",):
        got = await tenant.http.request(
            method,
            "/graphql",
            params={"query": TWO_OPERATIONS},
            headers={"Authorization": f"Bearer {tenant.token}"},
        )
        assert got.status_code == 400


async def test_two_subscriptions_need_an_operation_name(tenant: Tenant, server: str) -> None:
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        await socket.subscribe(
            "1", "subscription A { events { id } } subscription B { events { type } }"
        )
        message = await socket.receive()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
