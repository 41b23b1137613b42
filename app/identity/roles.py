"""What each organisation role may do, as scopes: the one table (the README shows it)."""

from __future__ import annotations

from app.auth.scopes import FULL_ACCESS, READ_ONLY, Scope
from app.models import UserRole

ROLE_SCOPES: dict[UserRole, frozenset[Scope]] = {
    UserRole.OWNER: frozenset({Scope.ADMIN}),
    UserRole.ADMIN: FULL_ACCESS,
    UserRole.MEMBER: READ_ONLY | {Scope.CONTENT_WRITE, Scope.JOBS_WRITE},
}
"""Owners hold ``admin`` (everything). Admins hold every other scope; what they cannot do is
make, unmake or manage an owner, which needs ``admin``. Members read, and write content and
jobs, within the projects their user is limited to."""


def role_scopes(role: UserRole) -> frozenset[Scope]:
    return ROLE_SCOPES[role]


def within_role(role: UserRole, scopes: frozenset[Scope]) -> frozenset[Scope]:
    """``scopes`` narrowed to what ``role`` allows (``admin`` in a role allows all)."""
    allowed = ROLE_SCOPES[role]
    if Scope.ADMIN in allowed:
        return scopes
    return scopes & allowed
