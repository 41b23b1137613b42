"""Helpers shared by the template and job suites: projects, templates, jobs, assets, events.

Fields are given and read in REST names (``template_id``, ``resolved_style``) over either
transport; see ``tests/api_client.py``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from app.auth.scopes import Scope
from app.models import Asset, AssetKind, Event
from tests.api_client import Api, Outcome
from tests.conftest import Tenant

STYLE_VARIABLES: list[dict[str, Any]] = [
    {"key": "title", "type": "string", "required": True},
    {"key": "size", "type": "number", "default": 12},
    {"key": "accent", "type": "color", "default": "#ff8800"},
    {"key": "shadow", "type": "boolean", "default": False},
    {"key": "mood", "type": "select", "options": ["calm", "tense"], "default": "calm"},
]

STYLE = {
    "heading": "{{title}}",
    "font": {"size": "{{size}}", "family": "Inter"},
    "palette": ["{{accent}}", "#000"],
    "shadow": "{{ shadow }}",
    "caption": "{{title}} ({{mood}}, {{size}}px)",
}


async def create_project(api: Api, slug: str, **extra: Any) -> dict[str, Any]:
    created = await api.create("projects", {"slug": slug, "name": slug.title(), **extra})
    project: dict[str, Any] = created.ok()
    return project


async def create_template(
    api: Api,
    project_id: str,
    *,
    style: Any = None,
    variables: list[dict[str, Any]] | None = None,
    name: str = "Lower third",
    token: str | None = None,
) -> dict[str, Any]:
    fields = {
        "name": name,
        "style": STYLE if style is None else style,
        "variables": STYLE_VARIABLES if variables is None else variables,
    }
    created = await api.create("templates", fields, parent=project_id, token=token)
    template: dict[str, Any] = created.ok()
    return template


async def submit(api: Api, project_id: str, *, token: str | None = None, **fields: Any) -> Outcome:
    return await api.create("jobs", fields, parent=project_id, token=token)


async def submit_ok(
    api: Api, project_id: str, *, token: str | None = None, **fields: Any
) -> dict[str, Any]:
    job: dict[str, Any] = (await submit(api, project_id, token=token, **fields)).ok()
    return job


async def claim(api: Api, token: str, kinds: list[str], **extra: Any) -> Outcome:
    """The claimed job is ``outcome.value``; None (REST: 204) when there is nothing to claim."""
    return await api.action("jobs", "claim", fields={"kinds": kinds, **extra}, token=token)


async def read_job(api: Api, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = (await api.get("jobs", job_id)).ok()
    return job


async def farm(api: Api, **extra: Any) -> str:
    """A render farm's key."""
    token: str = await api.tenant.key(Scope.JOBS_EXECUTE, Scope.JOBS_READ, **extra)
    return token


async def add_asset(tenant: Tenant, project_id: str) -> str:
    """Stored directly: the assets domain has its own suite; jobs only need a row to point at."""
    async with tenant.services.db.writing() as session:
        asset = Asset(
            org_id=tenant.org_id,
            project_id=project_id,
            name="render.mp4",
            type=AssetKind.VIDEO,
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
