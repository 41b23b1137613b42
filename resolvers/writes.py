"""Steps every write shares: load a row to change it, apply a partial update, check uniqueness."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from sqlalchemy import bindparam, select

from app.errors import FieldError
from resolvers.permissions import can_see
from resolvers.unit_of_work import UnitOfWork
from resolvers.validation import InputErrorCode, InputErrors, Path, not_found

M = TypeVar("M")


async def load_for_update(
    uow: UnitOfWork, model: type[M], row_id: str, *, path: Path = ("input", "id"), what: str = ""
) -> M:
    """The row, locked for this transaction on PostgreSQL; NOT_FOUND if the caller cannot see it."""
    return await load_visible(uow, model, row_id, path=path, what=what, lock="update")


async def load_visible(
    uow: UnitOfWork,
    model: type[M],
    row_id: str,
    *,
    path: Path = ("input", "id"),
    what: str = "",
    lock: Literal["update", "share"] | None = None,
) -> M:
    """The row inside this transaction; NOT_FOUND if the caller cannot see it.

    ``lock="share"`` (PostgreSQL ``FOR SHARE``) keeps a row we only depend on, such as a
    referenced parent, from being changed or deleted until we commit, without serialising
    other readers that share it. SQLite write transactions are serialised already.
    """
    with_for_update: bool | dict[str, bool] = False
    if lock is not None and uow.ctx.db.is_postgres:
        with_for_update = {"read": True} if lock == "share" else True
    row = await uow.session.get(model, row_id, with_for_update=with_for_update)
    if row is None or not can_see(uow.ctx, row):
        raise not_found(path, what or model.__name__)
    return row


def apply_changes(row: Any, changes: Mapping[str, Any]) -> bool:
    """Set the given attributes; True if any value actually changed."""
    changed = False
    for name, value in changes.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


async def ensure_unique(
    uow: UnitOfWork,
    model: Any,
    column: str,
    value: Any,
    *,
    scope: Mapping[str, Any],
    exclude_id: str | None,
    path: Path,
) -> None:
    """``TAKEN`` if another row holds ``value``; a concurrent write that takes it after this
    check gets the same answer (``UnitOfWork.guard_unique``)."""
    taken = FieldError(
        path, InputErrorCode.TAKEN.value, f"`{path[-1]}` {value!r} is already taken."
    )
    uow.guard_unique(model.__table__, frozenset({column, *scope}), taken)
    stmt = _holder_of(model, column, tuple(scope), exclude_id is not None)
    params = {"value": value} if exclude_id is None else {"value": value, "exclude_id": exclude_id}
    params.update({f"scope_{name}": scoped for name, scoped in scope.items()})
    if (await uow.session.execute(stmt, params)).first() is not None:
        raise InputErrors([taken])


@functools.cache
def _holder_of(model: Any, column: str, scope: tuple[str, ...], excluding: bool) -> Any:
    """The statement finding a row that holds a value, built once per shape: constructing it
    for every write cost more CPU than running it."""
    stmt = select(model.id).where(getattr(model, column) == bindparam("value"))
    for name in scope:
        stmt = stmt.where(getattr(model, name) == bindparam(f"scope_{name}"))
    if excluding:
        stmt = stmt.where(model.id != bindparam("exclude_id"))
    return stmt.limit(1)
