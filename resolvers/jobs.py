"""Jobs: partners submit and cancel them; render farms (``jobs:execute``) claim and run them.

Life cycle: ``queued`` → ``running`` (claimed) → ``succeeded`` | ``failed``; ``queued`` or
``running`` → ``cancelled``. Finished jobs never change again.

Only the key that claimed a job may report on it: another key gets a top-level ``FORBIDDEN``
(it is not something the caller can fix in its input). A job in the wrong state for the call
(cancelled while the farm was working, say) is a ``userError`` ``INVALID_STATE`` and nothing
changes, so a farm learns to drop the work.

Render quota: ``Project.render_usage`` counts render jobs ever submitted (cancelling does not
give one back). It is accounting, not an edit of the project, so it does not bump the project's
version; the ``job.queued`` event records each use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from app.auth.scopes import Scope
from app.clock import utcnow
from app.errors import ApiError, ErrorCode, FieldError
from app.json_bounds import JsonBounds
from app.models import Asset, Job, JobKind, JobStatus, Project, ProjectStatus, Template
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.template_variables import (
    MAX_VARIABLES,
    check_resolved_size,
    definitions_of,
    render_style,
    resolve_variables,
)
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, InputErrors, not_found
from resolvers.writes import apply_changes, load_for_update, load_visible

MAX_INPUT_BYTES = 64 * 1024
CLAIM_ATTEMPTS = 5
"""Candidates a claim tries before giving up; only concurrent claimers make one fail."""


@dataclass(frozen=True, slots=True)
class JobFilter:
    status: JobStatus | None = None
    kind: JobKind | None = None
    template_id: str | None = None
    claimed_by: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


def claimed_only(ctx: Context) -> bool:
    """Whether the caller reads jobs as a render farm: ``jobs:execute`` without ``jobs:read``
    sees the jobs it claimed (to pick its work up again), and no others."""
    if ctx.principal.has(Scope.JOBS_READ):
        return False
    if ctx.principal.has(Scope.JOBS_EXECUTE):
        return True
    raise ApiError(ErrorCode.UNAUTHORIZED_SCOPE, "This API key lacks the `jobs:read` scope.")


def job_visibility(ctx: Context) -> list[ColumnElement[bool]]:
    clauses = visibility(ctx, Job)
    if claimed_only(ctx):
        clauses.append(col(Job.claimed_by) == ctx.principal.credential_id)
    return clauses


async def get_job(ctx: Context, job_id: str) -> Job | None:
    farm = claimed_only(ctx)
    job: Job | None = await ctx.loaders.by_id(Job).load(job_id)
    if job is not None and farm and job.claimed_by != ctx.principal.credential_id:
        return None
    return job


async def list_jobs(
    ctx: Context,
    project_id: str | None,
    filter: JobFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Job]:
    stmt = select(Job).where(*job_visibility(ctx))
    if project_id is not None:
        stmt = stmt.where(col(Job.project_id) == project_id)
    if filter.status is not None:
        stmt = stmt.where(col(Job.status) == filter.status)
    if filter.kind is not None:
        stmt = stmt.where(col(Job.kind) == filter.kind)
    if filter.template_id is not None:
        stmt = stmt.where(col(Job.template_id) == filter.template_id)
    if filter.claimed_by is not None:
        stmt = stmt.where(col(Job.claimed_by) == filter.claimed_by)
    if filter.updated_after is not None:
        stmt = stmt.where(col(Job.updated_at) > filter.updated_after)
    if filter.updated_before is not None:
        stmt = stmt.where(col(Job.updated_at) < filter.updated_before)
    return await paginate(ctx.db, stmt, Job, ordering, first, after)


def _invalid_state(message: str, path: tuple[str, ...] = ("input", "id")) -> InputErrors:
    return InputErrors([FieldError(path, InputErrorCode.INVALID_STATE.value, message)])


async def submit_job(ctx: Context, values: Mapping[str, Any]) -> Job:
    """Queue a job. The project row is locked (PostgreSQL) or the write transaction is
    serialised (SQLite), so concurrent render submits cannot overrun the quota together."""
    async with unit_of_work(ctx) as uow:
        return await queue_job(uow, values)


async def queue_job(uow: UnitOfWork, values: Mapping[str, Any]) -> Job:
    """``submit_job`` inside the caller's unit of work (an automation records its action in
    the same transaction, so the job is queued exactly once)."""
    check = Checker()
    check.json_object("input", values.get("input"), bounds=JsonBounds(max_bytes=MAX_INPUT_BYTES))
    check.json_object("metadata", values.get("meta"), bounds=JsonBounds(max_bytes=16 * 1024))
    supplied = values.get("variables")
    check.json_object("variables", supplied, max_keys=MAX_VARIABLES)
    check.raise_if_any()
    kind = JobKind(values["kind"])
    ctx = uow.ctx
    project = await load_for_update(
        uow, Project, values["project_id"], path=("input", "projectId"), what="Project"
    )
    if project.status is not ProjectStatus.ACTIVE:
        raise _invalid_state(
            f"The project is {project.status.value}; only active projects take jobs.",
            ("input", "projectId"),
        )
    template = await _template_for(uow, project, values.get("template_id"))
    check = Checker()
    merged, resolved_style = _fill_in(check, template, supplied or {})
    if kind is JobKind.RENDER and _quota_used_up(project):
        check.add(
            "projectId",
            InputErrorCode.QUOTA_EXCEEDED,
            f"The project has used all {project.render_quota} render jobs of its quota.",
        )
    check.raise_if_any()
    if kind is JobKind.RENDER:
        project.render_usage += 1
    job = Job(
        org_id=ctx.org_id,
        project_id=project.id,
        kind=kind,
        input=values.get("input") or {},
        template_id=template.id if template is not None else None,
        variables=merged,
        resolved_style=resolved_style,
        meta=values.get("meta") or {},
        automation_run_id=values.get("automation_run_id"),
    )
    uow.add(job)
    uow.emit(job, "queued")
    return job


async def _template_for(
    uow: UnitOfWork, project: Project, template_id: str | None
) -> Template | None:
    """The job's template, share-locked so it cannot be deleted before the job commits."""
    if template_id is None:
        return None
    path = ("input", "templateId")
    template = await load_visible(
        uow, Template, template_id, path=path, what="Template", lock="share"
    )
    if template.project_id != project.id:
        raise not_found(path, "Template")
    return template


