"""Jobs in the GraphQL contract: partners submit and cancel, render farms claim and run."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import Asset, Job, Project, Template
from app.models import JobKind as JobKindValue
from app.models import JobStatus as JobStatusValue
from resolvers import jobs as logic
from schema.assets import AssetType
from schema.connections import Connection, order_by_input, ordering
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.models import FromRow, Node
from schema.node import register_node
from schema.projects import ProjectType
from schema.scalars import JSON
from schema.templates import TemplateType

JobKind = strawberry.enum(JobKindValue, name="JobKind")
JobStatus = strawberry.enum(JobStatusValue, name="JobStatus")


@strawberry.type(
    name="Job",
    description="A generation or render job: `QUEUED` → `RUNNING` → `SUCCEEDED` | `FAILED`; queued or "
    "running jobs can be `CANCELLED`.",
)
class JobType(FromRow, Node):
    project_id: strawberry.ID
    kind: JobKind  # type: ignore[valid-type]
    status: JobStatus  # type: ignore[valid-type]
    input: JSON | None = strawberry.field(description="Free-form instructions for the render farm.")
    template_id: strawberry.ID | None
    variables: JSON | None = strawberry.field(
        description="The job's variables merged over the template's defaults."
    )
    resolved_style: JSON | None = strawberry.field(
        description="The template's style with every placeholder filled in, as submitted."
    )
    progress: int = strawberry.field(description="0-100; never decreases.")
    progress_message: str | None = strawberry.field(description="From the latest report.")
    output_asset_id: strawberry.ID | None
    automation_run_id: strawberry.ID | None = strawberry.field(
        description="The automation run whose render action submitted the job."
    )
    error: str | None = strawberry.field(description="Why the job failed.")
    claimed_by: strawberry.ID | None = strawberry.field(description="Id of the claiming key.")
    started_at: datetime | None
    finished_at: datetime | None
    metadata: JSON | None
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[Job | None] = None

    def stored(self) -> Job:
        assert self.row is not None
        return self.row

    @query_field(scope=Scope.PROJECTS_READ, description="The project the job runs for.")
    async def project(self, info: Info) -> ProjectType | None:
        row = await info.context.loaders.by_id(Project).load(self.stored().project_id)
        return ProjectType.maybe(row)

    @query_field(scope=Scope.CONTENT_READ, description="The template; null without one.")
    async def template(self, info: Info) -> TemplateType | None:
        template_id = self.stored().template_id
        if template_id is None:
            return None
        return TemplateType.maybe(await info.context.loaders.by_id(Template).load(template_id))

    @query_field(
        scope=Scope.CONTENT_READ, description="The asset the job produced; null until it succeeds."
    )
    async def output_asset(self, info: Info) -> AssetType | None:
        asset_id = self.stored().output_asset_id
        if asset_id is None:
            return None
        return AssetType.maybe(await info.context.loaders.by_id(Asset).load(asset_id))


@strawberry.input
class JobFilter:
    status: JobStatus | None = None  # type: ignore[valid-type]
    kind: JobKind | None = None  # type: ignore[valid-type]
    template_id: strawberry.ID | None = None
    claimed_by: strawberry.ID | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> logic.JobFilter:
        return logic.JobFilter(
            status=self.status,
            kind=self.kind,
            template_id=self.template_id,
            claimed_by=self.claimed_by,
            updated_after=self.updated_after,
            updated_before=self.updated_before,
        )


@strawberry.input
class SubmitJobInput:
    project_id: strawberry.ID
    kind: JobKind  # type: ignore[valid-type]
    template_id: strawberry.ID | None = None
    variables: JSON | None = strawberry.field(
        default=None, description="Values by variable key; checked against the template."
    )
    input: JSON | None = None
    metadata: JSON | None = None


@strawberry.input
class CancelJobInput:
    id: strawberry.ID


@strawberry.input
class ClaimJobInput:
    kinds: list[JobKind]  # type: ignore[valid-type]
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this project's jobs; default: every visible project."
    )


@strawberry.input
class ReportJobProgressInput:
    id: strawberry.ID
    progress: int = strawberry.field(description="0-100, not below the last report.")
    message: str | None = None


@strawberry.input
class CompleteJobInput:
    id: strawberry.ID
    output_asset_id: strawberry.ID = strawberry.field(description="An asset of the job's project.")


@strawberry.input
class FailJobInput:
    id: strawberry.ID
    error: str


@strawberry.type
class JobPayload(MutationPayload):
    job: JobType | None = None


def _payload(job: Job | None) -> JobPayload:
    return JobPayload(job=JobType.maybe(job))


JobOrderBy = order_by_input("Job", CREATED_AT="created_at", UPDATED_AT="updated_at")


@strawberry.type
class JobQueries:
    @query_field(
        scope=None,
        scope_checked_by="resolvers.jobs.claimed_only: `jobs:read`, or `jobs:execute` for the "
        "jobs the key claimed",
        description="One job by id; null if not visible. A render farm's key (`jobs:execute` "
        "without `jobs:read`) sees the jobs it claimed.",
    )
    async def job(self, info: Info, id: strawberry.ID) -> JobType | None:
        return JobType.maybe(await logic.get_job(info.context, id))

    @query_field(
        scope=None,
        scope_checked_by="resolvers.jobs.claimed_only: `jobs:read`, or `jobs:execute` for the "
        "jobs the key claimed",
        description="Jobs of one project, or of every project the key sees (a render farm's "
        "`jobs:execute` key: the jobs it claimed).",
    )
    async def jobs(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: JobFilter | None = None,
        order_by: JobOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[JobType]:
        page = await logic.list_jobs(
            info.context,
            project_id,
            (filter or JobFilter()).to_logic(),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, JobType.from_row)


@strawberry.type
class JobMutations:
    @mutation_field(
        scope=Scope.JOBS_WRITE,
        description="Queue a job. Variables are checked against the template (UNKNOWN_VARIABLE, "
        "REQUIRED, INVALID at `input.variables.<key>`); a render job uses one unit of the "
        "project's render quota (QUOTA_EXCEEDED when none is left).",
    )
    async def submit_job(self, info: Info, input: SubmitJobInput) -> JobPayload:
        values = {
            "project_id": input.project_id,
            "kind": input.kind,
            "template_id": input.template_id,
            "variables": input.variables,
            "input": input.input,
            "meta": input.metadata,
        }
        return _payload(await logic.submit_job(info.context, values))

    @mutation_field(
        scope=Scope.JOBS_WRITE, description="Cancel a queued or running job (else INVALID_STATE)."
    )
    async def cancel_job(self, info: Info, input: CancelJobInput) -> JobPayload:
        return _payload(await logic.cancel_job(info.context, input.id))

    @mutation_field(
        scope=Scope.JOBS_EXECUTE,
        description="Take the oldest queued job of these kinds and mark it running for this key; "
        "no job when none is waiting (REST: 204). No job is ever given to two claimers.",
    )
    async def claim_job(self, info: Info, input: ClaimJobInput) -> JobPayload:
        return _payload(await logic.claim_job(info.context, input.kinds, input.project_id))

    @mutation_field(
        scope=Scope.JOBS_EXECUTE,
        description="Report progress of a running job this key claimed (another key: FORBIDDEN; "
        "a job no longer running, e.g. cancelled: INVALID_STATE).",
    )
    async def report_job_progress(self, info: Info, input: ReportJobProgressInput) -> JobPayload:
        return _payload(
            await logic.report_progress(info.context, input.id, input.progress, input.message)
        )

    @mutation_field(
        scope=Scope.JOBS_EXECUTE,
        description="Finish a running job this key claimed with its output asset.",
    )
    async def complete_job(self, info: Info, input: CompleteJobInput) -> JobPayload:
        return _payload(await logic.complete_job(info.context, input.id, input.output_asset_id))

    @mutation_field(
        scope=Scope.JOBS_EXECUTE, description="Mark a running job this key claimed as failed."
    )
    async def fail_job(self, info: Info, input: FailJobInput) -> JobPayload:
        return _payload(await logic.fail_job(info.context, input.id, input.error))


register_node(IdPrefix.JOB, Job, JobType, Scope.JOBS_READ)

QUERIES: tuple[type, ...] = (JobQueries,)
MUTATIONS: tuple[type, ...] = (JobMutations,)
