"""The one permission mechanism: scopes per operation, tenancy and project limits per row.

Rows of another organisation, or of a project the key is not limited to, are invisible: reads
return nothing and writes report NOT_FOUND, so a key learns nothing about what it cannot see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement

from app.auth.scopes import Scope
from app.errors import ApiError, ErrorCode
from resolvers.context import Context


def require_scope(ctx: Context, scope: Scope) -> None:
    if not ctx.principal.has(scope):
        raise ApiError(
            ErrorCode.UNAUTHORIZED_SCOPE, f"This API key lacks the `{scope.value}` scope."
        )


def visibility(ctx: Context, model: Any) -> list[ColumnElement[bool]]:
    """WHERE clauses restricting ``model`` to the rows the caller may see."""
    clauses: list[ColumnElement[bool]] = [model.org_id == ctx.org_id]
    allowed = ctx.principal.project_ids
    if allowed is not None:
        column = (
            model.id if model.__tablename__ == "projects" else getattr(model, "project_id", None)
        )
        # Rows that belong to the organisation rather than a project are not for limited keys.
        clauses.append(false() if column is None else column.in_(sorted(allowed)))
    return clauses


def can_see(ctx: Context, row: Any) -> bool:
    if row is None or row.org_id != ctx.org_id:
        return False
    project_id = (
        row.id if type(row).__tablename__ == "projects" else getattr(row, "project_id", None)
    )
    return project_id is None or ctx.principal.may_see_project(project_id)
