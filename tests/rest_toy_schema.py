# mypy: disable-error-code="untyped-decorator, arg-type, return-value"
"""A small stand-in schema with the shapes other domains bring (nested lists, actions, claims,
secrets in payloads, value objects), so the REST generator is tested beyond projects.

Resolvers keep rows in a dict per schema instance; nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.errors import ApiError, ErrorCode, FieldError


@strawberry.enum
class JobStatus(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    CANCELLED = "cancelled"


@strawberry.enum
class Direction(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum
class SceneOrderField(Enum):
    POSITION = "position"
    CREATED_AT = "created_at"


@strawberry.input
class SceneOrder:
    field: SceneOrderField = SceneOrderField.POSITION
    direction: Direction = Direction.ASC


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class UserError:
    field: list[str] | None
    code: str
    message: str


@strawberry.type
class Project:
    id: strawberry.ID
    name: str


@strawberry.type(description="A scene of a project.")
class Scene:
    id: strawberry.ID
    project_id: strawberry.ID
    title: str = strawberry.field(description="Shown in the editor.")
    position: int

    @strawberry.field
    def project(self, info: Info) -> Project | None:
        row = info.context.projects.get(self.project_id)
        return None if row is None else Project(**row)


@strawberry.type
class ByteRange:
    start: int
    end: int


@strawberry.type
class Segment:
    id: strawberry.ID
    text: str
    duration_ms: int | None
    span: ByteRange | None
    scene_id: strawberry.ID

    @strawberry.field
    def characters(self) -> list[Project]:
        return [Project(id=strawberry.ID("prj_a"), name="a")]

    @strawberry.field
    def owner(self, info: Info) -> Project | None:
        raise ApiError(ErrorCode.UNAUTHORIZED_SCOPE, "needs projects:read")


@strawberry.type
class Job:
    id: strawberry.ID
    status: JobStatus
    tags: list[JobStatus]
    progress: int


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str


@strawberry.type(name="WebhookEndpoint")
class Webhook:
    id: strawberry.ID
    url: str


@strawberry.type
class Delivery:
    id: strawberry.ID
    status_code: int


@strawberry.type
class Viewer:
    org_id: str
    scopes: list[str]


def connection(name: str, node: type) -> type:
    return strawberry.type(
        type(name, (), {"__annotations__": {"nodes": list[node], "page_info": PageInfo}}),  # type: ignore[valid-type]
        name=name,
    )


SceneConnection: Any = connection("SceneConnection", Scene)
SegmentConnection: Any = connection("SegmentConnection", Segment)
JobConnection: Any = connection("JobConnection", Job)
ApiKeyConnection: Any = connection("ApiKeyConnection", ApiKey)
WebhookConnection: Any = connection("WebhookEndpointConnection", Webhook)
DeliveryConnection: Any = connection("DeliveryConnection", Delivery)
ProjectConnection: Any = connection("ProjectConnection", Project)


@strawberry.input
class SegmentFilter:
    min_duration_ms: int | None = None
    tags: list[str] | None = None
    updated_after: datetime | None = None


@strawberry.input
class CreateSceneInput:
    project_id: strawberry.ID
    title: str
    metadata: JSON | None = None


@strawberry.input
class UpdateSceneInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET


@strawberry.input
class IdInput:
    id: strawberry.ID


@strawberry.input
class ReorderScenesInput:
    project_id: strawberry.ID
    scene_ids: list[strawberry.ID]


@strawberry.input
class RangeInput:
    start: int
    end: int


@strawberry.input
class CreateSegmentInput:
    scene_id: strawberry.ID
    text: str
    span: RangeInput | None = None


@strawberry.input
class ClaimJobInput:
    statuses: list[JobStatus] | None = None


@strawberry.input
class ReportJobProgressInput:
    id: strawberry.ID
    progress: int


@strawberry.input
class CreateApiKeyInput:
    name: str


@strawberry.input
class ReplayDeliveriesInput:
    webhook_id: strawberry.ID
    since: datetime


@strawberry.type
class ScenePayload:
    scene: Scene | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ScenesPayload:
    scenes: list[Scene] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SegmentPayload:
    segment: Segment | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class JobPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKey | None = None
    secret: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReplayPayload:
    replayed: int = 0
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@dataclass
class Store:
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    scenes: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)


def _scene(info: Info, scene_id: str) -> Scene | None:
    row = info.context.scenes.get(scene_id)
    return None if row is None else Scene(**row)


def _missing(path: list[str], what: str) -> list[UserError]:
    return [UserError(field=path, code="NOT_FOUND", message=f"{what} not found.")]


@strawberry.type
class Query:
    @strawberry.field
    def node(self, id: strawberry.ID) -> Project | None:
        return None

    @strawberry.field(description="One scene.")
    def scene(self, info: Info, id: strawberry.ID) -> Scene | None:
        return _scene(info, id)

    @strawberry.field(description="Scenes of a project, in order.")
    def scenes(
        self,
        info: Info,
        project_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        order_by: SceneOrder | None = None,
    ) -> SceneConnection:
        info.context.calls.append(("scenes", {"first": first, "order_by": order_by}))
        rows = [Scene(**r) for r in info.context.scenes.values() if r["project_id"] == project_id]
        return SceneConnection(nodes=rows, page_info=PageInfo(has_next_page=False, end_cursor=None))

    @strawberry.field
    def segment(self, id: strawberry.ID) -> Segment | None:
        return Segment(
            id=id, text="hi", duration_ms=None, span=ByteRange(start=1, end=2), scene_id="scn_1"
        )

    @strawberry.field
    def segments(
        self,
        info: Info,
        scene_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        filter: SegmentFilter | None = None,
    ) -> SegmentConnection:
        info.context.calls.append(("segments", {"scene_id": scene_id, "filter": filter}))
        return SegmentConnection(nodes=[], page_info=PageInfo(has_next_page=True, end_cursor="c1"))

    @strawberry.field
    def job(self, info: Info, id: strawberry.ID) -> Job | None:
        if id == "job_throttled":
            raise ApiError(
                ErrorCode.RATE_LIMIT_EXCEEDED, "Slow down.", headers={"Retry-After": "7"}
            )
        row = info.context.jobs.get(id)
        return None if row is None else Job(**row)

    @strawberry.field
    def jobs(self, first: int | None = None, after: str | None = None) -> JobConnection:
        return JobConnection(nodes=[], page_info=PageInfo(has_next_page=False, end_cursor=None))

    @strawberry.field
    def api_key(self, id: strawberry.ID) -> ApiKey | None:
        return None

    @strawberry.field
    def api_keys(self, first: int | None = None) -> ApiKeyConnection:
        return ApiKeyConnection(nodes=[], page_info=PageInfo(has_next_page=False, end_cursor=None))

    @strawberry.field
    def webhook(self, id: strawberry.ID) -> Webhook | None:
        return None

    @strawberry.field
    def webhooks(self, first: int | None = None) -> WebhookConnection:
        return WebhookConnection(nodes=[], page_info=PageInfo(has_next_page=False, end_cursor=None))

    @strawberry.field
    def deliveries(self, webhook_id: strawberry.ID, first: int | None = None) -> DeliveryConnection:
        return DeliveryConnection(
            nodes=[], page_info=PageInfo(has_next_page=False, end_cursor=None)
        )

    @strawberry.field(description="Who is calling.")
    def viewer(self) -> Viewer:
        return Viewer(org_id="org_1", scopes=["admin"])

    @strawberry.field
    def template_preview(self, template_id: strawberry.ID, variables: JSON) -> JSON:
        return {"template": template_id, "variables": variables}


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a scene at the end of a project.")
    def create_scene(self, info: Info, input: CreateSceneInput) -> ScenePayload:
        if input.project_id not in info.context.projects:
            return ScenePayload(user_errors=_missing(["input", "projectId"], "Project"))
        if not input.title.strip():
            return ScenePayload(
                user_errors=[
                    UserError(
                        field=["input", "title"],
                        code="REQUIRED",
                        message="`title` must not be blank.",
                    )
                ]
            )
        scene_id = f"scn_{len(info.context.scenes) + 1}"
        row = {"id": scene_id, "project_id": input.project_id, "title": input.title, "position": 0}
        info.context.scenes[scene_id] = row
        return ScenePayload(scene=Scene(**row))

    @strawberry.mutation
    def update_scene(self, info: Info, input: UpdateSceneInput) -> ScenePayload:
        row = info.context.scenes.get(input.id)
        if row is None:
            return ScenePayload(user_errors=_missing(["input", "id"], "Scene"))
        if input.title is not strawberry.UNSET:
            row["title"] = input.title
        return ScenePayload(scene=Scene(**row))

    @strawberry.mutation
    def delete_scene(self, info: Info, input: IdInput) -> ScenePayload:
        if info.context.scenes.pop(input.id, None) is None:
            return ScenePayload(user_errors=_missing(["input", "id"], "Scene"))
        return ScenePayload(scene=None)

    @strawberry.mutation
    def archive_scene(self, info: Info, input: IdInput) -> ScenePayload:
        return ScenePayload(scene=_scene(info, input.id))

    @strawberry.mutation
    def reorder_scenes(self, info: Info, input: ReorderScenesInput) -> ScenesPayload:
        scenes = [s for i in input.scene_ids if (s := _scene(info, i)) is not None]
        return ScenesPayload(scenes=scenes)

    @strawberry.mutation
    def create_segment(self, info: Info, input: CreateSegmentInput) -> SegmentPayload:
        info.context.calls.append(("createSegment", input))
        span = ByteRange(start=input.span.start, end=input.span.end) if input.span else None
        segment = Segment(
            id=strawberry.ID("seg_1"),
            text=input.text,
            duration_ms=None,
            span=span,
            scene_id=input.scene_id,
        )
        return SegmentPayload(segment=segment)

    @strawberry.mutation
    def claim_job(self, info: Info, input: ClaimJobInput) -> JobPayload:
        for row in info.context.jobs.values():
            if row["status"] is JobStatus.QUEUED:
                row["status"] = JobStatus.RUNNING
                return JobPayload(job=Job(**row))
        return JobPayload(job=None)

    @strawberry.mutation
    def cancel_job(self, info: Info, input: IdInput) -> JobPayload:
        row = info.context.jobs.get(input.id)
        if row is None:
            return JobPayload(user_errors=_missing(["input", "id"], "Job"))
        if row["status"] is JobStatus.CANCELLED:
            raise ApiError(ErrorCode.CONFLICT, "Job is already cancelled.")
        row["status"] = JobStatus.CANCELLED
        return JobPayload(job=Job(**row))

    @strawberry.mutation
    def report_job_progress(self, info: Info, input: ReportJobProgressInput) -> JobPayload:
        if not 0 <= input.progress <= 100:
            raise ApiError(
                ErrorCode.VALIDATION_FAILED,
                "`progress` must be between 0 and 100.",
                fields=[FieldError(("input", "progress"), "OUT_OF_RANGE", "0 to 100.")],
            )
        row = info.context.jobs[input.id]
        row["progress"] = input.progress
        return JobPayload(job=Job(**row))

    @strawberry.mutation
    def create_api_key(self, input: CreateApiKeyInput) -> ApiKeyPayload:
        return ApiKeyPayload(
            api_key=ApiKey(id=strawberry.ID("key_1"), name=input.name), secret="rh_x"
        )

    @strawberry.mutation
    def rotate_api_key(self, input: IdInput) -> ApiKeyPayload:
        return ApiKeyPayload(api_key=ApiKey(id=input.id, name="k"), secret="rh_y")

    @strawberry.mutation
    def replay_deliveries(self, input: ReplayDeliveriesInput) -> ReplayPayload:
        return ReplayPayload(replayed=3)

    @strawberry.mutation
    def crash_job(self, input: IdInput) -> JobPayload:
        raise RuntimeError("secret internals")


def build_toy_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation)


def now() -> datetime:
    return datetime.now(UTC)
