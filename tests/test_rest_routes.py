"""The /v1 route table is derived from the schema, for every root field.

The real schema must be fully covered (a route or an exclusion with its reason). A stand-in
schema with the other domains' shapes checks that the generator follows the conventions and
not a list of domains: nested lists and creates, actions with and without an id, claims that
may return nothing, payloads with secrets, value objects, relation ids, overrides.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import get_named_type
from openapi_spec_validator import validate

from app.http.graphql import Executor
from rest_compat.api import RestApi, build_rest_api
from rest_compat.app import RestApp
from rest_compat.graph import Resource
from rest_compat.naming import snake
from rest_compat.openapi import build_openapi, openapi_json
from rest_compat.overrides import EXCLUSIONS, OVERRIDES
from rest_compat.routes import Kind, Override, words
from schema import build_schema
from tests.rest_toy_schema import JobStatus, Store, build_toy_schema

TOY_OVERRIDES = {"Query.templatePreview": Override("GET", "/v1/templates/{template_id}/preview")}


def test_every_root_field_has_a_route_or_a_reasoned_exclusion() -> None:
    schema = build_schema()
    api = build_rest_api(schema)
    assert api.problems == {}
    graphql = api.graphql_schema
    fields = {f"Query.{n}" for n in graphql.query_type.fields}  # type: ignore[union-attr]
    fields |= {f"Mutation.{n}" for n in graphql.mutation_type.fields}  # type: ignore[union-attr]
    routed = {e.route.key for e in api.endpoints}
    assert fields - routed == set(EXCLUSIONS), "every field needs a route or an exclusion"
    assert all(len(reason) > 20 for reason in EXCLUSIONS.values())
    assert "Query.node" in EXCLUSIONS


def test_project_routes() -> None:
    api = build_rest_api(build_schema())
    assert {(e.route.method, e.route.path, e.route.key) for e in api.endpoints} >= {
        ("GET", "/v1/projects", "Query.projects"),
        ("GET", "/v1/projects/{id}", "Query.project"),
        ("POST", "/v1/projects", "Mutation.createProject"),
        ("PATCH", "/v1/projects/{id}", "Mutation.updateProject"),
        ("DELETE", "/v1/projects/{id}", "Mutation.archiveProject"),
    }


def _expected_mutation_route(name: str, api: RestApi) -> tuple[str, str]:
    """The route conventions, spelled out from the schema alone: what every mutation's
    route must be. ``verbNoun`` CRUD mutations get the resource's collection or instance;
    every other mutation is ``POST <the object or collection it acts on>/<action>``, the action
    being its name's words that name no resource (a leading ``send`` dropped)."""
    schema = api.graphql_schema
    resources = api.table.resources
    field = schema.mutation_type.fields[name]  # type: ignore[union-attr]
    inputs = field.args["input"].type.of_type.fields
    required_ids = [n for n, f in inputs.items() if n.endswith("Id") and str(f.type) == "ID!"]
    nouns = {n: r for r in resources.by_type.values() for n in r.nouns}
    parts = words(name)
    verb, rest = parts[0], parts[1:]
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(rest):
        longest = max(
            (end for end in range(index + 1, len(rest) + 1) if "".join(rest[index:end]) in nouns),
            default=None,
        )
        if longest is not None:
            spans.append((index, longest))
        index = longest or index + 1
    named = nouns["".join(rest[spans[0][0] : spans[0][1]])] if spans else None
    if named is None:
        payload = field.type.of_type if hasattr(field.type, "of_type") else field.type
        owners = [
            resources.for_type(get_named_type(f.type).name)
            for n, f in payload.fields.items()
            if n != "userErrors"
        ]
        named = next(r for r in owners if r is not None)
    in_nouns = {i for start, end in spans for i in range(start, end)}
    crud = len(rest) == len(in_nouns)
    by_id = "id" in inputs and str(inputs["id"].type) == "ID!"
    if crud and by_id and verb in ("update", "delete", "archive"):
        return ("PATCH" if verb == "update" else "DELETE", f"/v1/{named.plural}/{{id}}")

    def nested(resource: Resource, parent: str | None) -> str:
        if parent is None:
            return f"/v1/{resource.plural}"
        owner = resources.for_id_field(parent)
        assert owner is not None, f"{name}: `{parent}` names no resource"
        return f"/v1/{owner.plural}/{{{snake(parent)}}}/{resource.plural}"

    parents = [n for n in required_ids if n != "id"]
    if crud and not by_id and verb == "create":
        parent = named.parent_arg if named.parent_arg in parents else next(iter(parents), None)
        return "POST", nested(named, parent)
    if by_id:
        subject, base = named, f"/v1/{named.plural}/{{id}}"
    elif named.parent_arg in parents:
        subject, base = named, nested(named, named.parent_arg)
    elif len(owned := [r for p in parents if (r := resources.for_id_field(p))]) == 1:
        subject, base = owned[0], f"/v1/{owned[0].plural}/{{id}}"
    else:
        subject, base = named, nested(named, next(iter(parents), None))
    action = [w for i, w in enumerate(rest) if i not in in_nouns]
    action = [w for w in action if w not in words(subject.type_name)]
    if verb == "send" and action:
        return "POST", f"{base}/{snake(''.join(action))}"
    return "POST", f"{base}/{snake(verb + ''.join(action))}"


