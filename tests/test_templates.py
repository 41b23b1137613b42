"""Templates through GraphQL: definitions, placeholder checks, updates, deletes, tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.scopes import Scope
from tests.conftest import Tenant, count_statements
from tests.jobs_fixtures import (
    CREATE_TEMPLATE,
    STYLE,
    STYLE_VARIABLES,
    TEMPLATE_FIELDS,
    create_project,
    create_template,
    error_fields,
    events_of,
    submit_ok,
)

TEMPLATES = """
query($projectId: ID, $first: Int, $after: String, $filter: TemplateFilter) {
  templates(projectId: $projectId, first: $first, after: $after, filter: $filter) {
    nodes { id name project { id } }
    pageInfo { hasNextPage endCursor }
  }
}"""

UPDATE = f"""
mutation($input: UpdateTemplateInput!) {{
  updateTemplate(input: $input) {{
    template {{ {TEMPLATE_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""

DELETE = """
mutation($id: ID!) {
  deleteTemplate(input: {id: $id}) { deletedTemplateId userErrors { field code message } }
}"""


async def listed(tenant: Tenant, project_id: str | None = None) -> list[str]:
    result = await tenant.gql(TEMPLATES, {"projectId": project_id})
    return [n["id"] for n in result.ok()["templates"]["nodes"]]


async def test_create_and_read_template(tenant: Tenant) -> None:
    project = await create_project(tenant, "tpl-read")
    variables = [*STYLE_VARIABLES, {"key": "unused_one", "type": "STRING"}]
    template = await create_template(tenant, project["id"], variables=variables)
    assert template["id"].startswith("tpl_")
    assert template["style"] == STYLE and template["version"] == 1
    assert template["variables"][0] == {
        "key": "title",
        "type": "STRING",
        "required": True,
        "default": None,
        "options": None,
    }
    assert template["variables"][4]["options"] == ["calm", "tense"]
    assert template["unusedVariables"] == ["unused_one"]

    read = (
        await tenant.gql(
            "query($id: ID!) { template(id: $id) { id project { id } } "
            "node(id: $id) { id ... on Template { name } } }",
            {"id": template["id"]},
        )
    ).ok()
    assert read["template"] == {"id": template["id"], "project": {"id": project["id"]}}
    assert read["node"] == {"id": template["id"], "name": "Lower third"}
    assert await events_of(tenant, template["id"]) == [("template.created", 1)]


BAD_DEFINITIONS: list[tuple[str, Any, list[dict[str, Any]], list[str], str]] = [
    ("bad key", {}, [{"key": "1abc", "type": "STRING"}], ["variables", "0", "key"], "INVALID"),
    (
        "key too long",
        {},
        [{"key": "k" * 65, "type": "STRING"}],
        ["variables", "0", "key"],
        "INVALID",
    ),
    (
        "duplicate key",
        {},
        [{"key": "a", "type": "STRING"}, {"key": "a", "type": "NUMBER"}],
        ["variables", "1", "key"],
        "TAKEN",
    ),
    (
        "select without options",
        {},
        [{"key": "a", "type": "SELECT", "options": []}],
        ["variables", "0", "options"],
        "REQUIRED",
    ),
    (
        "select duplicate options",
        {},
        [{"key": "a", "type": "SELECT", "options": ["x", "x"]}],
        ["variables", "0", "options"],
        "INVALID",
    ),
    (
        "options on a string",
        {},
        [{"key": "a", "type": "STRING", "options": ["x"]}],
        ["variables", "0", "options"],
        "INVALID",
    ),
    (
        "number default of wrong type",
        {},
        [{"key": "a", "type": "NUMBER", "default": "12"}],
        ["variables", "0", "default"],
        "INVALID",
    ),
    (
        "boolean default of wrong type",
        {},
        [{"key": "a", "type": "BOOLEAN", "default": 1}],
        ["variables", "0", "default"],
        "INVALID",
    ),
    (
        "bad color default",
        {},
        [{"key": "a", "type": "COLOR", "default": "#12"}],
        ["variables", "0", "default"],
        "INVALID",
    ),
    (
        "select default not an option",
        {},
        [{"key": "a", "type": "SELECT", "options": ["x"], "default": "y"}],
        ["variables", "0", "default"],
        "INVALID",
    ),
    (
        "number default too large",
        {},
        [{"key": "a", "type": "NUMBER", "default": 2**60}],
        ["variables", "0", "default"],
        "OUT_OF_RANGE",
    ),
    ("undeclared placeholder", {"x": "{{missing}}"}, [], ["style"], "INVALID"),
    ("malformed placeholder", {"x": "{{not a key}}"}, [], ["style"], "INVALID"),
    ("style not an object", ["{{a}}"], [], ["style"], "INVALID"),
    ("style too large", {"x": "y" * 70_000}, [], ["style"], "TOO_LONG"),
    (
        "too many variables",
        {},
        [{"key": f"v{i}", "type": "STRING"} for i in range(51)],
        ["variables"],
        "TOO_LONG",
    ),
]


@pytest.mark.parametrize(
    ("style", "variables", "field", "code"),
    [case[1:] for case in BAD_DEFINITIONS],
    ids=[case[0] for case in BAD_DEFINITIONS],
)
async def test_bad_definitions_are_refused_and_create_nothing(
    tenant: Tenant, style: Any, variables: list[dict[str, Any]], field: list[str], code: str
) -> None:
    project = await create_project(tenant, "tpl-bad")
    result = await tenant.gql(
        CREATE_TEMPLATE,
        {
            "input": {
                "projectId": project["id"],
                "name": "T",
                "style": style,
                "variables": variables,
            }
        },
    )
    payload = result.ok()["createTemplate"]
    assert payload["template"] is None
    assert (["input", *field], code) in error_fields(payload), payload
    assert await listed(tenant) == []


async def test_deeply_nested_style_is_refused(tenant: Tenant) -> None:
    project = await create_project(tenant, "tpl-deep")
    style: dict[str, Any] = {"leaf": "x"}
    for _ in range(40):
        style = {"n": style}
    result = await tenant.gql(
        CREATE_TEMPLATE, {"input": {"projectId": project["id"], "name": "T", "style": style}}
    )
    assert error_fields(result.ok()["createTemplate"]) == [(["input", "style"], "INVALID")]


async def test_unknown_variable_type_is_refused_by_the_schema(tenant: Tenant) -> None:
    project = await create_project(tenant, "tpl-type")
    result = await tenant.gql(
        CREATE_TEMPLATE,
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
    assert await listed(tenant) == []


async def test_update_checks_style_against_kept_variables(tenant: Tenant) -> None:
    project = await create_project(tenant, "tpl-update")
    template = await create_template(tenant, project["id"])
    bad = (
        await tenant.gql(
            UPDATE, {"input": {"id": template["id"], "style": {"x": "{{nope}}"}, "name": "N"}}
        )
    ).ok()["updateTemplate"]
    assert error_fields(bad) == [(["input", "style"], "INVALID")]
    dropped = (
        await tenant.gql(
            UPDATE, {"input": {"id": template["id"], "variables": STYLE_VARIABLES[:1]}}
        )
    ).ok()["updateTemplate"]
    assert (["input", "style"], "INVALID") in error_fields(dropped)

    unchanged = (
        await tenant.gql("query($id: ID!) { template(id: $id) { name version } }", template)
    ).ok()["template"]
    assert unchanged == {"name": "Lower third", "version": 1}

    good = (
        await tenant.gql(
            UPDATE,
            {
                "input": {
                    "id": template["id"],
                    "style": {"x": "{{title}}"},
                    "variables": STYLE_VARIABLES[:1],
                }
            },
        )
    ).ok()["updateTemplate"]
    assert good["userErrors"] == []
    assert good["template"]["style"] == {"x": "{{title}}"}
    assert [v["key"] for v in good["template"]["variables"]] == ["title"]
    assert good["template"]["version"] == 2
    assert await events_of(tenant, template["id"]) == [
        ("template.created", 1),
        ("template.updated", 2),
    ]


async def test_update_rejects_null_style(tenant: Tenant) -> None:
    project = await create_project(tenant, "tpl-null")
    template = await create_template(tenant, project["id"])
    result = (await tenant.gql(UPDATE, {"input": {"id": template["id"], "style": None}})).ok()[
        "updateTemplate"
    ]
    assert error_fields(result) == [(["input", "style"], "REQUIRED")]


async def test_delete_refused_while_jobs_are_active(tenant: Tenant) -> None:
    project = await create_project(tenant, "tpl-delete")
    template = await create_template(tenant, project["id"])
    job = await submit_ok(
        tenant,
        projectId=project["id"],
        kind="GENERATE",
        templateId=template["id"],
        variables={"title": "Hi"},
    )
    refused = (await tenant.gql(DELETE, {"id": template["id"]})).ok()["deleteTemplate"]
    assert refused == {
        "deletedTemplateId": None,
        "userErrors": [
            {
                "field": ["input", "id"],
                "code": "INVALID_STATE",
                "message": refused["userErrors"][0]["message"],
            }
        ],
    }
    assert await listed(tenant) == [template["id"]]

    await tenant.gql("mutation($id: ID!) { cancelJob(input: {id: $id}) { job { id } } }", job)
    deleted = (await tenant.gql(DELETE, {"id": template["id"]})).ok()["deleteTemplate"]
    assert deleted == {"deletedTemplateId": template["id"], "userErrors": []}
    assert await listed(tenant) == []
    kept = (
        await tenant.gql(
            "query($id: ID!) { job(id: $id) { templateId template { id } resolvedStyle } }", job
        )
    ).ok()["job"]
    assert kept["templateId"] is None and kept["template"] is None
    assert kept["resolvedStyle"]["heading"] == "Hi"
    assert await events_of(tenant, template["id"]) == [
        ("template.created", 1),
        ("template.deleted", 2),
    ]


async def test_other_organisation_cannot_see_or_change(tenant: Tenant, make_tenant: Any) -> None:
    project = await create_project(tenant, "tpl-private")
    template = await create_template(tenant, project["id"])
    other = await make_tenant()
    read = (
        await other.gql(
            "query($id: ID!) { template(id: $id) { id } node(id: $id) { id } }", template
        )
    ).ok()
    assert read == {"template": None, "node": None}
    assert (await other.gql(TEMPLATES)).ok()["templates"]["nodes"] == []
    update = (await other.gql(UPDATE, {"input": {"id": template["id"], "name": "x"}})).ok()
    assert error_fields(update["updateTemplate"]) == [(["input", "id"], "NOT_FOUND")]
    delete = (await other.gql(DELETE, {"id": template["id"]})).ok()["deleteTemplate"]
    assert error_fields(delete) == [(["input", "id"], "NOT_FOUND")]
    create = (
        await other.gql(
            CREATE_TEMPLATE, {"input": {"projectId": project["id"], "name": "x", "style": {}}}
        )
    ).ok()["createTemplate"]
    assert error_fields(create) == [(["input", "projectId"], "NOT_FOUND")]
    assert await listed(tenant) == [template["id"]]


async def test_scopes_and_project_limits(tenant: Tenant) -> None:
    allowed = await create_project(tenant, "tpl-allowed")
    hidden = await create_project(tenant, "tpl-hidden")
    mine = await create_template(tenant, allowed["id"])
    await create_template(tenant, hidden["id"])

    reader = await tenant.key(Scope.CONTENT_READ, Scope.PROJECTS_READ, project_ids=[allowed["id"]])
    listed_ids = (await tenant.gql(TEMPLATES, token=reader)).ok()["templates"]["nodes"]
    assert [n["id"] for n in listed_ids] == [mine["id"]]
    refused = await tenant.gql(
        CREATE_TEMPLATE,
        {"input": {"projectId": allowed["id"], "name": "x", "style": {}}},
        token=reader,
    )
    assert refused.codes == ["UNAUTHORIZED_SCOPE"]

    jobs_only = await tenant.key(Scope.JOBS_READ)
    assert (await tenant.gql(TEMPLATES, token=jobs_only)).codes == ["UNAUTHORIZED_SCOPE"]


async def test_list_by_project_paginates_in_constant_statements(
    tenant: Tenant, services: Any
) -> None:
    first = await create_project(tenant, "tpl-list-a")
    second = await create_project(tenant, "tpl-list-b")
    ids = [(await create_template(tenant, first["id"], name=f"T{i}"))["id"] for i in range(5)]
    await create_template(tenant, second["id"])
    assert sorted(await listed(tenant, first["id"])) == sorted(ids)

    with count_statements(services) as statements:
        (await tenant.gql(TEMPLATES, {"projectId": first["id"], "first": 2})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        page = (await tenant.gql(TEMPLATES, {"projectId": first["id"], "first": 5})).ok()
    assert len(statements) == small
    assert page["templates"]["nodes"][0]["project"] == {"id": first["id"]}
