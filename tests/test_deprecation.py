"""Deprecated fields and routes announce themselves on REST (``Deprecation``, ``Sunset``,
``Link`` to the changelog) and in the OpenAPI document; every deprecation carries its dates."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

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


OLD_SIZE = "Use `SMALL` (deprecated 2026-02-01, sunset 2027-02-01)."
LEGACY = "Ids are enough (deprecated 2026-04-01, sunset 2026-10-01)."


@strawberry.enum
class Size(Enum):
    SMALL = "small"
    HUGE = strawberry.enum_value("huge", deprecation_reason=OLD_SIZE)


@strawberry.type
class UserError:
    field: list[str]
    code: str
    message: str


@strawberry.input
class RenameGizmoInput:
    id: strawberry.ID
    title: str | None = None
    label: str | None = strawberry.field(default=None, deprecation_reason=OLD_NAME)
    size: Size | None = None


@strawberry.type
class RenameGizmoPayload:
    gizmo: Gizmo | None
    user_errors: list[UserError]


@strawberry.type
class Mutation:
    @strawberry.mutation
    def rename_gizmo(self, input: RenameGizmoInput) -> RenameGizmoPayload:
        return RenameGizmoPayload(gizmo=Gizmo(id=input.id, size=3), user_errors=[])


@strawberry.input
class UndatedInput:
    id: strawberry.ID
    label: str | None = strawberry.field(default=None, deprecation_reason="Going away.")


@strawberry.type
class UndatedMutation:
    @strawberry.mutation
    def rename_gizmo(self, input: UndatedInput) -> RenameGizmoPayload:
        return RenameGizmoPayload(gizmo=None, user_errors=[])


@strawberry.type
class Gadget:
    id: strawberry.ID


@strawberry.type
class Query:
    @strawberry.field
    def widget(self, id: strawberry.ID) -> Widget | None:
        return Widget(id=id, name="new", old_name="old")

    @strawberry.field
    def gadget(
        self,
        id: strawberry.ID,
        legacy: Annotated[bool | None, strawberry.argument(deprecation_reason=LEGACY)] = None,
    ) -> Gadget | None:
        return Gadget(id=id)

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


async def test_deprecated_inputs_announce_themselves_when_used() -> None:
    client, api = await _client(strawberry.Schema(Query, Mutation))
    assert api.problems == {}
    async with client:
        plain = await client.post("/v1/gizmos/g1/rename", json={"title": "new"})
        assert plain.status_code == 200 and "deprecation" not in plain.headers
        labelled = await client.post("/v1/gizmos/g1/rename", json={"label": "old"})
        assert labelled.headers["deprecation"] == "@1768435200"
        assert labelled.headers["sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
        huge = await client.post("/v1/gizmos/g1/rename", json={"size": "huge"})
        assert huge.headers["sunset"] == "Mon, 01 Feb 2027 00:00:00 GMT"
        small = await client.post("/v1/gizmos/g1/rename", json={"size": "small"})
        assert "sunset" not in small.headers
        both = await client.post("/v1/gizmos/g1/rename", json={"label": "x", "size": "huge"})
        assert both.headers["sunset"] == "Mon, 01 Feb 2027 00:00:00 GMT", "the nearest sunset"
        assert "deprecation" not in (await client.get("/v1/gadgets/g1")).headers
        legacy = await client.get("/v1/gadgets/g1", params={"legacy": "true"})
        assert legacy.headers["sunset"] == "Thu, 01 Oct 2026 00:00:00 GMT"
        assert legacy.headers["link"].startswith("</docs/changelog>")

    document = build_openapi(api)
    rename = document["paths"]["/v1/gizmos/{id}/rename"]["post"]
    body = rename["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["label"]["deprecated"] is True
    assert "deprecated" not in body["properties"]["title"]
    assert body["properties"]["size"]["x-deprecated-values"] == ["huge"]
    assert set(rename["responses"]["200"]["headers"]) >= {"Deprecation", "Sunset", "Link"}
    gadget = document["paths"]["/v1/gadgets/{id}"]["get"]
    assert {p["name"]: p.get("deprecated") for p in gadget["parameters"]}["legacy"] is True
    assert "Sunset" in gadget["responses"]["200"]["headers"]


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

    api = build_rest_api(strawberry.Schema(Query, UndatedMutation))
    assert "UndatedInput.label" in api.problems["Mutation.renameGizmo"]


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
    assert set(toy) == {"Query.gizmo", "Widget.oldName", "Query.gadget(legacy)"}
    with pytest.raises(DeprecationFormatError, match="after"):
        parse_deprecation("Use x (deprecated 2027-01-01, sunset 2026-01-01).", "X.y")


async def test_the_changelog_the_headers_link_to_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/docs/changelog")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# Changelog")
