"""Who is calling: the authenticated key, its organisation and what it may touch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.auth.scopes import Scope, grants
from app.errors import ErrorCode


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    org_id: str
    scopes: frozenset[Scope]
    project_ids: frozenset[str] | None
    """None: every project of the organisation."""
    allowed_cidrs: tuple[str, ...] | None = None
    expires_at: datetime | None = None
    read_rate_limit: int | None = None
    write_rate_limit: int | None = None
    environment: str = "live"
    """``test`` for ``rh_test_`` keys."""
    valid_until: datetime | None = None
    """When the credential as presented stops being accepted (the key's expiry, or the end of
    a rotated secret's grace period), if it does: open connections are closed then."""

    @classmethod
    def operator(cls, org_id: str) -> Principal:
        """Someone with shell access to the deployment (the CLI), acting for ``org_id``."""
        return cls(
            key_id="operator", org_id=org_id, scopes=frozenset({Scope.ADMIN}), project_ids=None
        )

    def has(self, scope: Scope) -> bool:
        return grants(self.scopes, scope)

    def may_see_project(self, project_id: str) -> bool:
        return self.project_ids is None or project_id in self.project_ids

    def narrowed_since(self, before: Principal) -> ErrorCode | None:
        """Whether this principal (the same credential, read again) lost anything ``before``
        had: ``UNAUTHORIZED_SCOPE`` for a scope, ``FORBIDDEN`` for projects; None if not."""
        if any(not self.has(scope) for scope in before.scopes):
            return ErrorCode.UNAUTHORIZED_SCOPE
        if self.project_ids is not None and (
            before.project_ids is None or not self.project_ids >= before.project_ids
        ):
            return ErrorCode.FORBIDDEN
        return None
