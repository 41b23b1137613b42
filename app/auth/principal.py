"""Who is calling: the credential (API key, OAuth access token, console session), its
organisation and what it may touch. Every policy reads this, whatever the credential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.auth.scopes import Scope, grants
from app.errors import ErrorCode


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
    grant_id: str | None = None
    """The authorization (refresh-token family) a user's access token was issued under."""
    valid_until: datetime | None = None
    """When the credential as presented stops being accepted (a key's expiry or the end of a
    rotated secret's grace period, a token's expiry), if it does: open connections are closed
    then."""

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

    @property
    def depends_on(self) -> frozenset[str]:
        """The ids whose change (announced by ``app.auth.key_changes``) may change what this
        credential admits: the key; or the token, its grant, client and user."""
        ids = (self.credential_id, self.client_id, self.user_id, self.token_id, self.grant_id)
        return frozenset(i for i in ids if i is not None)

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