def _fill_in(
    check: Checker, template: Template | None, supplied: Mapping[str, Any]
) -> tuple[dict[str, Any], Any]:
    """The job's variables merged with the template's defaults, and the style they resolve."""
    definitions = definitions_of(template.variables) if template is not None else []
    merged = resolve_variables(check, definitions, supplied)
    if template is None or check.errors:
        return merged, None
    resolved_style = render_style(template.style, merged)
    check_resolved_size(check, resolved_style)
    return merged, resolved_style


def _quota_used_up(project: Project) -> bool:
    return project.render_quota is not None and project.render_usage >= project.render_quota


async def cancel_job(ctx: Context, job_id: str) -> Job:
    async with unit_of_work(ctx) as uow:
        job = await load_for_update(uow, Job, job_id, what="Job")
        if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            raise _invalid_state(
                f"The job is {job.status.value}; only queued or running jobs can be cancelled."
            )
        job.status = JobStatus.CANCELLED
        job.finished_at = utcnow()
        uow.changed(job, "cancelled")
    return job


async def claim_job(ctx: Context, kinds: Sequence[JobKind], project_id: str | None) -> Job | None:
    """The oldest queued job of ``kinds`` the key can see, now running for it; None if none.

    PostgreSQL skips rows other claimers hold (``FOR UPDATE SKIP LOCKED``), so claimers never
    wait on each other; the conditional update guards SQLite (and any other path) so a job
    moves from queued to running exactly once.
    """
    if not kinds:
        check = Checker()
        check.add("kinds", InputErrorCode.REQUIRED, "Name at least one job kind to claim.")
        check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        if project_id is not None:
            await load_visible(uow, Project, project_id, path=("input", "projectId"))
        for _ in range(CLAIM_ATTEMPTS):
            candidate = await _oldest_queued(uow, kinds, project_id)
            if candidate is None:
                return None
            if await _mark_running(uow, candidate):
                job = await uow.session.get(Job, candidate, populate_existing=True)
                assert job is not None
                uow.emit(job, "started")
                return job
    return None


