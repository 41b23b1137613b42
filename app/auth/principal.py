"""Who is calling: the credential (API key, OAuth access token, console session), its
organisation and what it may touch. Every policy reads this, whatever the credential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.auth.scopes import Scope, grants


class CredentialKind(StrEnum):
    API_KEY = "api_key"
    ACCESS_TOKEN = "access_token"
    """An OAuth 2.0 access token (a JWT), for a client alone or for a user through a client."""
    SESSION = "session"
    """A signed-in user's browser session (the console), acting with the user's role."""
    OPERATOR = "operator"
    """Someone with shell access to the deployment (the CLI)."""


@dataclass(frozen=True, slots=True)
class Principal:
    credential_id: str
    """What rate limits, usage and records are keyed on: the key id for an API key, the client
    id for an access token, the user id for a session."""
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
    credential_kind: CredentialKind = CredentialKind.API_KEY
    client_id: str | None = None
    """The OAuth client an access token was issued to."""
    user_id: str | None = None
    """The user an access token or session acts for."""
    token_id: str | None = None
    """An access token's ``jti``."""

    @classmethod
    def operator(cls, org_id: str) -> Principal:
        """Someone with shell access to the deployment (the CLI), acting for ``org_id``."""
        return cls(
            credential_id="operator",
            org_id=org_id,
            scopes=frozenset({Scope.ADMIN}),
            project_ids=None,
            credential_kind=CredentialKind.OPERATOR,
        )

    def has(self, scope: Scope) -> bool:
        return grants(self.scopes, scope)

    def may_see_project(self, project_id: str) -> bool:
        return self.project_ids is None or project_id in self.project_ids
