"""Characters: the cast of a project, referenced by segments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from app.models import Character, Segment, SegmentCharacter
from resolvers.content_writes import lock_project, lock_with_project
from resolvers.context import Context
from resolvers.filters import contains, updated_between
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.segments import character_ids_of
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import Checker, InputErrorCode
from resolvers.writes import apply_changes


@dataclass(frozen=True, slots=True)
class CharacterFilter:
    name_contains: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


async def get_character(ctx: Context, character_id: str) -> Character | None:
    character: Character | None = await ctx.loaders.by_id(Character).load(character_id)
    return character


async def list_characters(
    ctx: Context,
    project_id: str,
    filter: CharacterFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Character]:
    stmt = select(Character).where(
        col(Character.project_id) == project_id,
        *visibility(ctx, Character),
        *contains(Character.name, filter.name_contains, field="nameContains"),
        *updated_between(Character, filter.updated_after, filter.updated_before),
    )
    return await paginate(ctx.db, stmt, Character, ordering, first, after)


def _check(values: Mapping[str, Any], *, creating: bool) -> None:
    check = Checker()
    check.text("name", values.get("name"), max_length=100, required=creating)
    if not creating and "name" in values and values["name"] is None:
        check.add("name", InputErrorCode.REQUIRED, "`name` cannot be null.")
    check.text("description", values.get("description"), max_length=2000)
    check.json_object("metadata", values.get("meta"))
    check.raise_if_any()


async def create_character(ctx: Context, values: Mapping[str, Any]) -> Character:
    _check(values, creating=True)
    async with unit_of_work(ctx) as uow:
        project = await lock_project(uow, values["project_id"], path=("input", "projectId"))
        fields = {k: v for k, v in values.items() if v is not None and k != "project_id"}
        character = Character(org_id=ctx.org_id, project_id=project.id, **fields)
        uow.add(character)
        uow.emit(character, "created")
    return character


async def update_character(ctx: Context, character_id: str, values: Mapping[str, Any]) -> Character:
    _check(values, creating=False)
    async with unit_of_work(ctx) as uow:
        character = await lock_with_project(uow, Character, character_id, what="Character")
        cleared: dict[str, Any] = {"meta": {}, "description": ""}
        changes = {k: (cleared[k] if v is None and k in cleared else v) for k, v in values.items()}
        if apply_changes(character, changes):
            uow.changed(character)
    return character


async def delete_character(ctx: Context, character_id: str) -> Character:
    """Also takes the character out of every segment (each such segment changes: an event)."""
    async with unit_of_work(ctx) as uow:
        character = await lock_with_project(uow, Character, character_id, what="Character")
        cast_in = select(col(SegmentCharacter.segment_id)).where(
            col(SegmentCharacter.character_id) == character.id
        )
        stmt = select(Segment).where(col(Segment.id).in_(cast_in)).order_by(col(Segment.id))
        if ctx.db.is_postgres:
            stmt = stmt.with_for_update()
        segments = list((await uow.session.execute(stmt)).scalars())
        await uow.session.execute(
            delete(SegmentCharacter).where(col(SegmentCharacter.character_id) == character.id)
        )
        remaining = await character_ids_of(uow.session, [s.id for s in segments])
        for segment in segments:
            uow.changed(segment, extra={"character_ids": remaining.get(segment.id, [])})
        await uow.delete(character)
    return character
