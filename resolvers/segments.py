"""Segments: the ordered beats of a scene, each featuring characters of the same project.

A segment's events carry ``character_ids`` next to the row, since the cast lives in its own
table and subscribers should not need a second call to learn it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.models import Character, Scene, Segment, SegmentCharacter
from resolvers.content_writes import (
    check_position,
    in_listed_order,
    lock_with_project,
    placed,
    renumber,
    report_order,
    siblings,
)
from resolvers.context import Context
from resolvers.filters import contains, updated_between
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode
from resolvers.writes import apply_changes, load_for_update

MAX_DURATION_MS = 24 * 60 * 60 * 1000
MAX_CHARACTERS = 100


@dataclass(frozen=True, slots=True)
class SegmentFilter:
    text_contains: str | None = None
    character_id: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


async def get_segment(ctx: Context, segment_id: str) -> Segment | None:
    segment: Segment | None = await ctx.loaders.by_id(Segment).load(segment_id)
    return segment


async def list_segments(
    ctx: Context,
    scene_id: str,
    filter: SegmentFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Segment]:
    stmt = select(Segment).where(
        col(Segment.scene_id) == scene_id,
        *visibility(ctx, Segment),
        *contains(Segment.text, filter.text_contains, field="textContains"),
        *updated_between(Segment, filter.updated_after, filter.updated_before),
    )
    if filter.character_id is not None:
        featuring = select(col(SegmentCharacter.segment_id)).where(
            col(SegmentCharacter.character_id) == filter.character_id
        )
        stmt = stmt.where(col(Segment.id).in_(featuring))
    return await paginate(ctx.db, stmt, Segment, ordering, first, after)


async def character_ids_of(
    session: AsyncSession, segment_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Segment id → its characters' ids in cast order (segments without any are absent)."""
    if not segment_ids:
        return {}
    stmt = (
        select(col(SegmentCharacter.segment_id), col(SegmentCharacter.character_id))
        .where(col(SegmentCharacter.segment_id).in_(segment_ids))
        .order_by(col(SegmentCharacter.position), col(SegmentCharacter.character_id))
    )
    grouped: dict[str, list[str]] = defaultdict(list)
    for segment_id, character_id in (await session.execute(stmt)).all():
        grouped[segment_id].append(character_id)
    return dict(grouped)


def _check(check: Checker, values: Mapping[str, Any]) -> None:
    check.text("text", values.get("text"), max_length=10000)
    check.int_range("durationMs", values.get("duration_ms"), low=0, high=MAX_DURATION_MS)
    check.json_object("metadata", values.get("meta"))
    position = values.get("position")
    if position is not None and position < 0:
        check.add("position", InputErrorCode.OUT_OF_RANGE, "`position` must not be negative.")
    ids = values.get("character_ids") or []
    if len(ids) > MAX_CHARACTERS:
        check.add(
            "characterIds",
            InputErrorCode.TOO_LONG,
            f"A segment features at most {MAX_CHARACTERS} characters.",
        )


async def _check_characters(
    uow: UnitOfWork, check: Checker, project_id: str, ids: Sequence[str]
) -> None:
    """Every id must be a character the caller can see, in the segment's project, listed once."""
    if not ids or len(ids) > MAX_CHARACTERS:
        return
    stmt = select(col(Character.id), col(Character.project_id)).where(
        col(Character.id).in_(set(ids)), *visibility(uow.ctx, Character)
    )
    projects: dict[str, str] = {c: p for c, p in (await uow.session.execute(stmt)).all()}
    seen: set[str] = set()
    for index, character_id in enumerate(ids):
        path = ("characterIds", str(index))
        if character_id not in projects:
            check.add(path, InputErrorCode.NOT_FOUND, f"Character {character_id} not found.")
        elif projects[character_id] != project_id:
            check.add(path, InputErrorCode.INVALID, "The character belongs to another project.")
        elif character_id in seen:
            check.add(path, InputErrorCode.INVALID, f"{character_id} is listed twice.")
        seen.add(character_id)


async def _set_characters(uow: UnitOfWork, segment: Segment, ids: Sequence[str]) -> None:
    await uow.session.execute(
        delete(SegmentCharacter).where(col(SegmentCharacter.segment_id) == segment.id)
    )
    if ids:
        await uow.session.execute(
            insert(SegmentCharacter),
            [
                {"segment_id": segment.id, "character_id": c, "position": i}
                for i, c in enumerate(ids)
            ],
        )


async def _report_order(
    uow: UnitOfWork, scene: Scene | str, ordered: Sequence[Segment], moved: Sequence[Segment]
) -> None:
    """``scene.segments_reordered`` once, if any segment of the scene moved."""
    if not moved:
        return
    if isinstance(scene, str):
        scene = await load_for_update(uow, Scene, scene, what="Scene")
    report_order(uow, scene, "segments", ordered)