def test_every_mutation_route_follows_the_rule() -> None:
    """A new mutation cannot get an odd route: each one's route is what the conventions say,
    and an action's last segment is a plain snake_case verb phrase."""
    api = build_rest_api(build_schema())
    mutations = [e for e in api.endpoints if e.route.operation == "mutation"]
    assert mutations
    for endpoint in mutations:
        route = endpoint.route
        if route.key in OVERRIDES:
            continue
        expected = _expected_mutation_route(route.field, api)
        assert (route.method, route.path) == expected, route.key
        if route.kind is Kind.ACTION:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", route.path.rsplit("/", 1)[1]), route.path


def test_action_routes_read_like_rest() -> None:
    api = build_rest_api(build_schema())
    routes = {(e.route.method, e.route.path): e.route.key for e in api.endpoints}
    assert (
        routes.items()
        >= {
            ("POST", "/v1/webhook_endpoints/{id}/test"): "Mutation.sendTestWebhook",
            ("POST", "/v1/webhook_deliveries/{id}/redeliver"): "Mutation.redeliverWebhook",
            ("POST", "/v1/webhook_endpoints/{id}/replay"): "Mutation.replayWebhookEvents",
            ("POST", "/v1/webhook_endpoints/{id}/rotate_secret"): "Mutation.rotateWebhookSecret",
            ("POST", "/v1/assets/{id}/approve"): "Mutation.approveAsset",
            ("POST", "/v1/jobs/claim"): "Mutation.claimJob",
            ("POST", "/v1/projects/{project_id}/scenes/reorder"): "Mutation.reorderScenes",
        }.items()
    )


def test_error_fields_name_input_fields_the_rest_way_and_data_keys_as_sent() -> None:
    """Below a JSON value the path is the caller's data (a template variable ``fontSize``),
    not a schema field, so it keeps its spelling; input fields and list indexes are mapped."""
    api = build_rest_api(build_schema())
    submit = api.find("mutation", "submitJob").binder
    assert submit.rest_field(["input", "projectId"]) == "project_id"
    assert submit.rest_field(["input", "templateId"]) == "template_id"
    assert submit.rest_field(["input", "variables", "fontSize"]) == "variables.fontSize"
    assert submit.rest_field(["input", "input", "nestedKey", "0"]) == "input.nestedKey.0"
    template = api.find("mutation", "createTemplate").binder
    assert template.rest_field(["input", "variables", "0", "key"]) == "variables.0.key"
    assert template.rest_field(["input", "style", "someKey"]) == "style.someKey"
    characters = api.find("query", "characters").binder
    assert characters.rest_field(["filter", "nameContains"]) == "name_contains"
    assert characters.rest_field(["orderBy"]) == "sort"
    assert characters.rest_field(["after"]) == "cursor"


