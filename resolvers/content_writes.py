"""Steps every content write shares: the project lock, and dense positions among siblings.

Every write to a project's characters, scenes or segments first locks the project row (then the
rows it changes, in that order). That serialises content writes per project, so appends get
distinct positions and two writers never wait on each other in opposite orders.

A position belongs to the parent's order: when siblings move (an insert, a move, a delete, a
reorder), the parent records one ``<parent>.<children>_reordered`` event carrying the new
order, rather than one event per sibling (inserting at the top of a long scene would otherwise
write an event for every segment below it).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import select

from app.errors import FieldError
from app.models import Project, ProjectStatus
from app.models.base import Versioned
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork
from resolvers.validation import Checker, InputErrorCode, InputErrors, Path, not_found
from resolvers.writes import load_for_update

M = TypeVar("M")


async def lock_project(uow: UnitOfWork, project_id: str, *, path: Path) -> Project:
    """The visible project, locked; archived projects are read-only (INVALID_STATE)."""
    project = await load_for_update(uow, Project, project_id, path=path, what="Project")
    if project.status == ProjectStatus.ARCHIVED:
        raise InputErrors(
            [
                FieldError(
                    path,
                    InputErrorCode.INVALID_STATE.value,
                    "The project is archived; its content cannot change.",
                )
            ]
        )
    return project


async def lock_with_project(
    uow: UnitOfWork, model: type[M], row_id: str, *, what: str, path: Path = ("input", "id")
) -> M:
    """A content row locked after its project (see the module docstring for the order)."""
    table: Any = model
    stmt = select(table.project_id).where(table.id == row_id, *visibility(uow.ctx, model))
    project_id = (await uow.session.execute(stmt)).scalar_one_or_none()
    if project_id is None:
        raise not_found(path, what)
    await lock_project(uow, project_id, path=path)
    return await load_for_update(uow, model, row_id, path=path, what=what)


async def siblings(uow: UnitOfWork, model: Any, parent_column: str, parent_id: str) -> list[Any]:
    """The ordered rows under one parent, locked (a concurrent metadata write must not be lost)."""
    stmt = (
        select(model)
        .where(getattr(model, parent_column) == parent_id)
        .order_by(model.position, model.id)
    )
    if uow.ctx.db.is_postgres:
        stmt = stmt.with_for_update()
    return list((await uow.session.execute(stmt)).scalars())


def check_position(check: Checker, position: int | None, *, last: int) -> None:
    """``position`` (if given) must be an index in ``0..last``."""
    if position is not None and not 0 <= position <= last:
        check.add(
            "position", InputErrorCode.OUT_OF_RANGE, f"`position` must be between 0 and {last}."
        )


def placed(rows: Sequence[Any], row: Any, position: int | None) -> list[Any]:
    """``rows`` with ``row`` (taken out first if present) at ``position``, or last if None."""
    others = [r for r in rows if r.id != row.id]
    others.insert(len(others) if position is None else position, row)
    return others


def renumber(rows: Sequence[Any], *, skip: Collection[str] = ()) -> list[Any]:
    """Set positions to 0..n-1 in list order; the rows that moved, except those in ``skip``
    (rows the caller reports with their own event)."""
    moved = []
    for index, row in enumerate(rows):
        if row.position != index:
            row.position = index
            if row.id not in skip:
                moved.append(row)
    return moved


def report_order(uow: UnitOfWork, parent: Versioned, children: str, ordered: Sequence[Any]) -> None:
    """One ``<parent>.<children>_reordered`` event with ``<child>_ids`` in their new order."""
    key = f"{children.removesuffix('s')}_ids"
    uow.changed(parent, f"{children}_reordered", extra={key: [row.id for row in ordered]})


def in_listed_order(rows: Sequence[Any], ids: Sequence[str], *, what: str, path: Path) -> list[Any]:
    """``rows`` in the order of ``ids``, which must name every one of them exactly once."""
    by_id = {r.id: r for r in rows}
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, row_id in enumerate(ids):
        at = (*path, str(index))
        if row_id in seen:
            errors.append(
                FieldError(at, InputErrorCode.INVALID.value, f"{row_id} is listed twice.")
            )
        elif row_id not in by_id:
            errors.append(
                FieldError(at, InputErrorCode.NOT_FOUND.value, f"{what} {row_id} not found here.")
            )
        seen.add(row_id)
    missing = [r.id for r in rows if r.id not in seen]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        errors.append(
            FieldError(
                path,
                InputErrorCode.INVALID.value,
                f"List every {what.lower()} exactly once; {len(missing)} missing: {shown}.",
            )
        )
    if errors:
        raise InputErrors(errors)
    return [by_id[row_id] for row_id in ids]
