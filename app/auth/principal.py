"""Who is calling: the authenticated key, its organisation and what it may touch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.auth.scopes import Scope, grants


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
