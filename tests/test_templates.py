"""Templates: definitions, placeholder checks, updates, deletes, tenancy.

Tests taking ``api`` run once through ``/graphql`` and once through ``/v1`` with the same
assertions (``tests/api_client.py``); ``test_graphql_...`` and ``test_rest_...`` are about what
one transport alone has.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.scopes import Scope
from tests.api_client import Api
from tests.api_fixtures import ONLY_GRAPHQL, ONLY_REST, MakeApi, alternating
from tests.conftest import count_statements
from tests.jobs_fixtures import (
    STYLE,
    STYLE_VARIABLES,
    create_project,
    create_template,
    events_of,
    submit_ok,
)


async def listed(api: Api, **params: Any) -> list[str]:
    return (await api.list("templates", **params)).ids


async def test_create_and_read_template(api: Api) -> None:
    project = await create_project(api, "tpl-read")
    variables = [*STYLE_VARIABLES, {"key": "unused_one", "type": "string"}]
    created = await api.create(
        "templates",
        {"name": "Lower third", "style": STYLE, "variables": variables},
        parent=project["id"],
    )
    template = created.ok()
    created.on_rest(201, location=f"/v1/templates/{template['id']}")
    assert template["id"].startswith("tpl_") and template["project_id"] == project["id"]
    assert template["style"] == STYLE and template["version"] == 1
    assert template["variables"][0] == {
        "key": "title",
        "type": "string",
        "required": True,
        "default": None,
        "options": None,
    }
    assert template["variables"][4]["options"] == ["calm", "tense"]
    assert template["unused_variables"] == ["unused_one"]
    assert (await api.get("templates", template["id"])).ok() == template
    assert await events_of(api.tenant, template["id"]) == [("template.created", 1)]


@ONLY_GRAPHQL
async def test_graphql_node_and_project_relation_in_constant_statements(
    api: Api, make_api: MakeApi, services: Any
) -> None:
    project = await create_project(api, "tpl-node")
    ids = [(await create_template(api, project["id"], name=f"T{i}"))["id"] for i in range(5)]
    read = (
        await api.tenant.gql(
            "query($id: ID!) { template(id: $id) { project { id } } "
            "node(id: $id) { id ... on Template { name } } }",
            {"id": ids[0]},
        )
    ).ok()
    assert read == {
        "template": {"project": {"id": project["id"]}},
        "node": {"id": ids[0], "name": "T0"},
    }
    other = await make_api()
    hidden = await other.tenant.gql("query($id: ID!) { node(id: $id) { id } }", {"id": ids[0]})
    assert hidden.ok() == {"node": None}

    query = "query($first: Int) { templates(first: $first) { nodes { project { id } } } }"
    with count_statements(services) as statements:
        (await api.tenant.gql(query, {"first": 2})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        page = (await api.tenant.gql(query, {"first": 5})).ok()
    assert len(statements) == small
    assert page["templates"]["nodes"] == [{"project": {"id": project["id"]}}] * 5


BAD_DEFINITIONS: list[tuple[str, Any, list[dict[str, Any]], str, str]] = [
    ("bad key", {}, [{"key": "1abc", "type": "string"}], "variables.0.key", "INVALID"),
    ("key too long", {}, [{"key": "k" * 65, "type": "string"}], "variables.0.key", "INVALID"),
    (
        "duplicate key",
        {},
        [{"key": "a", "type": "string"}, {"key": "a", "type": "number"}],
        "variables.1.key",
        "TAKEN",
    ),
    (
        "select without options",
        {},
        [{"key": "a", "type": "select", "options": []}],
        "variables.0.options",
        "REQUIRED",
    ),
    (
        "select duplicate options",
        {},
        [{"key": "a", "type": "select", "options": ["x", "x"]}],
        "variables.0.options",
        "INVALID",
    ),
    (
        "options on a string",
        {},
        [{"key": "a", "type": "string", "options": ["x"]}],
        "variables.0.options",
        "INVALID",
    ),
    (
        "number default of wrong type",
        {},
        [{"key": "a", "type": "number", "default": "12"}],
        "variables.0.default",
        "INVALID",
    ),
    (
        "boolean default of wrong type",
        {},
        [{"key": "a", "type": "boolean", "default": 1}],
        "variables.0.default",
        "INVALID",
    ),
    (
        "bad color default",
        {},
        [{"key": "a", "type": "color", "default": "#12"}],
        "variables.0.default",
        "INVALID",
    ),
    (
        "select default not an option",
        {},
        [{"key": "a", "type": "select", "options": ["x"], "default": "y"}],
        "variables.0.default",
        "INVALID",
    ),
    (
        "number default too large",
        {},
        [{"key": "a", "type": "number", "default": 2**60}],
        "variables.0.default",
        "OUT_OF_RANGE",
    ),
    ("undeclared placeholder", {"x": "{{missing}}"}, [], "style", "INVALID"),
    ("malformed placeholder", {"x": "{{not a key}}"}, [], "style", "INVALID"),
    ("style not an object", ["{{a}}"], [], "style", "INVALID"),
    ("style too large", {"x": "y" * 70_000}, [], "style", "TOO_LONG"),
    (
        "too many variables",
        {},
        [{"key": f"v{i}", "type": "string"} for i in range(51)],
        "variables",
        "TOO_LONG",
    ),
]


@pytest.mark.parametrize(
    ("transport", "style", "variables", "field", "code"),
    alternating([case[1:] for case in BAD_DEFINITIONS], ids=[case[0] for case in BAD_DEFINITIONS]),
)
async def test_bad_definitions_are_refused_and_create_nothing(
    api: Api, style: Any, variables: list[dict[str, Any]], field: str, code: str
) -> None:
    project = await create_project(api, "tpl-bad")
    refused = await api.create(
        "templates", {"name": "T", "style": style, "variables": variables}, parent=project["id"]
    )
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert (field, code) in refused.fields, refused
    assert await listed(api) == []


@ONLY_REST
async def test_deeply_nested_style_is_refused(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project = await create_project(api, "tpl-deep")
    style: dict[str, Any] = {"leaf": "x"}
    for _ in range(40):
        style = {"n": style}
    refused = await api.create("templates", {"name": "T", "style": style}, parent=project["id"])
    assert refused.fields == [("style", "TOO_LONG")]


@ONLY_GRAPHQL
async def test_graphql_unknown_variable_type_is_refused_by_the_schema(api: Api) -> None:
    project = await create_project(api, "tpl-type")
    result = await api.tenant.gql(
        "mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { "
        "template { id } } }",
        {
            "input": {
                "projectId": project["id"],
                "name": "T",
                "style": {},
                "variables": [{"key": "a", "type": "DATE"}],
            }
        },
    )
    assert result.codes == ["VALIDATION_FAILED"]
    assert await listed(api) == []


@ONLY_REST
async def test_rest_unknown_variable_type_is_422_naming_the_field(api: Api) -> None:
    project = await create_project(api, "tpl-type")
    refused = await api.create(
        "templates",
        {"name": "T", "style": {}, "variables": [{"key": "a", "type": "date"}]},
        parent=project["id"],
    )
    assert refused.on_rest(422).fields == [("variables.0.type", "INVALID")]
    assert await listed(api) == []


async def test_update_checks_style_against_kept_variables(api: Api) -> None:
    project = await create_project(api, "tpl-update")
    template = await create_template(api, project["id"])
    bad = await api.update("templates", template["id"], {"style": {"x": "{{nope}}"}, "name": "N"})
    assert bad.on_rest(422).fields == [("style", "INVALID")]
    dropped = await api.update("templates", template["id"], {"variables": STYLE_VARIABLES[:1]})
    assert ("style", "INVALID") in dropped.fields

    unchanged = (await api.get("templates", template["id"])).ok()
    assert (unchanged["name"], unchanged["version"]) == ("Lower third", 1)

    good = (
        await api.update(
            "templates",
            template["id"],
            {"style": {"x": "{{title}}"}, "variables": STYLE_VARIABLES[:1]},
        )
    ).ok()
    assert good["style"] == {"x": "{{title}}"}
    assert [v["key"] for v in good["variables"]] == ["title"]
    assert good["version"] == 2
    assert await events_of(api.tenant, template["id"]) == [
        ("template.created", 1),
        ("template.updated", 2),
    ]


async def test_update_rejects_null_style(api: Api) -> None:
    project = await create_project(api, "tpl-null")
    template = await create_template(api, project["id"])
    refused = await api.update("templates", template["id"], {"style": None})
    assert refused.fields == [("style", "REQUIRED")]


async def test_delete_refused_while_jobs_are_active(api: Api) -> None:
    project = await create_project(api, "tpl-delete")
    template = await create_template(api, project["id"])
    job = await submit_ok(
        api, project["id"], kind="generate", template_id=template["id"], variables={"title": "Hi"}
    )
    refused = await api.delete("templates", template["id"])
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert refused.fields == [("id", "INVALID_STATE")]
    assert await listed(api) == [template["id"]]

    (await api.action("jobs", "cancel", job["id"])).ok()
    deleted = await api.delete("templates", template["id"])
    assert deleted.on_rest(204).ok() is None
    assert await listed(api) == []
    kept = (await api.get("jobs", job["id"])).ok()
    assert kept["template_id"] is None
    assert kept["resolved_style"]["heading"] == "Hi"
    assert await events_of(api.tenant, template["id"]) == [
        ("template.created", 1),
        ("template.deleted", 2),
    ]


async def test_other_organisation_cannot_see_or_change(api: Api, make_api: MakeApi) -> None:
    project = await create_project(api, "tpl-private")
    template = await create_template(api, project["id"])
    other = await make_api()
    assert (await other.get("templates", template["id"])).on_rest(404).error == "NOT_FOUND"
    assert await listed(other) == []
    for attempt in (
        other.update("templates", template["id"], {"name": "x"}),
        other.delete("templates", template["id"]),
        other.create("templates", {"name": "x", "style": {}}, parent=project["id"]),
    ):
        assert (await attempt).on_rest(404).error == "NOT_FOUND"
    assert await listed(api) == [template["id"]]


async def test_scopes_and_project_limits(api: Api) -> None:
    allowed = await create_project(api, "tpl-allowed")
    hidden = await create_project(api, "tpl-hidden")
    mine = await create_template(api, allowed["id"])
    await create_template(api, hidden["id"])

    reader = await api.tenant.key(
        Scope.CONTENT_READ, Scope.PROJECTS_READ, project_ids=[allowed["id"]]
    )
    assert await listed(api, token=reader) == [mine["id"]]
    refused = await api.create(
        "templates", {"name": "x", "style": {}}, parent=allowed["id"], token=reader
    )
    assert refused.on_rest(403).error == "UNAUTHORIZED_SCOPE"
    jobs_only = await api.tenant.key(Scope.JOBS_READ)
    assert (await api.list("templates", token=jobs_only)).error == "UNAUTHORIZED_SCOPE"


async def test_list_by_project_pages_in_constant_statements(api: Api, services: Any) -> None:
    first = await create_project(api, "tpl-list-a")
    second = await create_project(api, "tpl-list-b")
    ids = [(await create_template(api, first["id"], name=f"T{i}"))["id"] for i in range(5)]
    await create_template(api, second["id"])
    assert sorted(await listed(api, project_id=first["id"])) == sorted(ids)

    with count_statements(services) as statements:
        page = await api.list("templates", project_id=first["id"], limit=2)
    small = len(statements)
    assert page.has_more and page.next_cursor
    with count_statements(services) as statements:
        rest = await api.list("templates", project_id=first["id"], cursor=page.next_cursor)
    assert len(statements) == small
    assert not rest.has_more and sorted(page.ids + rest.ids) == sorted(ids)
    assert {t["project_id"] for t in rest.ok()} == {first["id"]}
