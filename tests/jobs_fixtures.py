"""Helpers shared by the template and job suites: projects, templates, jobs, assets, events."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from app.models import Asset, Event
from tests.conftest import Tenant

TEMPLATE_FIELDS = """
id projectId name description style metadata version
variables { key type required default options }
unusedVariables
"""

JOB_FIELDS = """
id projectId kind status input templateId variables resolvedStyle progress progressMessage
outputAssetId error claimedBy startedAt finishedAt metadata version createdAt updatedAt
"""

CREATE_TEMPLATE = f"""
mutation($input: CreateTemplateInput!) {{
  createTemplate(input: $input) {{
    template {{ {TEMPLATE_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""

SUBMIT = f"""
mutation($input: SubmitJobInput!) {{
  submitJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}"""

CLAIM = f"""
mutation($input: ClaimJobInput!) {{
  claimJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}"""

JOB = f"query($id: ID!) {{ job(id: $id) {{ {JOB_FIELDS} }} }}"

STYLE_VARIABLES: list[dict[str, Any]] = [
    {"key": "title", "type": "STRING", "required": True},
    {"key": "size", "type": "NUMBER", "default": 12},
    {"key": "accent", "type": "COLOR", "default": "#ff8800"},
    {"key": "shadow", "type": "BOOLEAN", "default": False},
    {"key": "mood", "type": "SELECT", "options": ["calm", "tense"], "default": "calm"},
]

STYLE = {
    "heading": "{{title}}",
    "font": {"size": "{{size}}", "family": "Inter"},
    "palette": ["{{accent}}", "#000"],
    "shadow": "{{ shadow }}",
    "caption": "{{title}} ({{mood}}, {{size}}px)",
}


async def create_project(tenant: Tenant, slug: str, **extra: Any) -> dict[str, Any]:
    result = await tenant.gql(
        "mutation($input: CreateProjectInput!) { createProject(input: $input) { "
        "project { id renderQuota renderUsage } userErrors { field code } } }",
        {"input": {"slug": slug, "name": slug.title(), **extra}},
    )
    payload = result.ok()["createProject"]
    assert payload["userErrors"] == [], payload
    project: dict[str, Any] = payload["project"]
    return project


async def create_template(
    tenant: Tenant,
    project_id: str,
    *,
    style: Any = None,
    variables: list[dict[str, Any]] | None = None,
    name: str = "Lower third",
    token: str | None = None,
) -> dict[str, Any]:
    result = await tenant.gql(
        CREATE_TEMPLATE,
        {
            "input": {
                "projectId": project_id,
                "name": name,
                "style": STYLE if style is None else style,
                "variables": STYLE_VARIABLES if variables is None else variables,
            }
        },
        token=token,
    )
    payload = result.ok()["createTemplate"]
    assert payload["userErrors"] == [], payload
    template: dict[str, Any] = payload["template"]
    return template


async def submit(tenant: Tenant, token: str | None = None, **input: Any) -> dict[str, Any]:
    """The submitJob payload (job and userErrors)."""
    result = await tenant.gql(SUBMIT, {"input": input}, token=token)
    payload: dict[str, Any] = result.ok()["submitJob"]
    return payload


async def submit_ok(tenant: Tenant, token: str | None = None, **input: Any) -> dict[str, Any]:
    payload = await submit(tenant, token, **input)
    assert payload["userErrors"] == [], payload
    job: dict[str, Any] = payload["job"]
    return job


async def claim(tenant: Tenant, token: str, kinds: list[str], **extra: Any) -> dict[str, Any]:
    result = await tenant.gql(CLAIM, {"input": {"kinds": kinds, **extra}}, token=token)
    payload: dict[str, Any] = result.ok()["claimJob"]
    return payload


async def read_job(tenant: Tenant, job_id: str) -> dict[str, Any] | None:
    job: dict[str, Any] | None = (await tenant.gql(JOB, {"id": job_id})).ok()["job"]
    return job


async def add_asset(tenant: Tenant, project_id: str) -> str:
    """Stored directly: the assets domain has its own suite; jobs only need a row to point at."""
    async with tenant.services.db.writing() as session:
        asset = Asset(
            org_id=tenant.org_id,
            project_id=project_id,
            name="render.mp4",
            type="video",
            mime_type="video/mp4",
        )
        session.add(asset)
    return asset.id


async def events_of(tenant: Tenant, aggregate_id: str) -> list[tuple[str, int]]:
    """``(type, sequence)`` of an aggregate's events, in sequence order."""
    async with tenant.services.db.reading() as session:
        rows = await session.execute(
            select(col(Event.type), col(Event.sequence))
            .where(col(Event.org_id) == tenant.org_id, col(Event.aggregate_id) == aggregate_id)
            .order_by(col(Event.sequence))
        )
        return [(t, s) for t, s in rows.all()]


async def event_types(tenant: Tenant, prefix: str) -> list[str]:
    async with tenant.services.db.reading() as session:
        rows = await session.execute(
            select(col(Event.type)).where(
                col(Event.org_id) == tenant.org_id, col(Event.type).startswith(prefix)
            )
        )
        return list(rows.scalars())


def error_fields(payload: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]
