"""Request limits a hostile or careless client meets before anything runs: aliases, root fields
and directives per operation, list inputs, the size of variables, the query string and a
WebSocket message, and a body trickled in too slowly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.factory import create_app
from app.settings import Settings
from tests.api_client import Api
from tests.api_fixtures import ONLY_GRAPHQL, ONLY_REST
from tests.conftest import Backend, Tenant
from tests.content_fixtures import create_project, create_scene
from tests.events_fixtures import GraphQLSocket, serve

pytest_plugins = ["tests.events_fixtures"]

DEFAULTS = Settings.model_fields
MAX_ALIASES = DEFAULTS["max_aliases"].default
MAX_ROOT_FIELDS = DEFAULTS["max_root_fields"].default
MAX_LIST_ITEMS = DEFAULTS["max_list_items"].default


def auth(tenant: Tenant) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.token}"}


@pytest_asyncio.fixture(loop_scope="session")
async def limited(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    """The backend's store behind an app with the default document limits."""
    app = create_app(backend.settings.model_copy(update={"max_aliases": MAX_ALIASES}))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await app.services.close()


async def _post(client: httpx.AsyncClient, tenant: Tenant, query: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers=auth(tenant))


def _refused(response: httpx.Response, code: str, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == [code], body
    assert body.get("data") is None
    return body


def _aliases(count: int) -> str:
    return "viewer { " + " ".join(f"a{i}: scopes" for i in range(count)) + " }"


async def test_aliases_per_operation_are_limited(
    limited: httpx.AsyncClient, tenant: Tenant
) -> None:
    at_limit = await _post(limited, tenant, f"{{ {_aliases(MAX_ALIASES)} }}")
    assert at_limit.status_code == 200 and "errors" not in at_limit.json(), at_limit.text
    over = await _post(limited, tenant, f"{{ {_aliases(MAX_ALIASES + 1)} }}")
    body = _refused(over, "QUERY_TOO_COMPLEX", 400)
    assert f"the limit is {MAX_ALIASES}" in body["errors"][0]["message"]


async def test_aliases_count_each_time_their_fragment_is_spread(
    limited: httpx.AsyncClient, tenant: Tenant
) -> None:
    half = MAX_ALIASES // 2
    fields = " ".join(f"c{i}: id" for i in range(half))
    fragment = f"fragment F on Project {{ {fields} }}"
    once = f"{{ x: projects(first: 1) {{ nodes {{ ...F }} }} }} {fragment}"
    assert (await _post(limited, tenant, once)).status_code == 200
    twice = (
        f"{{ x: projects(first: 1) {{ nodes {{ ...F }} }} "
        f"y: projects(first: 1) {{ nodes {{ ...F }} }} }} {fragment}"
    )
    _refused(await _post(limited, tenant, twice), "QUERY_TOO_COMPLEX", 400)


async def test_root_fields_per_operation_are_limited(
    limited: httpx.AsyncClient, tenant: Tenant
) -> None:
    fields = ["viewer { __typename }"] + ["__typename"] * MAX_ROOT_FIELDS
    _refused(await _post(limited, tenant, f"{{ {' '.join(fields)} }}"), "QUERY_TOO_COMPLEX", 400)
    allowed = await _post(limited, tenant, f"{{ {' '.join(fields[:MAX_ROOT_FIELDS])} }}")
    assert allowed.status_code == 200, allowed.text


async def test_directives_per_field_are_limited(limited: httpx.AsyncClient, tenant: Tenant) -> None:
    """Repeating a directive is invalid anyway, but each repeat was one more error in the
    answer; over the limit the answer is that one refusal."""
    allowed = await _post(
        limited, tenant, "{ viewer @include(if: true) @skip(if: false) { scopes } }"
    )
    assert allowed.status_code == 200, allowed.text
    six = " ".join(["@include(if: true)"] * 6)
    _refused(
        await _post(limited, tenant, f"{{ viewer {six} {{ scopes }} }}"), "QUERY_TOO_COMPLEX", 400
    )


async def test_list_inputs_are_limited_with_the_lists_path(api: Api) -> None:
    project = await create_project(api, "long-lists")
    scene = await create_scene(api, project, "S")
    ids = [f"chr_{i:026d}" for i in range(MAX_LIST_ITEMS + 1)]
    outcome = await api.create("segments", {"text": "t", "character_ids": ids}, parent=scene["id"])
    assert outcome.error == "VALIDATION_FAILED", outcome
    assert outcome.status == 422
    assert outcome.fields == [("character_ids", "TOO_LONG")]
    assert (await api.list("segments", parent=scene["id"])).ok() == []


@ONLY_GRAPHQL
async def test_graphql_list_literals_are_limited(api: Api, tenant: Tenant) -> None:
    ids = ", ".join(f'"chr_{i}"' for i in range(MAX_LIST_ITEMS + 1))
    result = await tenant.gql(
        f'mutation {{ createSegment(input: {{sceneId: "scn_1", characterIds: [{ids}]}}) '
        "{ segment { id } } }"
    )
    assert result.status == 422 and result.codes == ["VALIDATION_FAILED"], result.body
    fields = result.errors[0]["extensions"]["fields"]
    assert [f["field"] for f in fields] == [["input", "characterIds"]]


async def test_json_arrays_are_not_list_inputs(api: Api) -> None:
    """A JSON value's arrays answer to the JSON limits, not the list-input limit."""
    project = await create_project(api, "json-arrays")
    updated = await api.update("projects", project, {"metadata": {"frames": list(range(600))}})
    assert updated.ok()["metadata"]["frames"][-1] == 599


SMALL_VARIABLES = 64 * 1024
"""A variables cap below the body cap (by default they are equal), so it is what refuses."""


@pytest_asyncio.fixture(loop_scope="session")
async def small_variables(backend: Backend) -> AsyncIterator[Any]:
    app = create_app(backend.settings.model_copy(update={"max_variables_bytes": SMALL_VARIABLES}))
    try:
        yield app
    finally:
        await app.services.close()


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_large_variables_are_refused_with_413(
    small_variables: Any, tenant: Tenant, transport: str
) -> None:
    huge = "x" * (SMALL_VARIABLES + 1)
    asgi = httpx.ASGITransport(app=small_variables)
    async with httpx.AsyncClient(transport=asgi, base_url="http://testserver") as client:
        api = Api(client, tenant.token, transport, tenant)
        outcome = await api.create("projects", {"slug": "huge-vars", "name": huge})
        assert (outcome.status, outcome.error) == (413, "PAYLOAD_TOO_LARGE"), outcome
        assert (await api.list("projects", slug="huge-vars")).ok() == []


@pytest.mark.parametrize(
    "path", ["/graphql?query={__typename}&pad=", "/v1/projects?name="], ids=["graphql", "rest"]
)
async def test_long_query_strings_are_refused_with_414(tenant: Tenant, path: str) -> None:
    limit = DEFAULTS["max_query_string_bytes"].default
    response = await tenant.http.get(path + "x" * limit, headers=auth(tenant))
    assert response.status_code == 414, response.text
    body = response.json()
    code = body["errors"][0]["extensions"]["code"] if "errors" in body else body["error"]["code"]
    assert code == "BAD_REQUEST"
    short = await tenant.http.get(path + "x", headers=auth(tenant))
    assert short.status_code != 414


async def test_an_oversized_websocket_message_closes_with_4400(
    tenant: Tenant, server: str, backend: Backend
) -> None:
    async with GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        padding = "x" * (backend.settings.max_body_bytes + 1)
        await socket.subscribe("1", "subscription { events { id } }", {"pad": padding})
        assert await socket.closed_with() == 4400


async def test_large_subscription_variables_are_refused(
    tenant: Tenant, small_variables: Any
) -> None:
    async with serve(small_variables) as server, GraphQLSocket.connect(server) as socket:
        await socket.init(tenant.token)
        padding = "x" * (SMALL_VARIABLES + 1)
        await socket.subscribe("1", "subscription { events { id } }", {"pad": padding})
        message = await socket.receive()
        assert (message["type"], message["id"]) == ("error", "1"), message
        assert message["payload"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert await socket.until_pong() == [], "the connection stays open"


async def _trickle(client: httpx.AsyncClient, tenant: Tenant, path: str) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }"'
        await asyncio.sleep(5)
        yield b"}"

    return await client.post(
        path,
        content=body(),
        headers={**auth(tenant), "Content-Type": "application/json", "Content-Length": "27"},
    )


@pytest_asyncio.fixture(loop_scope="session")
async def impatient(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(backend.settings.model_copy(update={"body_read_timeout_seconds": 0.3}))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await app.services.close()


@pytest.mark.parametrize("path", ["/graphql", "/v1/projects"])
async def test_a_trickled_body_is_cut_off_with_408(
    impatient: httpx.AsyncClient, tenant: Tenant, path: str
) -> None:
    response = await asyncio.wait_for(_trickle(impatient, tenant, path), 3)
    assert response.status_code == 408, response.text
    assert response.headers["connection"] == "close"
    body = response.json()
    code = body["errors"][0]["extensions"]["code"] if "errors" in body else body["error"]["code"]
    assert code == "BAD_REQUEST"


@ONLY_REST
async def test_rest_documents_stay_within_the_document_limits(api: Api) -> None:
    from graphql import OperationDefinitionNode, parse

    from schema.extensions import SelectionCounter
    from tests.api_client import rest_api

    for endpoint in rest_api().endpoints:
        document = parse(endpoint.document)
        counter = SelectionCounter(document)
        [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        assert counter.aliases(operation.selection_set) <= MAX_ALIASES, endpoint.route.path
        assert counter.roots(operation.selection_set) <= MAX_ROOT_FIELDS, endpoint.route.path


RESPONSE_LIMIT = 300_000


@pytest_asyncio.fixture(loop_scope="session")
async def roomy(backend: Backend, tenant: Tenant, transport: str) -> AsyncIterator[Api]:
    """The shared app's generous limits, but a 300 KB ceiling on answers."""
    settings = backend.settings.model_copy(update={"max_response_bytes": RESPONSE_LIMIT})
    app = create_app(settings)
    try:
        asgi = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=asgi, base_url="http://testserver") as client:
            yield Api(client, tenant.token, transport, tenant)
    finally:
        await app.services.close()


BLOB = {"blob": "x" * 40_000}


async def test_a_runaway_answer_is_stopped(roomy: Api) -> None:
    for i in range(10):
        created = await roomy.create(
            "projects", {"slug": f"big-{i}", "name": "B", "metadata": BLOB}
        )
        created.ok()
    small = await roomy.list("projects", limit=5)
    assert len(small.ok()) == 5
    outcome = await roomy.list("projects", limit=10)
    assert (outcome.status, outcome.error) == (400, "QUERY_TOO_COMPLEX"), outcome
    assert f"{RESPONSE_LIMIT}-byte response limit" in outcome.message


@ONLY_GRAPHQL
async def test_graphql_aliases_of_a_large_field_are_stopped(roomy: Api, tenant: Tenant) -> None:
    project = await roomy.create("projects", {"slug": "alias-big", "name": "B", "metadata": BLOB})
    project_id = project.ok()["id"]
    fields = " ".join(f'p{i}: project(id: "{project_id}") {{ metadata }}' for i in range(25))
    response = await roomy.http.post(
        "/graphql", json={"query": f"{{ {fields} }}"}, headers=auth(tenant)
    )
    body = _refused(response, "QUERY_TOO_COMPLEX", 400)
    assert len(body["errors"]) == 1, "one error, not one per field left unbuilt"
