"""The audit trail as the caller may read it: its organisation's records, newest first,
filtered. A credential limited to projects sees the records of calls that addressed one of its
projects, and who made them only when it made them itself: which other keys, clients and users
the organisation has is not for it to know (as the keys list hides them from it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, or_
from sqlmodel import col, select

from app.errors import ApiError, ErrorCode, FieldError
from app.models import AuditRecord
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility

LIST_ORDER = Ordering("occurred_at", descending=True)
CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ_")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    key_id: str | None = None
    client_id: str | None = None
    user_id: str | None = None
    transport: str | None = None
    operation: str | None = None
    path: str | None = None
    status: int | None = None
    error_code: str | None = None
    request_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def _escaped_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(filter: AuditFilter) -> list[ColumnElement[bool]]:
    """``WHERE`` clauses of ``filter``; a credential filter is on ``credential_id`` too, so
    the ``(org_id, credential_id, occurred_at, id)`` index serves it."""
    a = AuditRecord
    clauses: list[ColumnElement[bool]] = []
    if filter.key_id is not None:
        clauses += [col(a.credential_id) == filter.key_id, col(a.key_id) == filter.key_id]
    if filter.client_id is not None:
        clauses.append(col(a.client_id) == filter.client_id)
    if filter.user_id is not None:
        clauses.append(col(a.user_id) == filter.user_id)
    if filter.transport is not None:
        clauses.append(col(a.transport) == filter.transport)
    if filter.operation is not None:
        clauses.append(col(a.operation) == filter.operation)
    if filter.path is not None:
        clauses.append(col(a.path).like(_escaped_prefix(filter.path), escape="\\"))
    if filter.status is not None:
        clauses.append(col(a.status) == filter.status)
    if filter.error_code is not None:
        code = filter.error_code.strip().upper()
        valid = bool(code) and set(code) <= CODE_CHARACTERS
        clauses.append(col(a.error_codes).like(f"%,{code},%") if valid else false())
    if filter.request_id is not None:
        clauses.append(
            or_(
                col(a.request_id) == filter.request_id,
                col(a.correlation_id) == filter.request_id,
            )
        )
    if filter.start is not None:
        clauses.append(col(a.occurred_at) >= filter.start)
    if filter.end is not None:
        clauses.append(col(a.occurred_at) < filter.end)
    return clauses


def check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and start >= end:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            "`from` must be before `to`.",
            fields=[FieldError(("filter", "from"), "OUT_OF_RANGE", "After `to`.")],
        )


async def list_records(
    ctx: Context, filter: AuditFilter, first: int | None, after: str | None
) -> Page[AuditRecord]:
    check_window(filter.start, filter.end)
    stmt: Any = select(AuditRecord).where(*visibility(ctx, AuditRecord), *conditions(filter))
    principal = ctx.principal
    named = {filter.key_id, filter.client_id, filter.user_id} - {None}
    if principal.project_ids is not None and named - {principal.credential_id}:
        stmt = stmt.where(false())  # it may not learn what other credentials did
    page = await paginate(ctx.db, stmt, AuditRecord, LIST_ORDER, first, after)
    if principal.project_ids is not None:
        for record in page.items:
            if record.credential_id != principal.credential_id:
                record.credential_id = record.key_id = record.client_id = record.user_id = None
    return page
