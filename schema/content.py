"""Characters, scenes and segments in the GraphQL contract: types, relations and queries.

``Project.characters`` and ``Project.scenes`` are declared here and attached to the Project type
in ``schema/projects.py``; ``ProjectType`` is referenced lazily, since that module imports this.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import Character, Project, Scene, Segment
from app.traffic.cost import FieldCost
from resolvers import characters as character_logic
from resolvers import scenes as scene_logic
from resolvers import segments as segment_logic
from resolvers.pagination import Ordering
from schema.connections import Connection, order_by_input, ordering
from schema.fields import query_field
from schema.models import FromRow, Node
from schema.node import register_node
from schema.scalars import JSON

LIST_BOUND = 100
"""Plain (not paged) lists of rows return at most this many, and the cost model counts them
at this size; the connections page through everything."""
BOUNDED = FieldCost(max_items=LIST_BOUND)

if TYPE_CHECKING:
    from schema.projects import ProjectType

LazyProject = Annotated["ProjectType", strawberry.lazy("schema.projects")]

BY_POSITION = Ordering("position", descending=False)


async def _project(info: Info, project_id: str) -> ProjectType | None:
    from schema.projects import ProjectType  # the module imports this one

    row = await info.context.loaders.by_id(Project).load(project_id)
    return ProjectType.maybe(row)


@strawberry.type(name="Character", description="A member of a project's cast.")
class CharacterType(FromRow, Node):
    project_id: strawberry.ID
    name: str = strawberry.field(description="At most 100 characters.")
    description: str
    metadata: JSON | None
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime

    @query_field(scope=Scope.PROJECTS_READ, description="The project the character belongs to.")
    async def project(self, info: Info) -> LazyProject | None:
        return await _project(info, self.row.project_id)


@strawberry.type(name="Segment", description="One beat of a scene, featuring characters.")
class SegmentType(FromRow, Node):
    project_id: strawberry.ID
    scene_id: strawberry.ID
    position: int = strawberry.field(description="Index in the scene, from 0, without gaps.")
    text: str = strawberry.field(description="At most 10000 characters.")
    duration_ms: int | None = strawberry.field(description="0 to 86400000 (one day); null: unset.")
    metadata: JSON | None
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime

    @query_field(scope=Scope.CONTENT_READ, description="The scene the segment belongs to.")
    async def scene(self, info: Info) -> SceneType | None:
        return SceneType.maybe(await info.context.loaders.by_id(Scene).load(self.row.scene_id))

    @query_field(
        scope=Scope.CONTENT_READ,
        description="The characters featured, in cast order.",
        cost=FieldCost(max_items=segment_logic.MAX_CHARACTERS),
    )
    async def characters(self, info: Info) -> list[CharacterType]:
        rows = await info.context.loaders.segment_characters().load(self.row.id)
        return [CharacterType.from_row(r) for r in rows]

    @query_field(scope=Scope.CONTENT_READ, description="Ids of `characters`, in cast order.")
    async def character_ids(self, info: Info) -> list[strawberry.ID]:
        rows = await info.context.loaders.segment_characters().load(self.row.id)
        return [strawberry.ID(r.id) for r in rows]


@strawberry.type(name="Scene", description="An ordered part of a project, made of segments.")
class SceneType(FromRow, Node):
    project_id: strawberry.ID
    title: str = strawberry.field(description="At most 200 characters.")
    description: str
    position: int = strawberry.field(description="Index in the project, from 0, without gaps.")
    metadata: JSON | None
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime

    @query_field(scope=Scope.PROJECTS_READ, description="The project the scene belongs to.")
    async def project(self, info: Info) -> LazyProject | None:
        return await _project(info, self.row.project_id)

    @query_field(
        scope=Scope.CONTENT_READ,
        description=f"The scene's first {LIST_BOUND} segments, in order; `segments(sceneId:)` "
        "pages through all of them.",
        cost=BOUNDED,
    )
    async def segments(self, info: Info) -> list[SegmentType]:
        loader = info.context.loaders.children(Segment, "scene_id", "position")
        rows = await loader.load(self.row.id)
        return [SegmentType.from_row(r) for r in rows[:LIST_BOUND]]


@query_field(
    scope=Scope.CONTENT_READ,
    description=f"The project's first {LIST_BOUND} characters, by name; "
    "`characters(projectId:)` pages through all of them.",
    cost=BOUNDED,
)
async def project_characters(self: Any, info: Info) -> list[CharacterType]:
    loader = info.context.loaders.children(Character, "project_id", "name")
    rows = await loader.load(self.row.id)
    return [CharacterType.from_row(r) for r in rows[:LIST_BOUND]]


@query_field(
    scope=Scope.CONTENT_READ,
    description=f"The project's first {LIST_BOUND} scenes, in order; `scenes(projectId:)` "
    "pages through all of them.",
    cost=BOUNDED,
)
async def project_scenes(self: Any, info: Info) -> list[SceneType]:
    loader = info.context.loaders.children(Scene, "project_id", "position")
    rows = await loader.load(self.row.id)
    return [SceneType.from_row(r) for r in rows[:LIST_BOUND]]


@strawberry.input
class CharacterFilter:
    name_contains: str | None = strawberry.field(
        default=None, description="Case-insensitive part of the name."
    )
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> character_logic.CharacterFilter:
        return character_logic.CharacterFilter(
            name_contains=self.name_contains,
            updated_after=self.updated_after,
            updated_before=self.updated_before,
        )


@strawberry.input
class SceneFilter:
    title_contains: str | None = strawberry.field(
        default=None, description="Case-insensitive part of the title."
    )
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> scene_logic.SceneFilter:
        return scene_logic.SceneFilter(
            title_contains=self.title_contains,
            updated_after=self.updated_after,
            updated_before=self.updated_before,
        )


@strawberry.input
class SegmentFilter:
    text_contains: str | None = strawberry.field(
        default=None, description="Case-insensitive part of the text."
    )
    character_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only segments featuring this character."
    )
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> segment_logic.SegmentFilter:
        return segment_logic.SegmentFilter(
            text_contains=self.text_contains,
            character_id=self.character_id,
            updated_after=self.updated_after,
            updated_before=self.updated_before,
        )


CharacterOrderBy = order_by_input(
    "Character", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)
SceneOrderBy = order_by_input(
    "Scene", POSITION="position", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="title"
)
SegmentOrderBy = order_by_input(
    "Segment", POSITION="position", CREATED_AT="created_at", UPDATED_AT="updated_at"
)


@strawberry.type
class ContentQueries:
    @query_field(scope=Scope.CONTENT_READ, description="One character by id; null if not visible.")
    async def character(self, info: Info, id: strawberry.ID) -> CharacterType | None:
        return CharacterType.maybe(await character_logic.get_character(info.context, id))

    @query_field(scope=Scope.CONTENT_READ, description="One scene by id; null if not visible.")
    async def scene(self, info: Info, id: strawberry.ID) -> SceneType | None:
        return SceneType.maybe(await scene_logic.get_scene(info.context, id))

    @query_field(scope=Scope.CONTENT_READ, description="One segment by id; null if not visible.")
    async def segment(self, info: Info, id: strawberry.ID) -> SegmentType | None:
        return SegmentType.maybe(await segment_logic.get_segment(info.context, id))

    @query_field(
        scope=Scope.CONTENT_READ,
        description="A project's characters; newest first unless `orderBy` says otherwise.",
    )
    async def characters(
        self,
        info: Info,
        project_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        filter: CharacterFilter | None = None,
        order_by: CharacterOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[CharacterType]:
        page = await character_logic.list_characters(
            info.context,
            project_id,
            (filter or CharacterFilter()).to_logic(),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, CharacterType.from_row)

    @query_field(
        scope=Scope.CONTENT_READ,
        description="A project's scenes; by position unless `orderBy` says otherwise "
        "(sorting by name sorts by title).",
    )
    async def scenes(
        self,
        info: Info,
        project_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        filter: SceneFilter | None = None,
        order_by: SceneOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[SceneType]:
        page = await scene_logic.list_scenes(
            info.context,
            project_id,
            (filter or SceneFilter()).to_logic(),
            ordering(order_by, BY_POSITION),
            first,
            after,
        )
        return Connection.from_page(page, SceneType.from_row)

    @query_field(
        scope=Scope.CONTENT_READ,
        description="A scene's segments; by position unless `orderBy` says otherwise.",
    )
    async def segments(
        self,
        info: Info,
        scene_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        filter: SegmentFilter | None = None,
        order_by: SegmentOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[SegmentType]:
        page = await segment_logic.list_segments(
            info.context,
            scene_id,
            (filter or SegmentFilter()).to_logic(),
            ordering(order_by, BY_POSITION),
            first,
            after,
        )
        return Connection.from_page(page, SegmentType.from_row)


register_node(IdPrefix.CHARACTER, Character, CharacterType, Scope.CONTENT_READ)
register_node(IdPrefix.SCENE, Scene, SceneType, Scope.CONTENT_READ)
register_node(IdPrefix.SEGMENT, Segment, SegmentType, Scope.CONTENT_READ)

QUERIES: tuple[type, ...] = (ContentQueries,)
MUTATIONS: tuple[type, ...] = ()
