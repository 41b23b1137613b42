"""Event-type filters: ``*`` matches every type, and ``*`` as a segment matches one segment
(``job.*`` matches ``job.completed``, ``*.created`` matches ``project.created``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, or_, true
from sqlalchemy.sql import ColumnElement

PATTERN_RE = re.compile(r"(\*|[a-z][a-z0-9_]*)(\.(\*|[a-z][a-z0-9_]*))*")
MAX_PATTERNS = 50
MAX_PATTERN_LENGTH = 64


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid filter, or None."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is longer than {MAX_PATTERN_LENGTH} characters"
    if not PATTERN_RE.fullmatch(pattern):
        return "must be an event type such as `job.completed`, with `*` for any segment"
    return None


def matches(pattern: str, event_type: str) -> bool:
    if pattern == "*":
        return True
    wanted = pattern.split(".")
    actual = event_type.split(".")
    if len(wanted) != len(actual):
        return False
    return all(w in ("*", a) for w, a in zip(wanted, actual, strict=True))


def matches_any(patterns: Iterable[str] | None, event_type: str) -> bool:
    """No filter (None or empty) matches everything."""
    if not patterns:
        return True
    return any(matches(p, event_type) for p in patterns)


def normalize(patterns: Sequence[str]) -> list[str]:
    """Sorted and de-duplicated, so equal filters are stored alike."""
    return sorted(set(patterns))


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def type_clause(column: Any, patterns: Sequence[str] | None) -> ColumnElement[bool]:
    """SQL for ``matches_any(patterns, column)``: exact types by equality, wildcards by LIKE
    plus a segment count (``*`` never spans a dot)."""
    if not patterns or "*" in patterns:
        return true()
    clauses: list[ColumnElement[bool]] = []
    exact = [p for p in patterns if "*" not in p]
    if exact:
        clauses.append(column.in_(exact))
    for pattern in patterns:
        if "*" not in pattern:
            continue
        like = "%".join(_like_escape(part) for part in pattern.split("*"))
        dots = func.length(column) - func.length(func.replace(column, ".", ""))
        clauses.append(and_(column.like(like, escape="\\"), dots == pattern.count(".")))
    return or_(*clauses)
