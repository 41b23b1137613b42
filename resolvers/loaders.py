"""Per-request dataloaders: every relation is fetched in one statement per batch.

Each batch opens its own short read session, so loaders that fire in the same tick never share
a session (an ``AsyncSession`` is not safe for concurrent use).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import select
from sqlmodel import col

from app.models import Character, SegmentCharacter
from resolvers.context import Context
from resolvers.permissions import visibility


class Loaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._loaders: dict[tuple[Any, ...], DataLoader[str, Any]] = {}

    def by_id(self, model: Any) -> DataLoader[str, Any]:
        """``id`` → row or None; rows the caller may not see come back as None."""
        key = ("id", model)
        if key not in self._loaders:
            ctx = self._ctx

            async def load(ids: list[str]) -> list[Any]:
                stmt = select(model).where(model.id.in_(ids), *visibility(ctx, model))
                async with ctx.db.reading() as session:
                    rows = {r.id: r for r in (await session.execute(stmt)).scalars()}
                return [rows.get(i) for i in ids]

            self._loaders[key] = DataLoader(load)
        return self._loaders[key]

    def children(
        self, model: Any, parent_column: str, *order_by: str
    ) -> DataLoader[str, list[Any]]:
        """Parent id → the list of ``model`` rows whose ``parent_column`` holds it, ordered."""
        key = ("children", model, parent_column, order_by)
        if key not in self._loaders:
            ctx = self._ctx
            column = getattr(model, parent_column)
            ordering = [getattr(model, name) for name in (*order_by, "id")]

            async def load(parent_ids: list[str]) -> list[list[Any]]:
                stmt = (
                    select(model)
                    .where(column.in_(parent_ids), *visibility(ctx, model))
                    .order_by(*ordering)
                )
                grouped: dict[str, list[Any]] = defaultdict(list)
                async with ctx.db.reading() as session:
                    for row in (await session.execute(stmt)).scalars():
                        grouped[getattr(row, parent_column)].append(row)
                return [grouped.get(p, []) for p in parent_ids]

            self._loaders[key] = DataLoader(load)
        return self._loaders[key]

    def segment_characters(self) -> DataLoader[str, list[Character]]:
        key = ("segment_characters",)
        if key not in self._loaders:
            ctx = self._ctx

            async def load(segment_ids: list[str]) -> list[list[Character]]:
                stmt = (
                    select(col(SegmentCharacter.segment_id), Character)
                    .join(Character, col(Character.id) == SegmentCharacter.character_id)
                    .where(
                        col(SegmentCharacter.segment_id).in_(segment_ids),
                        *visibility(ctx, Character),
                    )
                    .order_by(col(SegmentCharacter.position), col(Character.id))
                )
                grouped: dict[str, list[Character]] = defaultdict(list)
                async with ctx.db.reading() as session:
                    for segment_id, character in (await session.execute(stmt)).all():
                        grouped[segment_id].append(character)
                return [grouped.get(s, []) for s in segment_ids]

            self._loaders[key] = DataLoader(load)
        return self._loaders[key]

    def clear(self) -> None:
        """Forget every cached row (after a write in this request)."""
        self._loaders.clear()

    def prime(self, row: Any) -> None:
        """Seed the id loader with a row we already hold (e.g. right after a write)."""
        self.by_id(type(row)).prime(row.id, row)
