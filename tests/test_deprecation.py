"""Deprecated fields and routes announce themselves on REST (``Deprecation``, ``Sunset``,
``Link`` to the changelog) and in the OpenAPI document; every deprecation carries its dates."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLSchema

from app.http.graphql import Executor
from rest_compat.api import build_rest_api, graphql_schema_of
from rest_compat.app import RestApp
from rest_compat.deprecation import DeprecationFormatError, parse_deprecation
from rest_compat.openapi import build_openapi, openapi_json
from schema import build_schema

OLD_NAME = "Use `name` (deprecated 2026-01-15, sunset 2027-06-30)."


@strawberry.type
class Widget:
    id: strawberry.ID
    name: str
    old_name: str = strawberry.field(deprecation_reason=OLD_NAME)


@strawberry.type
class Gizmo:
    id: strawberry.ID
    size: int


@strawberry.type
class Query:
    @strawberry.field
    def widget(self, id: strawberry.ID) -> Widget | None:
        return Widget(id=id, name="new", old_name="old")

    @strawberry.field(
        deprecation_reason="Gizmos become widgets (deprecated 2026-03-01, sunset 2026-12-31)."
    )
    def gizmo(self, id: strawberry.ID) -> Gizmo | None:
        return Gizmo(id=id, size=3)


async def _client(schema: strawberry.Schema) -> tuple[httpx.AsyncClient, Any]:
    api = build_rest_api(schema)
    app = RestApp(api, Executor(schema, lambda _scope: None), openapi_json(api))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    return client, api


async def test_deprecated_fields_and_routes_send_the_headers() -> None:
    client, api = await _client(strawberry.Schema(Query))
    assert api.problems == {}
    async with client:
        widget = await client.get("/v1/widgets/w1")
        assert widget.json() == {"id": "w1", "name": "new", "old_name": "old"}
        assert widget.headers["deprecation"] == "@1768435200"
        assert widget.headers["sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
        assert (
            widget.headers["link"] == '</docs/changelog>; rel="deprecation"; type="text/markdown"'
        )
        gizmo = await client.get("/v1/gizmos/g1")
        assert gizmo.headers["sunset"] == "Thu, 31 Dec 2026 00:00:00 GMT"


def test_openapi_marks_what_is_deprecated() -> None:
    document = build_openapi(build_rest_api(strawberry.Schema(Query)))
    gizmo = document["paths"]["/v1/gizmos/{id}"]["get"]
    assert gizmo["deprecated"] is True
    assert "Deprecated" in gizmo["description"]
    assert set(gizmo["responses"]["200"]["headers"]) >= {"Deprecation", "Sunset", "Link"}
    widget = document["components"]["schemas"]["Widget"]
    assert widget["properties"]["old_name"]["deprecated"] is True
    assert "deprecated" not in widget["properties"]["name"]


def test_a_deprecation_without_dates_is_a_route_problem() -> None:
    @strawberry.type
    class Undated:
        @strawberry.field(deprecation_reason="Going away.")
        def gizmo(self, id: strawberry.ID) -> Gizmo | None:
            return None

    api = build_rest_api(strawberry.Schema(Undated))
    assert "YYYY-MM-DD" in api.problems["Query.gizmo"]


def _deprecations(schema: GraphQLSchema) -> list[tuple[str, str]]:
    found = []
    for type_ in schema.type_map.values():
        if type_.name.startswith("__"):
            continue
        for name, field in (getattr(type_, "fields", None) or {}).items():
            if getattr(field, "deprecation_reason", None):
                found.append((f"{type_.name}.{name}", field.deprecation_reason))
            for arg_name, arg in (getattr(field, "args", None) or {}).items():
                if arg.deprecation_reason:
                    found.append((f"{type_.name}.{name}({arg_name})", arg.deprecation_reason))
        for name, value in (getattr(type_, "values", None) or {}).items():
            if value.deprecation_reason:
                found.append((f"{type_.name}.{name}", value.deprecation_reason))
    return found


def test_every_deprecation_in_the_schema_has_its_dates() -> None:
    for where, reason in _deprecations(graphql_schema_of(build_schema())):
        parse_deprecation(reason, where)
    toy = dict(_deprecations(graphql_schema_of(strawberry.Schema(Query))))
    assert set(toy) == {"Query.gizmo", "Widget.oldName"}
    with pytest.raises(DeprecationFormatError, match="after"):
        parse_deprecation("Use x (deprecated 2027-01-01, sunset 2026-01-01).", "X.y")


async def test_the_changelog_the_headers_link_to_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/docs/changelog")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# Changelog")
