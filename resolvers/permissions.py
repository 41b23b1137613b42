"""The one permission mechanism: scopes per operation, tenancy and project limits per row.

Rows of another organisation, or of a project the key is not limited to, are invisible: reads
return nothing and writes report NOT_FOUND, so a key learns nothing about what it cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, cast, exists, false, func, literal, literal_column, not_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import ColumnElement

from app.auth.scopes import Scope
from app.errors import ApiError, ErrorCode
from resolvers.context import Context


def require_scope(ctx: Context, scope: Scope) -> None:
    if not ctx.principal.has(scope):
        raise ApiError(
            ErrorCode.UNAUTHORIZED_SCOPE, f"This API key lacks the `{scope.value}` scope."
        )


@dataclass(frozen=True, slots=True)
class Audience:
    """Everything row visibility depends on. Two callers with the same audience see the same
    rows, so a statement built for one may run for the other (``resolvers.loaders`` keeps
    them): anything ``visible_to`` reads must be a field here."""

    org_id: str
    project_ids: frozenset[str] | None
    postgres: bool


def audience(ctx: Context) -> Audience:
    return Audience(ctx.org_id, ctx.principal.project_ids, ctx.db.is_postgres)


def visibility(ctx: Context, model: Any) -> list[ColumnElement[bool]]:
    """WHERE clauses restricting ``model`` to the rows the caller may see."""
    return visible_to(audience(ctx), model)


def visible_to(who: Audience, model: Any) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [model.org_id == who.org_id]
    if hasattr(model, "deleted_at"):
        # Soft-deleted rows (assets whose file awaits removal) are gone for every caller.
        clauses.append(model.deleted_at.is_(None))
    allowed = who.project_ids
    if allowed is not None:
        if hasattr(model, "project_ids"):
            clauses.append(_project_list_within(who.postgres, model.project_ids, sorted(allowed)))
        else:
            column = (
                model.id
                if model.__tablename__ == "projects"
                else getattr(model, "project_id", None)
            )
            # Rows that belong to the organisation rather than a project are not for limited keys.
            clauses.append(false() if column is None else column.in_(sorted(allowed)))
    return clauses


def _project_list_within(postgres: bool, column: Any, allowed: list[str]) -> ColumnElement[bool]:
    """Rows holding a JSON list of project ids (null: every project, e.g. an API key) are
    visible to a project-limited caller only when that list lies within the caller's."""
    if postgres:
        return and_(
            func.jsonb_typeof(column) == "array",
            column.op("<@")(cast(literal(allowed, JSONB), JSONB)),
        )
    member = func.json_each(column).table_valued("value").alias("member")
    outside = exists(
        select(literal_column("1")).select_from(member).where(member.c.value.not_in(allowed))
    )
    return and_(func.json_type(column) == "array", not_(outside))


def can_see(ctx: Context, row: Any) -> bool:
    if row is None or row.org_id != ctx.org_id or getattr(row, "deleted_at", None) is not None:
        return False
    allowed = ctx.principal.project_ids
    if allowed is not None and hasattr(row, "project_ids"):
        return row.project_ids is not None and set(row.project_ids) <= allowed
    project_id = (
        row.id if type(row).__tablename__ == "projects" else getattr(row, "project_id", None)
    )
    return project_id is None or ctx.principal.may_see_project(project_id)
