"""Projects: the unit partners work in; deleting one archives it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.errors import ApiError, ErrorCode
from app.models import Project, ProjectStatus
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import Checker, InputErrorCode
from resolvers.writes import apply_changes, ensure_unique, load_for_update

SLUG_RE = re.compile(r"[a-z0-9-]{3,50}")
CLEARED: dict[str, Any] = {"settings": {}, "meta": {}, "description": ""}
"""What an explicit null sets these non-nullable fields to."""


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    status: ProjectStatus | None = None
    slug: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


async def get_project(ctx: Context, project_id: str) -> Project | None:
    project: Project | None = await ctx.loaders.by_id(Project).load(project_id)
    return project


async def list_projects(
    ctx: Context, filter: ProjectFilter, ordering: Ordering, first: int | None, after: str | None
) -> Page[Project]:
    stmt = select(Project).where(*visibility(ctx, Project))
    if filter.status is not None:
        stmt = stmt.where(col(Project.status) == filter.status)
    if filter.slug is not None:
        stmt = stmt.where(col(Project.slug) == filter.slug)
    if filter.updated_after is not None:
        stmt = stmt.where(col(Project.updated_at) > filter.updated_after)
    if filter.updated_before is not None:
        stmt = stmt.where(col(Project.updated_at) < filter.updated_before)
    return await paginate(ctx.db, stmt, Project, ordering, first, after)


def _check(check: Checker, values: Mapping[str, Any], *, creating: bool) -> None:
    check.text(
        "slug",
        values.get("slug"),
        max_length=50,
        required=creating,
        pattern=SLUG_RE,
        hint="must be 3-50 characters of a-z, 0-9 and -",
    )
    check.text("name", values.get("name"), max_length=100, required=creating)
    check.text("description", values.get("description"), max_length=2000)
    check.json_object("settings", values.get("settings"))
    check.json_object("metadata", values.get("meta"))
    quota = values.get("render_quota")
    if quota is not None and quota < 0:
        check.add("renderQuota", InputErrorCode.OUT_OF_RANGE, "`renderQuota` must not be negative.")
    if values.get("status") == ProjectStatus.ARCHIVED:
        check.add("status", InputErrorCode.INVALID, "Archive a project with `archiveProject`.")


async def create_project(ctx: Context, values: Mapping[str, Any]) -> Project:
    if ctx.principal.project_ids is not None:
        raise ApiError(ErrorCode.FORBIDDEN, "A key limited to listed projects cannot create one.")
    check = Checker()
    _check(check, values, creating=True)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        await ensure_unique(
            uow,
            Project,
            "slug",
            values["slug"],
            scope={"org_id": ctx.org_id},
            exclude_id=None,
            path=("input", "slug"),
        )
        project = Project(org_id=ctx.org_id, **{k: v for k, v in values.items() if v is not None})
        uow.add(project)
        uow.emit(project, "created")
    return project


async def update_project(ctx: Context, project_id: str, values: Mapping[str, Any]) -> Project:
    check = Checker()
    _check(check, values, creating=False)
    for required in ("slug", "name", "status"):
        if required in values and values[required] is None:
            check.add(required, InputErrorCode.REQUIRED, f"`{required}` cannot be null.")
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        project = await load_for_update(uow, Project, project_id, what="Project")
        if values.get("slug") not in (None, project.slug):
            await ensure_unique(
                uow,
                Project,
                "slug",
                values["slug"],
                scope={"org_id": ctx.org_id},
                exclude_id=project.id,
                path=("input", "slug"),
            )
        changes = {
            k: (CLEARED.get(k) if v is None and k in CLEARED else v) for k, v in values.items()
        }
        if apply_changes(project, changes):
            uow.changed(project)
    return project


async def archive_project(ctx: Context, project_id: str) -> Project:
    async with unit_of_work(ctx) as uow:
        project = await load_for_update(uow, Project, project_id, what="Project")
        if project.status != ProjectStatus.ARCHIVED:
            project.status = ProjectStatus.ARCHIVED
            uow.changed(project, "archived")
    return project
