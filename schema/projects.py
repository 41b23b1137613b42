"""Projects in the GraphQL contract."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import Project
from app.models import ProjectStatus as ProjectStatusValue
from resolvers import projects as logic
from schema.connections import Connection, order_by_input, ordering
from schema.content import project_characters, project_scenes
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node
from schema.scalars import JSON

ProjectStatus = strawberry.enum(ProjectStatusValue, name="ProjectStatus")


@strawberry.type(name="Project", description="A production: everything else lives in one.")
class ProjectType(FromRow, Node):
    slug: str = strawberry.field(description="Unique in the organisation: `^[a-z0-9-]{3,50}$`.")
    name: str
    description: str
    status: ProjectStatus  # type: ignore[valid-type]
    settings: JSON | None
    metadata: JSON | None
    render_quota: int | None = strawberry.field(description="Render jobs allowed; null: no limit.")
    render_usage: int = strawberry.field(description="Render jobs submitted so far.")
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime
    characters = project_characters
    scenes = project_scenes


@strawberry.input
class ProjectFilter:
    status: ProjectStatus | None = None  # type: ignore[valid-type]
    slug: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> logic.ProjectFilter:
        return logic.ProjectFilter(
            status=self.status,
            slug=self.slug,
            updated_after=self.updated_after,
            updated_before=self.updated_before,
        )


@strawberry.input
class CreateProjectInput:
    slug: str
    name: str
    description: str | None = None
    settings: JSON | None = None
    metadata: JSON | None = None
    render_quota: int | None = None


@strawberry.input
class UpdateProjectInput:
    id: strawberry.ID
    slug: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: ProjectStatus | None = strawberry.UNSET  # type: ignore[valid-type]
    settings: JSON | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET
    render_quota: int | None = strawberry.UNSET


@strawberry.input
class ArchiveProjectInput:
    id: strawberry.ID


@strawberry.type
class ProjectPayload(MutationPayload):
    project: ProjectType | None = None


ProjectOrderBy = order_by_input(
    "Project", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)


@strawberry.type
class ProjectQueries:
    @query_field(scope=Scope.PROJECTS_READ, description="One project by id; null if not visible.")
    async def project(self, info: Info, id: strawberry.ID) -> ProjectType | None:
        return ProjectType.maybe(await logic.get_project(info.context, id))

    @query_field(scope=Scope.PROJECTS_READ, description="Projects of the key's organisation.")
    async def projects(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ProjectFilter | None = None,
        order_by: ProjectOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[ProjectType]:
        page = await logic.list_projects(
            info.context, (filter or ProjectFilter()).to_logic(), ordering(order_by), first, after
        )
        return Connection.from_page(page, ProjectType.from_row)


@strawberry.type
class ProjectMutations:
    @mutation_field(scope=Scope.PROJECTS_WRITE, description="Create a project.")
    async def create_project(self, info: Info, input: CreateProjectInput) -> ProjectPayload:
        return ProjectPayload(
            project=ProjectType.from_row(
                await logic.create_project(info.context, changes_of(input))
            )
        )

    @mutation_field(
        scope=Scope.PROJECTS_WRITE,
        description="Change fields of a project; omitted fields are kept.",
    )
    async def update_project(self, info: Info, input: UpdateProjectInput) -> ProjectPayload:
        return ProjectPayload(
            project=ProjectType.from_row(
                await logic.update_project(
                    info.context, input.id, changes_of(input, exclude=("id",))
                )
            )
        )

    @mutation_field(scope=Scope.PROJECTS_WRITE, description="Archive a project (its delete).")
    async def archive_project(self, info: Info, input: ArchiveProjectInput) -> ProjectPayload:
        return ProjectPayload(
            project=ProjectType.from_row(await logic.archive_project(info.context, input.id))
        )


register_node(IdPrefix.PROJECT, Project, ProjectType, Scope.PROJECTS_READ)

QUERIES: tuple[type, ...] = (ProjectQueries,)
MUTATIONS: tuple[type, ...] = (ProjectMutations,)
