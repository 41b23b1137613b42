"""Scenes: the ordered parts of a project; deleting one deletes its segments. A move changes
the project's order (one ``project.scenes_reordered``), not each scene."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.models import Project, Scene, Segment
from resolvers.content_writes import (
    check_position,
    in_listed_order,
    lock_project,
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
from resolvers.segments import delete_segments
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode
from resolvers.writes import apply_changes, load_for_update


@dataclass(frozen=True, slots=True)
class SceneFilter:
    title_contains: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


async def get_scene(ctx: Context, scene_id: str) -> Scene | None:
    scene: Scene | None = await ctx.loaders.by_id(Scene).load(scene_id)
    return scene


async def list_scenes(
    ctx: Context,
    project_id: str,
    filter: SceneFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Scene]:
    if ordering.column == "name":
        ordering = dataclasses.replace(ordering, column="title")
    stmt = select(Scene).where(
        col(Scene.project_id) == project_id,
        *visibility(ctx, Scene),
        *contains(Scene.title, filter.title_contains, field="titleContains"),
        *updated_between(Scene, filter.updated_after, filter.updated_before),
    )
    return await paginate(ctx.db, stmt, Scene, ordering, first, after)


def _check(check: Checker, values: Mapping[str, Any], *, creating: bool) -> None:
    check.text("title", values.get("title"), max_length=200, required=creating)
    if not creating and "title" in values and values["title"] is None:
        check.add("title", InputErrorCode.REQUIRED, "`title` cannot be null.")
    check.text("description", values.get("description"), max_length=5000)
    check.json_object("metadata", values.get("meta"))
    position = values.get("position")
    if position is not None and position < 0:
        check.add("position", InputErrorCode.OUT_OF_RANGE, "`position` must not be negative.")


def _row_changes(values: Mapping[str, Any]) -> dict[str, Any]:
    """Row attributes from input: null clears description to "" and metadata to {}."""
    cleared: dict[str, Any] = {"description": "", "meta": {}}
    return {
        k: (cleared[k] if v is None and k in cleared else v)
        for k, v in values.items()
        if k in ("title", "description", "meta")
    }


async def _report_order(
    uow: UnitOfWork, project_id: str, ordered: Sequence[Scene], moved: bool
) -> None:
    """``project.scenes_reordered`` once, if any scene moved (the project is locked already)."""
    if moved:
        project = await load_for_update(uow, Project, project_id, what="Project")
        report_order(uow, project, "scenes", ordered)


async def create_scene(ctx: Context, values: Mapping[str, Any]) -> Scene:
    """Appended to the project, or inserted at ``position`` (later scenes shift down)."""
    check = Checker()
    _check(check, values, creating=True)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        project = await lock_project(uow, values["project_id"], path=("input", "projectId"))
        rows = await siblings(uow, Scene, "project_id", project.id)
        check_position(check, values.get("position"), last=len(rows))
        check.raise_if_any()
        scene = Scene(org_id=ctx.org_id, project_id=project.id, **_row_changes(values))
        ordered = placed(rows, scene, values.get("position"))
        moved = renumber(ordered, skip={scene.id})
        uow.add(scene)
        uow.emit(scene, "created")
        await _report_order(uow, project.id, ordered, bool(moved))
    return scene


async def update_scene(ctx: Context, scene_id: str, values: Mapping[str, Any]) -> Scene:
    """``position`` moves the scene within its project."""
    check = Checker()
    _check(check, values, creating=False)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        scene = await lock_with_project(uow, Scene, scene_id, what="Scene")
        position = values.get("position")
        changed = apply_changes(scene, _row_changes(values))
        if position is not None:
            rows = await siblings(uow, Scene, "project_id", scene.project_id)
            check_position(check, position, last=len(rows) - 1)
            check.raise_if_any()
            ordered = placed(rows, scene, position)
            await _report_order(uow, scene.project_id, ordered, bool(renumber(ordered)))
        if changed:
            uow.changed(scene)
    return scene


async def delete_scene(ctx: Context, scene_id: str) -> Scene:
    """Deletes its segments first (an event each); later scenes move up one place."""
    async with unit_of_work(ctx) as uow:
        scene = await lock_with_project(uow, Scene, scene_id, what="Scene")
        await delete_segments(uow, await siblings(uow, Segment, "scene_id", scene.id))
        await uow.delete(scene)
        await uow.session.flush()
        rows = await siblings(uow, Scene, "project_id", scene.project_id)
        await _report_order(uow, scene.project_id, rows, bool(renumber(rows)))
    return scene


async def reorder_scenes(ctx: Context, project_id: str, scene_ids: Sequence[str]) -> list[Scene]:
    """``scene_ids`` must list the project's scenes exactly once; they take positions 0..n-1."""
    async with unit_of_work(ctx) as uow:
        project = await lock_project(uow, project_id, path=("input", "projectId"))
        rows = await siblings(uow, Scene, "project_id", project.id)
        ordered = in_listed_order(rows, scene_ids, what="Scene", path=("input", "sceneIds"))
        await _report_order(uow, project.id, ordered, bool(renumber(ordered)))
    return ordered
