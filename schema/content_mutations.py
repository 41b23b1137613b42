"""Writes to characters, scenes and segments: create, update, delete, reorder."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.traffic.cost import FieldCost
from resolvers import characters as character_logic
from resolvers import scenes as scene_logic
from resolvers import segments as segment_logic
from schema.content import CharacterType, SceneType, SegmentType
from schema.costs import cost_metadata
from schema.errors import MutationPayload
from schema.fields import mutation_field
from schema.inputs import changes_of
from schema.scalars import JSON

REORDERED = FieldCost(max_items=500, items_per_point=10)
"""A reorder returns what its input listed, and list inputs hold at most 500 items."""

POSITION_HELP = "Index to insert at (0 = first); later items shift down. Omitted: at the end."


@strawberry.input
class CreateCharacterInput:
    project_id: strawberry.ID
    name: str
    description: str | None = None
    metadata: JSON | None = None


@strawberry.input
class UpdateCharacterInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET


@strawberry.input
class DeleteCharacterInput:
    id: strawberry.ID


@strawberry.type
class CharacterPayload(MutationPayload):
    character: CharacterType | None = None


@strawberry.input
class CreateSceneInput:
    project_id: strawberry.ID
    title: str
    description: str | None = None
    metadata: JSON | None = None
    position: int | None = strawberry.field(default=None, description=POSITION_HELP)


@strawberry.input
class UpdateSceneInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="Move the scene to this index in its project."
    )


@strawberry.input
class DeleteSceneInput:
    id: strawberry.ID


@strawberry.type
class ScenePayload(MutationPayload):
    scene: SceneType | None = None


@strawberry.input
class ReorderScenesInput:
    project_id: strawberry.ID
    scene_ids: list[strawberry.ID] = strawberry.field(
        description="Every scene of the project, each once, in the new order."
    )


@strawberry.type
class ReorderScenesPayload(MutationPayload):
    scenes: list[SceneType] | None = strawberry.field(
        default=None, metadata=cost_metadata(REORDERED)
    )


@strawberry.input
class CreateSegmentInput:
    scene_id: strawberry.ID
    text: str | None = None
    duration_ms: int | None = None
    character_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Characters of the same project, in cast order."
    )
    metadata: JSON | None = None
    position: int | None = strawberry.field(default=None, description=POSITION_HELP)


@strawberry.input
class UpdateSegmentInput:
    id: strawberry.ID
    text: str | None = strawberry.UNSET
    duration_ms: int | None = strawberry.UNSET
    character_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the cast; null or [] clears it."
    )
    metadata: JSON | None = strawberry.UNSET
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="Move the segment to this index in its scene."
    )


@strawberry.input
class DeleteSegmentInput:
    id: strawberry.ID


@strawberry.type
class SegmentPayload(MutationPayload):
    segment: SegmentType | None = None


@strawberry.input
class ReorderSegmentsInput:
    scene_id: strawberry.ID
    segment_ids: list[strawberry.ID] = strawberry.field(
        description="Every segment of the scene, each once, in the new order."
    )


@strawberry.type
class ReorderSegmentsPayload(MutationPayload):
    segments: list[SegmentType] | None = strawberry.field(
        default=None, metadata=cost_metadata(REORDERED)
    )


@strawberry.type
class CharacterMutations:
    @mutation_field(scope=Scope.CONTENT_WRITE, description="Add a character to a project.")
    async def create_character(self, info: Info, input: CreateCharacterInput) -> CharacterPayload:
        row = await character_logic.create_character(info.context, changes_of(input))
        return CharacterPayload(character=CharacterType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE, description="Change a character; omitted fields are kept."
    )
    async def update_character(self, info: Info, input: UpdateCharacterInput) -> CharacterPayload:
        row = await character_logic.update_character(
            info.context, input.id, changes_of(input, exclude=("id",))
        )
        return CharacterPayload(character=CharacterType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Delete a character; it is taken out of every segment featuring it.",
    )
    async def delete_character(self, info: Info, input: DeleteCharacterInput) -> CharacterPayload:
        row = await character_logic.delete_character(info.context, input.id)
        return CharacterPayload(character=CharacterType.from_row(row))


@strawberry.type
class SceneMutations:
    @mutation_field(
        scope=Scope.CONTENT_WRITE, description="Add a scene: at the end, or at `position`."
    )
    async def create_scene(self, info: Info, input: CreateSceneInput) -> ScenePayload:
        row = await scene_logic.create_scene(info.context, changes_of(input))
        return ScenePayload(scene=SceneType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Change or move a scene; omitted fields are kept.",
    )
    async def update_scene(self, info: Info, input: UpdateSceneInput) -> ScenePayload:
        row = await scene_logic.update_scene(
            info.context, input.id, changes_of(input, exclude=("id",))
        )
        return ScenePayload(scene=SceneType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Delete a scene and its segments; later scenes move up.",
    )
    async def delete_scene(self, info: Info, input: DeleteSceneInput) -> ScenePayload:
        return ScenePayload(
            scene=SceneType.from_row(await scene_logic.delete_scene(info.context, input.id))
        )

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Put a project's scenes in a new order (list every scene exactly once). "
        "Any change of order is one `project.scenes_reordered` event carrying `scene_ids`.",
    )
    async def reorder_scenes(self, info: Info, input: ReorderScenesInput) -> ReorderScenesPayload:
        rows = await scene_logic.reorder_scenes(info.context, input.project_id, input.scene_ids)
        return ReorderScenesPayload(scenes=[SceneType.from_row(r) for r in rows])


@strawberry.type
class SegmentMutations:
    @mutation_field(
        scope=Scope.CONTENT_WRITE, description="Add a segment: at the end, or at `position`."
    )
    async def create_segment(self, info: Info, input: CreateSegmentInput) -> SegmentPayload:
        row = await segment_logic.create_segment(info.context, changes_of(input))
        return SegmentPayload(segment=SegmentType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Change or move a segment; omitted fields are kept.",
    )
    async def update_segment(self, info: Info, input: UpdateSegmentInput) -> SegmentPayload:
        row = await segment_logic.update_segment(
            info.context, input.id, changes_of(input, exclude=("id",))
        )
        return SegmentPayload(segment=SegmentType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE, description="Delete a segment; later segments move up."
    )
    async def delete_segment(self, info: Info, input: DeleteSegmentInput) -> SegmentPayload:
        row = await segment_logic.delete_segment(info.context, input.id)
        return SegmentPayload(segment=SegmentType.from_row(row))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Put a scene's segments in a new order (list every segment exactly once). "
        "Any change of order (this, an insert, a move or a delete) is one "
        "`scene.segments_reordered` event carrying `segment_ids`.",
    )
    async def reorder_segments(
        self, info: Info, input: ReorderSegmentsInput
    ) -> ReorderSegmentsPayload:
        rows = await segment_logic.reorder_segments(info.context, input.scene_id, input.segment_ids)
        return ReorderSegmentsPayload(segments=[SegmentType.from_row(r) for r in rows])


QUERIES: tuple[type, ...] = ()
MUTATIONS: tuple[type, ...] = (CharacterMutations, SceneMutations, SegmentMutations)
