"""What a failed statement means for the caller, in the contract's terms.

Every session of ``app.database.Database`` passes its errors through ``contract_error``: an
unreachable database becomes 503 ``SERVICE_UNAVAILABLE``; a constraint the write broke becomes
a contract error (a unique or foreign-key conflict ``CONFLICT``, a missing or malformed value
``VALIDATION_FAILED``) whose message names no stored value, since driver messages quote the row.
``violation_of`` lets a caller that knows which input a unique constraint guards report it
against that field instead (``TAKEN``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import DBAPIError, IntegrityError

from app.availability import database_unreachable, service_unavailable, sqlstate_of
from app.errors import ApiError, ErrorCode


class ViolationKind(StrEnum):
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign_key"
    NOT_NULL = "not_null"
    CHECK = "check"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Violation:
    kind: ViolationKind
    table: str | None = None
    columns: tuple[str, ...] = ()
    """SQLite names the columns; PostgreSQL names the constraint (and the column if NOT NULL)."""
    constraint: str | None = None


QUERY_CANCELED = "57014"
"""PostgreSQL's ``statement_timeout`` fired (``app.http.timeouts``)."""

POSTGRES_KINDS = {
    "23505": ViolationKind.UNIQUE,
    "23503": ViolationKind.FOREIGN_KEY,
    "23502": ViolationKind.NOT_NULL,
    "23514": ViolationKind.CHECK,
}
SQLITE_MESSAGE = re.compile(r"(UNIQUE|FOREIGN KEY|NOT NULL|CHECK) constraint failed(?::\s*(.*))?")
SQLITE_KINDS = {
    "UNIQUE": ViolationKind.UNIQUE,
    "FOREIGN KEY": ViolationKind.FOREIGN_KEY,
    "NOT NULL": ViolationKind.NOT_NULL,
    "CHECK": ViolationKind.CHECK,
}


def violation_of(error: IntegrityError) -> Violation:
    state = sqlstate_of(error)
    if state is not None:
        cause = error.orig.__cause__ if error.orig is not None else None
        column = getattr(cause, "column_name", None)
        return Violation(
            POSTGRES_KINDS.get(state, ViolationKind.OTHER),
            table=getattr(cause, "table_name", None),
            columns=(column,) if isinstance(column, str) else (),
            constraint=getattr(cause, "constraint_name", None),
        )
    match = SQLITE_MESSAGE.search(str(error.orig))
    if match is None:
        return Violation(ViolationKind.OTHER)
    qualified = [c.strip() for c in (match.group(2) or "").split(",") if "." in c]
    return Violation(
        SQLITE_KINDS[match.group(1)],
        table=qualified[0].split(".", 1)[0] if qualified else None,
        columns=tuple(c.split(".", 1)[1] for c in qualified),
    )


def _conflict(violation: Violation) -> ApiError:
    if violation.kind is ViolationKind.FOREIGN_KEY:
        message = "The change refers to something that was removed meanwhile; retry."
    else:
        message = "The change conflicts with another one made at the same time; retry."
    return ApiError(ErrorCode.CONFLICT, message)


def contract_error(error: Exception, *, timed_out_connecting: bool = False) -> Exception:
    """The error to raise instead of ``error`` (``error`` itself when it is not the store's)."""
    if timed_out_connecting or database_unreachable(error):
        return service_unavailable("The database")
    if isinstance(error, IntegrityError):
        violation = violation_of(error)
        if violation.kind in (ViolationKind.NOT_NULL, ViolationKind.CHECK):
            return ApiError(
                ErrorCode.VALIDATION_FAILED, "A required value is missing or out of range."
            )
        return _conflict(violation)
    if isinstance(error, DBAPIError) and sqlstate_of(error) == QUERY_CANCELED:
        return ApiError(
            ErrorCode.TIMEOUT, "A statement ran past the request's time limit and was stopped."
        )
    if isinstance(error, DBAPIError) and (sqlstate_of(error) or "").startswith("22"):
        return ApiError(
            ErrorCode.VALIDATION_FAILED,
            "A value cannot be stored: it is out of range or holds characters the store "
            "refuses (such as NUL).",
        )
    return error
