"""The bare Strawberry peer: what a competent engineer would write instead of using Reelhouse.

The smallest honest Strawberry service for the bench rows' documents: asyncpg with a pool
(the raw ceiling's statements, ``bench.raw_app``), Strawberry's own ``DataLoader`` per relation
for the nested list, the parser and validation caches, orjson for responses; no
authentication, scopes, limits, idempotency or audit. Served by the harness like the API, with
the same environment as the raw ceiling.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

import asyncpg
import orjson
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.scalars import JSON

from bench import raw_app


@strawberry.enum
class ProjectStatus(Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


@strawberry.type
class Character:
    id: strawberry.ID
    name: str


@strawberry.type
class Segment:
    id: strawberry.ID
    position: int
    text: str
    duration_ms: int | None

    @strawberry.field
    async def characters(self, info: strawberry.Info[Context]) -> list[Character]:
        return await info.context.segment_characters.load(self.id)


@strawberry.type
class Scene:
    id: strawberry.ID
    title: str
    position: int

    @strawberry.field
    async def segments(self, info: strawberry.Info[Context]) -> list[Segment]:
        return await info.context.segments.load(self.id)


@strawberry.type
class Project:
    id: strawberry.ID
    slug: str
    name: str
    status: ProjectStatus = ProjectStatus.ACTIVE
    render_quota: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @strawberry.field
    async def characters(self, info: strawberry.Info[Context]) -> list[Character]:
        return await info.context.characters.load(self.id)

    @strawberry.field
    async def scenes(self, info: strawberry.Info[Context]) -> list[Scene]:
        return await info.context.scenes.load(self.id)


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input
class ProjectOrderBy:
    direction: OrderDirection = OrderDirection.DESC


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ProjectConnection:
    nodes: list[Project]
    page_info: PageInfo


@strawberry.type
class UserError:
    field: list[str]
    code: str
    message: str


@strawberry.type
class CreatedProject:
    id: strawberry.ID
    slug: str


@strawberry.type
class CreateProjectPayload:
    project: CreatedProject | None
    user_errors: list[UserError]


@strawberry.input
class CreateProjectInput:
    slug: str
    name: str
    settings: JSON | None = None


def _children(
    pool: asyncpg.Pool, statement: str, parent: str, build: Any
) -> DataLoader[str, list[Any]]:
    async def load(keys: list[str]) -> Sequence[list[Any]]:
        async with pool.acquire() as connection:
            groups = raw_app.grouped(await connection.fetch(statement, keys), parent)
        return [[build(row) for row in groups.get(key, [])] for key in keys]

    return DataLoader(load_fn=load)


def _character(row: Any) -> Character:
    return Character(id=row["id"], name=row["name"])


def _scene(row: Any) -> Scene:
    return Scene(id=row["id"], title=row["title"], position=row["position"])


def _segment(row: Any) -> Segment:
    return Segment(
        id=row["id"], position=row["position"], text=row["text"], duration_ms=row["duration_ms"]
    )


@dataclass
class Context:
    """The pool and one loader per relation, new for each request."""

    pool: asyncpg.Pool

    def __post_init__(self) -> None:
        self.characters = _children(self.pool, raw_app.CHARACTERS_OF, "project_id", _character)
        self.scenes = _children(self.pool, raw_app.SCENES_OF, "project_id", _scene)
        self.segments = _children(self.pool, raw_app.SEGMENTS_OF, "scene_id", _segment)
        self.segment_characters = _children(
            self.pool, raw_app.SEGMENT_CHARACTERS_OF, "segment_id", _character
        )


@strawberry.type
class Query:
    @strawberry.field
    async def project(self, info: strawberry.Info[Context], id: strawberry.ID) -> Project | None:
        async with info.context.pool.acquire() as connection:
            row = await connection.fetchrow(raw_app.PROJECT_BY_ID, id, raw_app.org_id())
        if row is None:
            return None
        return Project(
            id=row["id"],
            slug=row["slug"],
            name=row["name"],
            status=ProjectStatus(row["status"]),
            render_quota=row["render_quota"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    @strawberry.field
    async def projects(
        self,
        info: strawberry.Info[Context],
        first: int = 25,
        order_by: ProjectOrderBy | None = None,
    ) -> ProjectConnection:
        direction = (order_by or ProjectOrderBy()).direction.value
        statement = raw_app.PROJECTS_PAGE[direction]
        async with info.context.pool.acquire() as connection:
            rows = await connection.fetch(statement, raw_app.org_id(), first + 1)
        nodes = [Project(id=r["id"], slug=r["slug"], name=r["name"]) for r in rows[:first]]
        return ProjectConnection(
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=len(rows) > first, end_cursor=nodes[-1].id if nodes else None
            ),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_project(
        self, info: strawberry.Info[Context], input: CreateProjectInput
    ) -> CreateProjectPayload:
        settings: dict[str, Any] = input.settings if isinstance(input.settings, dict) else {}
        async with info.context.pool.acquire() as connection:
            created = await raw_app.create_project(connection, input.slug, input.name, settings)
        if created is None:
            error = UserError(field=["input", "slug"], code="TAKEN", message="Slug is taken.")
            return CreateProjectPayload(project=None, user_errors=[error])
        project = CreatedProject(id=created["id"], slug=created["slug"])
        return CreateProjectPayload(project=project, user_errors=[])


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
)


class PeerGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(pool=request.app.state.pool)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await raw_app.create_pool()
    try:
        yield
    finally:
        await app.state.pool.close()


async def health(_request: Request) -> Response:
    return Response(b"ok")


app = Starlette(
    routes=[
        Route("/health", health),
        Route("/graphql", PeerGraphQL(schema, graphql_ide=None), methods=["GET", "POST"]),
    ],
    lifespan=lifespan,
)