def _row_changes(values: Mapping[str, Any]) -> dict[str, Any]:
    """Row attributes from input: null clears text to "" and metadata to {}."""
    cleared: dict[str, Any] = {"text": "", "meta": {}}
    return {
        k: (cleared[k] if v is None and k in cleared else v)
        for k, v in values.items()
        if k in ("text", "duration_ms", "meta")
    }


async def create_segment(ctx: Context, values: Mapping[str, Any]) -> Segment:
    """Appended to its scene, or inserted at ``position`` (later segments shift down)."""
    check = Checker()
    _check(check, values)
    ids: list[str] = list(values.get("character_ids") or [])
    async with unit_of_work(ctx) as uow:
        scene = await lock_with_project(
            uow, Scene, values["scene_id"], what="Scene", path=("input", "sceneId")
        )
        await _check_characters(uow, check, scene.project_id, ids)
        rows = await siblings(uow, Segment, "scene_id", scene.id)
        check_position(check, values.get("position"), last=len(rows))
        check.raise_if_any()
        segment = Segment(
            org_id=ctx.org_id,
            project_id=scene.project_id,
            scene_id=scene.id,
            **_row_changes(values),
        )
        ordered = placed(rows, segment, values.get("position"))
        moved = renumber(ordered, skip={segment.id})
        uow.add(segment)
        await uow.session.flush()
        await _set_characters(uow, segment, ids)
        uow.emit(segment, "created", extra={"character_ids": ids})
        await _report_order(uow, scene, ordered, moved)
    return segment


async def update_segment(ctx: Context, segment_id: str, values: Mapping[str, Any]) -> Segment:
    """``characterIds`` replaces the cast; ``position`` moves the segment within its scene."""
    check = Checker()
    _check(check, values)
    async with unit_of_work(ctx) as uow:
        segment = await lock_with_project(uow, Segment, segment_id, what="Segment")
        current = (await character_ids_of(uow.session, [segment.id])).get(segment.id, [])
        ids = current
        if "character_ids" in values:
            ids = list(values["character_ids"] or [])
            await _check_characters(uow, check, segment.project_id, ids)
        position = values.get("position")
        rows = (
            await siblings(uow, Segment, "scene_id", segment.scene_id)
            if position is not None
            else []
        )
        check_position(check, position, last=len(rows) - 1)
        check.raise_if_any()
        changed = apply_changes(segment, _row_changes(values))
        if ids != current:
            await _set_characters(uow, segment, ids)
            changed = True
        ordered: list[Segment] = []
        moved: list[Segment] = []
        if position is not None:
            ordered = placed(rows, segment, position)
            moved = renumber(ordered)
        if changed:
            uow.changed(segment, extra={"character_ids": ids})
        await _report_order(uow, segment.scene_id, ordered, moved)
    return segment


async def delete_segment(ctx: Context, segment_id: str) -> Segment:
    """Later segments of the scene move up one place (one ``scene.segments_reordered``)."""
    async with unit_of_work(ctx) as uow:
        segment = await lock_with_project(uow, Segment, segment_id, what="Segment")
        await delete_segments(uow, [segment])
        rows = await siblings(uow, Segment, "scene_id", segment.scene_id)
        ordered = [r for r in rows if r.id != segment.id]
        await _report_order(uow, segment.scene_id, ordered, renumber(ordered))
    return segment


async def delete_segments(uow: UnitOfWork, segments: Sequence[Segment]) -> None:
    """Delete the rows and their cast links, with a ``segment.deleted`` event each."""
    if not segments:
        return
    casts = await character_ids_of(uow.session, [s.id for s in segments])
    await uow.session.execute(
        delete(SegmentCharacter).where(
            col(SegmentCharacter.segment_id).in_([s.id for s in segments])
        )
    )
    for segment in segments:
        await uow.delete(segment, extra={"character_ids": casts.get(segment.id, [])})
    await uow.session.flush()


async def reorder_segments(
    ctx: Context, scene_id: str, segment_ids: Sequence[str]
) -> list[Segment]:
    """``segment_ids`` must list the scene's segments exactly once; they take positions 0..n-1."""
    async with unit_of_work(ctx) as uow:
        scene = await lock_with_project(
            uow, Scene, scene_id, what="Scene", path=("input", "sceneId")
        )
        rows = await siblings(uow, Segment, "scene_id", scene.id)
        ordered = in_listed_order(rows, segment_ids, what="Segment", path=("input", "segmentIds"))
        await _report_order(uow, scene, ordered, renumber(ordered))
    return ordered