async def _oldest_queued(
    uow: UnitOfWork, kinds: Sequence[JobKind], project_id: str | None
) -> str | None:
    ctx = uow.ctx
    active_projects = select(Project.id).where(
        col(Project.org_id) == ctx.org_id, col(Project.status) == ProjectStatus.ACTIVE
    )
    stmt = select(Job.id).where(
        *visibility(ctx, Job),
        col(Job.status) == JobStatus.QUEUED,
        col(Job.kind).in_(list(kinds)),
        col(Job.project_id).in_(active_projects),
    )
    if project_id is not None:
        stmt = stmt.where(col(Job.project_id) == project_id)
    stmt = stmt.order_by(col(Job.created_at), col(Job.id)).limit(1)
    if ctx.db.is_postgres:
        stmt = stmt.with_for_update(skip_locked=True)
    return (await uow.session.execute(stmt)).scalar_one_or_none()


async def _mark_running(uow: UnitOfWork, job_id: str) -> bool:
    now = utcnow()
    result = await uow.session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            claimed_by=uow.ctx.principal.credential_id,
            started_at=now,
            updated_at=now,
            version=col(Job.version) + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


async def running_job_of_caller(
    uow: UnitOfWork, job_id: str, path: tuple[str, ...] = ("input", "id")
) -> Job:
    """The running job ``job_id`` claimed by the caller (FORBIDDEN if another key claimed it,
    INVALID_STATE if it is not running)."""
    job = await load_for_update(uow, Job, job_id, path=path, what="Job")
    if job.status is not JobStatus.RUNNING:
        raise _invalid_state(f"The job is {job.status.value}, not running; drop the work.", path)
    if job.claimed_by != uow.ctx.principal.credential_id:
        raise ApiError(ErrorCode.FORBIDDEN, "Only the key that claimed this job may report on it.")
    return job


async def report_progress(ctx: Context, job_id: str, progress: int, message: str | None) -> Job:
    """Progress only grows; the message describes this report (omitting it clears the last)."""
    check = Checker()
    check.int_range("progress", progress, low=0, high=100)
    check.text("message", message, max_length=500)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        job = await running_job_of_caller(uow, job_id)
        if progress < job.progress:
            check.add(
                "progress",
                InputErrorCode.OUT_OF_RANGE,
                f"Progress cannot go back from {job.progress} to {progress}.",
            )
            check.raise_if_any()
        if apply_changes(job, {"progress": progress, "progress_message": message}):
            uow.changed(job, "progressed")
    return job


async def complete_job(ctx: Context, job_id: str, output_asset_id: str) -> Job:
    async with unit_of_work(ctx) as uow:
        job = await running_job_of_caller(uow, job_id)
        path = ("input", "outputAssetId")
        asset = await load_visible(uow, Asset, output_asset_id, path=path, what="Asset")
        if asset.project_id != job.project_id:
            raise not_found(path, "Asset")
        job.status = JobStatus.SUCCEEDED
        job.progress = 100
        job.output_asset_id = asset.id
        job.finished_at = utcnow()
        if asset.job_id is None:
            asset.job_id = job.id
            uow.changed(asset)
        uow.changed(job, "completed")
    return job


async def fail_job(ctx: Context, job_id: str, error: str) -> Job:
    check = Checker()
    check.text("error", error, max_length=5000, required=True)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        job = await running_job_of_caller(uow, job_id)
        job.status = JobStatus.FAILED
        job.error = error
        job.finished_at = utcnow()
        uow.changed(job, "failed")
    return job
