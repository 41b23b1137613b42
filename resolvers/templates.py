"""Templates: a project's styles with ``{{var}}`` placeholders, filled in by jobs.

Changing a template never changes a job already submitted: each job stores its own merged
variables and resolved style. A template that queued or running jobs use cannot be deleted;
finished jobs that used it keep their copy and lose only the link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from app.errors import FieldError
from app.json_bounds import JsonBounds
from app.models import Job, JobStatus, Project, Template
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.template_variables import (
    VariableDefinition,
    check_definitions,
    check_template,
    definitions_of,
    unused_variables,
)
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import Checker, InputErrorCode, InputErrors
from resolvers.writes import apply_changes, load_for_update, load_visible


@dataclass(frozen=True, slots=True)
class TemplateFilter:
    name: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


async def get_template(ctx: Context, template_id: str) -> Template | None:
    template: Template | None = await ctx.loaders.by_id(Template).load(template_id)
    return template


async def list_templates(
    ctx: Context,
    project_id: str | None,
    filter: TemplateFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Template]:
    stmt = select(Template).where(*visibility(ctx, Template))
    if project_id is not None:
        stmt = stmt.where(col(Template.project_id) == project_id)
    if filter.name is not None:
        stmt = stmt.where(col(Template.name) == filter.name)
    if filter.updated_after is not None:
        stmt = stmt.where(col(Template.updated_at) > filter.updated_after)
    if filter.updated_before is not None:
        stmt = stmt.where(col(Template.updated_at) < filter.updated_before)
    return await paginate(ctx.db, stmt, Template, ordering, first, after)


def template_unused_variables(template: Template) -> list[str]:
    return unused_variables(template.style, definitions_of(template.variables))


def _check_fields(check: Checker, values: Mapping[str, Any], *, creating: bool) -> None:
    check.text("name", values.get("name"), max_length=100, required=creating)
    check.text("description", values.get("description"), max_length=2000)
    check.json_object("metadata", values.get("meta"), bounds=JsonBounds(max_bytes=16 * 1024))
    if not creating:
        for required in ("name", "style"):
            if required in values and values[required] is None:
                check.add(required, InputErrorCode.REQUIRED, f"`{required}` cannot be null.")


def _definitions(check: Checker, raw: Any) -> list[VariableDefinition]:
    return check_definitions(check, list(raw or ()))


async def create_template(ctx: Context, values: Mapping[str, Any]) -> Template:
    check = Checker()
    _check_fields(check, values, creating=True)
    definitions = _definitions(check, values.get("variables"))
    check_template(check, values.get("style"), definitions)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        project = await load_visible(
            uow, Project, values["project_id"], path=("input", "projectId"), what="Project"
        )
        template = Template(
            org_id=ctx.org_id,
            project_id=project.id,
            name=values["name"],
            description=values.get("description") or "",
            style=dict(values["style"]),
            variables=[d.to_json() for d in definitions],
            meta=values.get("meta") or {},
        )
        uow.add(template)
        uow.emit(template, "created")
    return template


async def update_template(ctx: Context, template_id: str, values: Mapping[str, Any]) -> Template:
    """Change fields; style and variables are checked together, old values filling the gap."""
    check = Checker()
    _check_fields(check, values, creating=False)
    new_definitions = _definitions(check, values["variables"]) if "variables" in values else None
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        template = await load_for_update(uow, Template, template_id, what="Template")
        if "style" in values or new_definitions is not None:
            definitions = (
                new_definitions
                if new_definitions is not None
                else definitions_of(template.variables)
            )
            check_template(check, values.get("style", template.style), definitions)
            check.raise_if_any()
        changes: dict[str, Any] = {}
        for name in ("name", "style"):
            if name in values:
                changes[name] = values[name]
        if "description" in values:
            changes["description"] = values["description"] or ""
        if "meta" in values:
            changes["meta"] = values["meta"] or {}
        if new_definitions is not None:
            changes["variables"] = [d.to_json() for d in new_definitions]
        if apply_changes(template, changes):
            uow.changed(template)
    return template


async def delete_template(ctx: Context, template_id: str) -> str:
    """Refused while queued or running jobs use the template (they may still need it)."""
    async with unit_of_work(ctx) as uow:
        template = await load_for_update(uow, Template, template_id, what="Template")
        active = await uow.session.execute(
            select(Job.id)
            .where(
                col(Job.template_id) == template.id,
                col(Job.status).in_([JobStatus.QUEUED, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if active.first() is not None:
            raise InputErrors(
                [
                    FieldError(
                        ("input", "id"),
                        InputErrorCode.INVALID_STATE.value,
                        "Queued or running jobs use this template; cancel them or let them "
                        "finish first.",
                    )
                ]
            )
        await uow.delete(template)
    return template_id
