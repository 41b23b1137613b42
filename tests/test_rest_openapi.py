"""/v1/openapi.json (OpenAPI 3.1, from the route table and GraphQL types) and /docs offline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import orjson
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from rest_compat.openapi import build_openapi, enum_values_of, rest_words
from tests.api_client import Api, rest_api

ROOT = Path(__file__).resolve().parent.parent


async def fetch_openapi(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document: dict[str, Any] = response.json()
    return document


async def test_openapi_is_public_and_valid_3_1(http: httpx.AsyncClient) -> None:
    document = await fetch_openapi(http)
    assert document["openapi"] == "3.1.0"
    validate(document)
    OpenAPIV31SpecValidator(document).validate()


async def test_every_route_is_documented_with_its_parameters(http: httpx.AsyncClient) -> None:
    document = await fetch_openapi(http)
    for endpoint in rest_api().endpoints:
        route = endpoint.route
        operation = document["paths"][route.path][route.method.lower()]
        declared = {(p["name"], p["in"]) for p in operation["parameters"]}
        for name in re.findall(r"{(\w+)}", route.path):
            assert (name, "path") in declared
        assert {p.name for p in endpoint.binder.params} == {name for name, _ in declared}
        assert "422" in operation["responses"] and "401" in operation["responses"]
        assert operation["description"].endswith(f"`{route.operation} {{ {route.field} }}`.")


async def test_project_operations_in_detail(http: httpx.AsyncClient) -> None:
    document = await fetch_openapi(http)
    listing = document["paths"]["/v1/projects"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert set(params) == {
        "limit",
        "cursor",
        "ending_before",
        "sort",
        "status",
        "slug",
        "updated_after",
        "updated_before",
    }
    assert params["status"]["schema"] == {
        "type": "string",
        "enum": ["active", "suspended", "archived"],
    }
    assert params["updated_after"]["schema"] == {"type": "string", "format": "date-time"}
    assert "-updated_at" in params["sort"]["schema"]["enum"]
    assert params["limit"]["schema"]["default"] == 25
    page = document["components"]["schemas"]["ProjectList"]
    assert page["required"] == ["data", "has_more", "next_cursor", "previous_cursor"]

    project = document["components"]["schemas"]["Project"]
    assert project["description"] == "A production: everything else lives in one."
    assert project["properties"]["slug"]["description"].startswith("Unique in the organisation")
    assert project["properties"]["render_quota"]["type"] == ["integer", "null"]
    assert project["properties"]["status"]["enum"] == ["active", "suspended", "archived"]

    create = document["paths"]["/v1/projects"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["slug", "name"]
    assert body["additionalProperties"] is False
    assert "render_quota" in body["properties"]
    assert create["responses"]["201"]["headers"]["Location"]["required"] is True
    assert create["summary"] == "Create a project."

    delete = document["paths"]["/v1/projects/{id}"]["delete"]
    assert "requestBody" not in delete
    assert delete["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Project"
    }


async def test_error_schema_and_security(http: httpx.AsyncClient) -> None:
    document = await fetch_openapi(http)
    error = document["components"]["schemas"]["ErrorResponse"]["properties"]["error"]
    assert error["required"] == ["code", "message", "request_id"]
    assert "VALIDATION_FAILED" in error["properties"]["code"]["enum"]
    assert error["properties"]["fields"]["items"]["required"] == ["field", "code", "message"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: `rh_live_…` (or `rh_test_…`).",
    }
    assert document["security"] == [{"bearerAuth": []}]
    too_many = document["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in too_many["headers"]


async def test_docs_load_offline_from_this_server(http: httpx.AsyncClient) -> None:
    page = await http.get("/docs")
    assert page.status_code == 200
    html = page.text
    assets = re.findall(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    assert not re.search(r"(?:src|href|url)\s*[=:]\s*[\"']https?:", html)
    assert "validatorUrl: null" in html
    for asset in assets:
        assert asset.startswith("/"), asset
        response = await http.get(asset)
        assert response.status_code == 200, asset
    bundle = await http.get("/docs/static/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text


async def test_docs_render_the_canonical_3_1_document(http: httpx.AsyncClient) -> None:
    page = (await http.get("/docs")).text
    source = re.search(r'url: "([^"]+)"', page)
    assert source is not None
    assert source.group(1) == "/v1/openapi.json"
    bundle = (await http.get("/docs/static/swagger-ui-bundle.js")).text
    assert "3.1" in bundle and "openapi" in bundle


async def test_index_lists_resources_and_links_without_a_key(http: httpx.AsyncClient) -> None:
    for path in ("/v1", "/v1/"):
        response = await http.get(path)
        assert response.status_code == 200, path
        index = response.json()
        assert index["links"]["openapi"] == "/v1/openapi.json"
        resources = {r["name"]: r["links"] for r in index["resources"]}
        assert {"rel": "test", "method": "POST", "href": "/v1/webhook_endpoints/{id}/test"} in (
            resources["webhook_endpoints"]
        )
        assert {"rel": "list", "method": "GET", "href": "/v1/projects"} in resources["projects"]
    document = await fetch_openapi(http)
    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    linked = {(link["method"], link["href"]) for r in index["resources"] for link in r["links"]}
    assert linked == documented


GRAPHQL_ONLY = re.compile(
    r"orderBy|null if not visible|pageInfo|userErrors|`(?:first|last|after|before|edges|nodes)`"
)
DATA = re.compile(r"\{\{[^}]*\}\}|`\{[^`]*\}`")
"""Partners' own data in descriptions (``{{trigger.assetId}}`` references, a ``{jobId, …}``
JSON output): spelled as the data is, on every transport."""
CAMEL = re.compile(r"[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$")


def graphql_spellings(document: dict[str, Any]) -> list[str]:
    """Descriptions (up to their closing ``Runs GraphQL …``) that use a GraphQL argument,
    idiom, camelCase name or uppercase enum value where REST has its own word."""
    schema = rest_api().graphql_schema
    camel: set[str] = set()
    for type_ in schema.type_map.values():
        for name, field in (getattr(type_, "fields", None) or {}).items():
            camel |= {n for n in (name, *(getattr(field, "args", None) or {})) if CAMEL.match(n)}
    graphql_words = camel | enum_values_of(schema)
    found: list[str] = []

    def check(text: str) -> None:
        text = DATA.sub("", text.split("Runs GraphQL")[0])
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) & graphql_words
        if GRAPHQL_ONLY.search(text) or words:
            found.append(f"{sorted(words)}: {text}")

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary") and isinstance(value, str):
                    check(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return found


async def test_descriptions_speak_rest(http: httpx.AsyncClient) -> None:
    """No GraphQL argument names, idioms, camelCase or uppercase enum values in what REST
    callers read: neither served nor in the committed docs/openapi.json."""
    served = await fetch_openapi(http)
    assert graphql_spellings(served) == []
    committed = orjson.loads((ROOT / "docs" / "openapi.json").read_bytes())
    assert graphql_spellings(committed) == []
    project = served["paths"]["/v1/projects/{id}"]["get"]
    assert project["summary"] == "One project by id; 404 if the key cannot see it."
    assert "`queued` → `running`" in served["components"]["schemas"]["Job"]["description"]


def test_graphql_words_become_rest_words() -> None:
    routes = {"automationRun": "GET /v1/automation_runs/{id}"}
    values = frozenset({"READY", "QUEUED"})
    assert rest_words("Use `orderBy` and `after`.", routes, values) == "Use `sort` and `cursor`."
    assert rest_words("Follow `automationRun(id)`.", routes, values) == (
        "Follow `GET /v1/automation_runs/{id}`."
    )
    assert rest_words("A `READY` asset, `INVALID_STATE`.", routes, values) == (
        "A `ready` asset, `INVALID_STATE`."
    )
    assert rest_words("`input.renderQuota`, `sizeBytes(inMb)`", routes, values) == (
        "`render_quota`, `size_bytes(in_mb)`"
    )
    assert rest_words("null if not visible", routes, values) == "404 if the key cannot see it"
    values = enum_values_of(rest_api().graphql_schema)
    assert {"READY", "QUEUED", "WEBHOOK"} <= values
    assert not {"INVALID", "NOT_FOUND", "TAKEN", "TYPE", "INVALID_STATE"} & values


def _listed_sorts(parameter: dict[str, Any]) -> list[str]:
    """The values a `sort` parameter documents: its enum, or (when several may be combined)
    the list its description gives."""
    if "enum" in parameter["schema"]:
        return list(parameter["schema"]["enum"])
    listed = re.search(r"One of: ([^.]+)\.", parameter["description"])
    assert listed is not None, parameter
    return listed.group(1).split(", ")


async def test_every_documented_sort_value_is_accepted(api: Api) -> None:
    """Every `sort` value the OpenAPI document lists, the list takes."""
    document = build_openapi(rest_api())
    project = (await api.create("projects", {"slug": "sorts", "name": "Sorts"})).ok()
    scene = (await api.create("scenes", {"title": "S"}, parent=project["id"])).ok()
    parents = {"project_id": project["id"], "scene_id": scene["id"]}
    checked = 0
    for endpoint in rest_api().endpoints:
        route = endpoint.route
        operation = document["paths"][route.path][route.method.lower()]
        for parameter in (p for p in operation["parameters"] if p["name"] == "sort"):
            path = {p.name: parents[p.name] for p in endpoint.binder.path_params}
            for value in _listed_sorts(parameter):
                outcome = await api.call(endpoint, path, query=[("sort", value), ("limit", "1")])
                assert outcome.error is None, (route.path, value, outcome)
                checked += 1
    assert checked > 40


async def test_every_operation_has_code_samples_and_a_unique_sdk_name(
    http: httpx.AsyncClient,
) -> None:
    document = await fetch_openapi(http)
    names = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            samples = {s["label"]: s["source"] for s in operation["x-codeSamples"]}
            assert set(samples) == {"curl", "Python SDK", "TypeScript SDK"}, path
            sdk = operation["x-sdk"]
            if not sdk.get("alias"):  # a second address of an operation: the same SDK method
                names.append((sdk["resource"], sdk["method"]))
            assert f"curl -X {method.upper()}" in samples["curl"]
            assert f"client.{sdk['resource']}.{sdk['method']}(" in samples["Python SDK"]
            assert f"client.{sdk['resource']}." in samples["TypeScript SDK"]
    assert len(names) == len(set(names))
    jobs = document["paths"]["/v1/projects/{project_id}/jobs"]["post"]
    assert jobs["x-sdk"] == {"resource": "jobs", "method": "submit"}
    test = document["paths"]["/v1/webhook_endpoints/{id}/test"]["post"]
    assert test["x-sdk"] == {"resource": "webhook_endpoints", "method": "test"}


async def test_docs_page_shows_the_code_samples(http: httpx.AsyncClient) -> None:
    page = (await http.get("/docs")).text
    assert 'get("x-codeSamples")' in page and "plugins: [CodeSamples]" in page