def test_documents_are_pinned_in_the_schema_parse_cache() -> None:
    schema = build_schema()
    api = build_rest_api(schema)
    for endpoint in api.endpoints:
        pinned = schema.documents.get(endpoint.document, {})
        assert schema.documents.get(endpoint.document, {"max_tokens": 1}) is pinned


def test_conventions_on_a_schema_of_every_shape() -> None:
    api = build_rest_api(build_toy_schema(), overrides=TOY_OVERRIDES)
    assert api.problems == {}
    assert [(e.route.method, e.route.path, e.route.key) for e in api.endpoints] == [
        ("GET", "/v1/scenes/{id}", "Query.scene"),
        ("GET", "/v1/projects/{project_id}/scenes", "Query.scenes"),
        ("GET", "/v1/segments/{id}", "Query.segment"),
        ("GET", "/v1/scenes/{scene_id}/segments", "Query.segments"),
        ("GET", "/v1/jobs/{id}", "Query.job"),
        ("GET", "/v1/jobs", "Query.jobs"),
        ("GET", "/v1/api_keys/{id}", "Query.apiKey"),
        ("GET", "/v1/api_keys", "Query.apiKeys"),
        ("GET", "/v1/webhooks/{id}", "Query.webhook"),
        ("GET", "/v1/webhooks", "Query.webhooks"),
        ("GET", "/v1/webhooks/{webhook_id}/deliveries", "Query.deliveries"),
        ("GET", "/v1/viewer", "Query.viewer"),
        ("GET", "/v1/templates/{template_id}/preview", "Query.templatePreview"),
        ("POST", "/v1/projects/{project_id}/scenes", "Mutation.createScene"),
        ("PATCH", "/v1/scenes/{id}", "Mutation.updateScene"),
        ("DELETE", "/v1/scenes/{id}", "Mutation.deleteScene"),
        ("POST", "/v1/scenes/{id}/archive", "Mutation.archiveScene"),
        ("POST", "/v1/projects/{project_id}/scenes/reorder", "Mutation.reorderScenes"),
        ("POST", "/v1/scenes/{scene_id}/segments", "Mutation.createSegment"),
        ("POST", "/v1/jobs/claim", "Mutation.claimJob"),
        ("POST", "/v1/jobs/{id}/cancel", "Mutation.cancelJob"),
        ("POST", "/v1/jobs/{id}/report_progress", "Mutation.reportJobProgress"),
        ("POST", "/v1/api_keys", "Mutation.createApiKey"),
        ("POST", "/v1/api_keys/{id}/rotate", "Mutation.rotateApiKey"),
        ("POST", "/v1/webhooks/{webhook_id}/deliveries/replay", "Mutation.replayDeliveries"),
        ("POST", "/v1/jobs/{id}/crash", "Mutation.crashJob"),
    ]


def test_unplaceable_fields_are_reported_not_guessed() -> None:
    api = build_rest_api(build_toy_schema())
    assert set(api.problems) == {"Query.templatePreview"}
    assert "override" in api.problems["Query.templatePreview"]
    clash = {"Query.viewer": Override("GET", "/v1/jobs")}
    clashing = build_rest_api(build_toy_schema(), overrides={**TOY_OVERRIDES, **clash})
    assert "same route as" in next(iter(clashing.problems.values()))


def test_toy_openapi_is_valid() -> None:
    api = build_rest_api(build_toy_schema(), overrides=TOY_OVERRIDES)
    document = build_openapi(api)
    validate(document)
    nested = document["paths"]["/v1/projects/{project_id}/scenes"]
    assert nested["get"]["tags"] == nested["post"]["tags"] == ["scenes"]
    claim = document["paths"]["/v1/jobs/claim"]["post"]
    assert set(claim["responses"]) >= {"200", "204"}
    key = document["paths"]["/v1/api_keys"]["post"]["responses"]["201"]
    properties = key["content"]["application/json"]["schema"]["properties"]
    assert set(properties) == {"id", "name", "secret"}


