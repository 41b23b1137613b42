"""Per-request dataloaders: every relation is fetched in one statement per batch.

Each batch opens its own short read session, so loaders that fire in the same tick never share
a session (an ``AsyncSession`` is not safe for concurrent use).

The statements themselves are kept for the process, one per loader and ``Audience``: SQLAlchemy
caches compiled SQL by a statement's structure, but a new statement object still pays for its
cache key and ORM compile state on every execution (~0.2 ms of the ~0.7 ms of CPU a one-row
load cost); running the same object again skips both. The batch's ids are one parameter
(``_among``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from app.models import Character, SegmentCharacter
from app.types import AnySelect
from resolvers.context import Context
from resolvers.permissions import Audience, audience, visible_to

STATEMENT_CACHE_SIZE = 2048
"""Distinct (loader, audience) statements kept; all are dropped when it is reached."""

_statements: dict[tuple[Any, ...], AnySelect] = {}


def _statement(key: tuple[Any, ...], build: Callable[[], AnySelect]) -> AnySelect:
    statement = _statements.get(key)
    if statement is None:
        if len(_statements) >= STATEMENT_CACHE_SIZE:
            _statements.clear()
        statement = _statements[key] = build()
    return statement


def _among(column: Any, who: Audience) -> ColumnElement[bool]:
    """``column`` is one of the batch's ids (``ids``). On PostgreSQL one array parameter
    (``= ANY``): the SQL text, and so the prepared statement, stays the same whatever the batch
    size, and binding 90 ids costs a quarter less CPU than expanding them into 90 parameters."""
    result: ColumnElement[bool]
    if who.postgres:
        result = column == any_(bindparam("ids", type_=ARRAY(column.type)))
    else:
        result = column.in_(bindparam("ids", expanding=True))
    return result


class Loaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._loaders: dict[tuple[Any, ...], DataLoader[str, Any]] = {}

    def by_id(self, model: Any) -> DataLoader[str, Any]:
        """``id`` → row or None; rows the caller may not see come back as None."""
        key = ("id", model)
        if key not in self._loaders:
            ctx = self._ctx
            who = audience(ctx)
            stmt = _statement(
                (*key, who),
                lambda: select(model).where(_among(model.id, who), *visible_to(who, model)),
            )

            async def load(ids: list[str]) -> list[Any]:
                rows = {r.id: r for r in await ctx.db.read(stmt, {"ids": ids})}
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
            who = audience(ctx)
            column = getattr(model, parent_column)
            ordering = [getattr(model, name) for name in (*order_by, "id")]
            stmt = _statement(
                (*key, who),
                lambda: (
                    select(model)
                    .where(_among(column, who), *visible_to(who, model))
                    .order_by(*ordering)
                ),
            )

            async def load(parent_ids: list[str]) -> list[list[Any]]:
                grouped: dict[str, list[Any]] = defaultdict(list)
                for row in await ctx.db.read(stmt, {"ids": parent_ids}):
                    grouped[getattr(row, parent_column)].append(row)
                return [grouped.get(p, []) for p in parent_ids]

            self._loaders[key] = DataLoader(load)
        return self._loaders[key]

    def segment_characters(self) -> DataLoader[str, list[Character]]:
        key = ("segment_characters",)
        if key not in self._loaders:
            ctx = self._ctx
            who = audience(ctx)
            stmt = _statement(
                (*key, who),
                lambda: (
                    select(col(SegmentCharacter.segment_id), Character)
                    .join(Character, col(Character.id) == SegmentCharacter.character_id)
                    .where(
                        _among(col(SegmentCharacter.segment_id), who),
                        *visible_to(who, Character),
                    )
                    .order_by(col(SegmentCharacter.position), col(Character.id))
                ),
            )

            async def load(segment_ids: list[str]) -> list[list[Character]]:
                grouped: dict[str, list[Character]] = defaultdict(list)
                for segment_id, character in await ctx.db.read(stmt, {"ids": segment_ids}):
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