@pytest.fixture
def store() -> Store:
    return Store(
        projects={"prj_1": {"id": "prj_1", "name": "One"}},
        jobs={
            "job_1": {"id": "job_1", "status": JobStatus.QUEUED, "tags": [], "progress": 0},
        },
    )


@pytest_asyncio.fixture(loop_scope="session")
async def toy(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    schema = build_toy_schema()
    api: RestApi = build_rest_api(schema, overrides=TOY_OVERRIDES)
    app = RestApp(api, Executor(schema, lambda _scope: store), openapi_json(api))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
        yield client


def error(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


async def test_nested_create_list_and_location(toy: httpx.AsyncClient, store: Store) -> None:
    created = await toy.post(
        "/v1/projects/prj_1/scenes", json={"title": "Opening", "metadata": {"camelKey": 1}}
    )
    assert created.status_code == 201
    scene = created.json()
    assert scene == {"id": "scn_1", "project_id": "prj_1", "title": "Opening", "position": 0}
    assert created.headers["location"] == "/v1/scenes/scn_1"
    listed = await toy.get("/v1/projects/prj_1/scenes", params={"sort": "-created_at"})
    assert listed.json() == {"data": [scene], "has_more": False, "next_cursor": None}
    call = store.calls[-1][1]
    assert call["first"] == 25
    assert (call["order_by"].field.name, call["order_by"].direction.name) == ("CREATED_AT", "DESC")
    assert (await toy.get(created.headers["location"])).json() == scene


async def test_missing_parent_in_the_path_is_404(toy: httpx.AsyncClient) -> None:
    response = await toy.post("/v1/projects/prj_nope/scenes", json={"title": "x"})
    assert response.status_code == 404
    assert error(response)["code"] == "NOT_FOUND"


async def test_user_errors_name_rest_fields(toy: httpx.AsyncClient) -> None:
    response = await toy.post("/v1/projects/prj_1/scenes", json={"title": " "})
    assert response.status_code == 422
    assert error(response)["fields"] == [
        {"field": "title", "code": "REQUIRED", "message": "`title` must not be blank."}
    ]


async def test_filters_lists_and_value_objects(toy: httpx.AsyncClient, store: Store) -> None:
    response = await toy.get(
        "/v1/scenes/scn_9/segments",
        params=[("min_duration_ms", "5"), ("tags", "a"), ("tags", "b"), ("limit", "500")],
    )
    assert response.json() == {"data": [], "has_more": True, "next_cursor": "c1"}
    segment_filter = store.calls[-1][1]["filter"]
    assert (segment_filter.min_duration_ms, segment_filter.tags) == (5, ["a", "b"])
    created = await toy.post(
        "/v1/scenes/scn_9/segments", json={"text": "Hello", "span": {"start": 1, "end": 4}}
    )
    assert created.status_code == 201
    assert created.json() == {
        "id": "seg_1",
        "text": "Hello",
        "duration_ms": None,
        "span": {"start": 1, "end": 4},
        "scene_id": "scn_9",
        "character_ids": ["prj_a"],
        "owner_id": None,
    }


async def test_nested_body_errors_have_dotted_paths(toy: httpx.AsyncClient) -> None:
    response = await toy.post(
        "/v1/scenes/scn_9/segments", json={"text": 5, "span": {"start": "x", "stop": 1}}
    )
    assert response.status_code == 422
    fields = {(f["field"], f["code"]) for f in error(response)["fields"]}
    assert fields == {
        ("text", "INVALID"),
        ("span.start", "INVALID"),
        ("span.stop", "UNKNOWN_FIELD"),
        ("span.end", "REQUIRED"),
    }


async def test_claim_returns_the_job_then_204(toy: httpx.AsyncClient) -> None:
    first = await toy.post("/v1/jobs/claim", json={"statuses": ["queued"]})
    assert first.status_code == 200
    assert first.json() == {"id": "job_1", "status": "running", "tags": [], "progress": 0}
    again = await toy.post("/v1/jobs/claim")
    assert again.status_code == 204
    assert again.content == b""


async def test_actions_by_id(toy: httpx.AsyncClient) -> None:
    cancelled = await toy.post("/v1/jobs/job_1/cancel")
    assert cancelled.json()["status"] == "cancelled"
    conflict = await toy.post("/v1/jobs/job_1/cancel", json={})
    assert conflict.status_code == 409
    assert error(conflict)["code"] == "CONFLICT"
    missing = await toy.post("/v1/jobs/job_x/cancel")
    assert missing.status_code == 404
    bad = await toy.post("/v1/jobs/job_1/report_progress", json={"progress": 101})
    assert bad.status_code == 422
    assert error(bad)["fields"][0]["field"] == "progress"
    body_id = await toy.post("/v1/jobs/job_1/cancel", json={"id": "job_2"})
    assert body_id.status_code == 422
    assert error(body_id)["fields"][0] == {
        "field": "id",
        "code": "UNKNOWN_FIELD",
        "message": "Unknown field `id` (it comes from the URL path).",
    }


async def test_payload_extras_merge_into_the_object(toy: httpx.AsyncClient) -> None:
    created = await toy.post("/v1/api_keys", json={"name": "ci"})
    assert created.status_code == 201
    assert created.json() == {"id": "key_1", "name": "ci", "secret": "rh_x"}
    assert created.headers["location"] == "/v1/api_keys/key_1"
    rotated = await toy.post("/v1/api_keys/key_1/rotate")
    assert rotated.json() == {"id": "key_1", "name": "k", "secret": "rh_y"}
    replayed = await toy.post(
        "/v1/webhooks/whk_1/deliveries/replay", json={"since": "2026-01-01T00:00:00Z"}
    )
    assert replayed.json() == {"replayed": 3}


async def test_list_payloads_and_deletes(toy: httpx.AsyncClient) -> None:
    await toy.post("/v1/projects/prj_1/scenes", json={"title": "A"})
    await toy.post("/v1/projects/prj_1/scenes", json={"title": "B"})
    reordered = await toy.post(
        "/v1/projects/prj_1/scenes/reorder", json={"scene_ids": ["scn_2", "scn_1"]}
    )
    assert [s["title"] for s in reordered.json()["data"]] == ["B", "A"]
    archived = await toy.post("/v1/scenes/scn_1/archive")
    assert archived.json()["title"] == "A"
    deleted = await toy.delete("/v1/scenes/scn_1")
    assert deleted.status_code == 204
    again = await toy.delete("/v1/scenes/scn_1")
    assert again.status_code == 404


async def test_singletons_and_overrides(toy: httpx.AsyncClient) -> None:
    viewer = await toy.get("/v1/viewer")
    assert viewer.json() == {"org_id": "org_1", "scopes": ["admin"]}
    preview = await toy.get("/v1/templates/tpl_1/preview", params={"variables": '{"a": 1}'})
    assert preview.json() == {"template": "tpl_1", "variables": {"a": 1}}
    missing = await toy.get("/v1/templates/tpl_1/preview")
    assert missing.status_code == 422
    assert error(missing)["fields"][0]["field"] == "variables"


async def test_top_level_errors_keep_their_status_and_headers(toy: httpx.AsyncClient) -> None:
    response = await toy.get("/v1/jobs/job_throttled")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert error(response) == {
        "code": "RATE_LIMIT_EXCEEDED",
        "message": "Slow down.",
        "request_id": None,
    }


async def test_unexpected_failures_do_not_leak(toy: httpx.AsyncClient) -> None:
    response = await toy.post("/v1/jobs/job_1/crash")
    assert response.status_code == 500
    assert error(response)["message"] == "Internal server error."
    assert "secret" not in response.text


async def test_literal_segments_win_and_wrong_methods_are_405(toy: httpx.AsyncClient) -> None:
    found = await toy.get("/v1/jobs/claim")
    assert found.status_code == 404
    wrong = await toy.put("/v1/jobs/claim")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, POST"
    unknown = await toy.get("/v1/nothing/here")
    assert unknown.status_code == 404
