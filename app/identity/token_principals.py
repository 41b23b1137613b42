"""An access token, once its signature checks out, becomes a ``Principal`` like a key does.

The JWT says who and what was granted; the store says whether that still stands: the client
not revoked, the user not disabled, the grant (refresh-token family) not revoked, the token
itself not revoked. That state is read once per token and process, then cached exactly like
API keys, under every id it depends on, so the same change announcements
(``app.auth.key_changes``) drop it within a second: a revoked token, grant or client, or a
disabled user. While announcements may be missed, nothing is cached.

Scopes are the intersection of what the client may ask for now, what the token was granted,
and, for a user's token, what the user's role allows now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.auth.credential_cache import ChangeAwareCache
from app.auth.principal import CredentialKind, Principal
from app.auth.scopes import Scope, grants, stored_scopes
from app.database import Database
from app.identity.access_tokens import AccessToken
from app.identity.roles import role_scopes
from app.models import OAuthClient, OAuthGrant, OAuthRevokedToken, User


class TokenRefused(Exception):
    """The token's signature is fine but what it stands for is gone (safe to tell)."""


def narrow(held: frozenset[Scope], wanted: frozenset[Scope]) -> frozenset[Scope]:
    """The scopes of ``wanted`` that ``held`` allows (``admin`` allows each)."""
    return frozenset(s for s in wanted if grants(held, s))


def user_scopes(user: User) -> frozenset[Scope]:
    return role_scopes(user.role)


@dataclass(frozen=True, slots=True)
class _Entry:
    principal: Principal | None
    refusal: str


class TokenPrincipals(ChangeAwareCache[_Entry]):
    def __init__(
        self,
        db: Database,
        *,
        cache_seconds: float = 30.0,
        max_entries: int = 10_000,
        caching: bool = True,
    ) -> None:
        super().__init__(cache_seconds=cache_seconds, max_entries=max_entries, caching=caching)
        self._db = db

    async def principal(self, token: AccessToken) -> Principal:
        entry = await self.cached(token.jti, lambda: self._load(token))
        if entry.principal is None:
            raise TokenRefused(entry.refusal)
        return entry.principal

    async def _load(self, token: AccessToken) -> tuple[_Entry, frozenset[str]]:
        ids = frozenset(
            i for i in (token.jti, token.client_id, token.user_id, token.grant_id) if i is not None
        )
        async with self._db.reading() as session:
            client = await session.get(OAuthClient, token.client_id)
            user = await session.get(User, token.user_id) if token.user_id else None
            grant = await session.get(OAuthGrant, token.grant_id) if token.grant_id else None
            revoked = await session.get(OAuthRevokedToken, token.jti)
        refusal = _refusal(token, client, user, grant, revoked is not None)
        if refusal is not None or client is None:
            return _Entry(None, refusal or "unknown client"), ids
        scopes = narrow(stored_scopes(client.scopes), stored_scopes(token.scopes))
        project_ids = None
        if user is not None:
            scopes = narrow(user_scopes(user), scopes)
            project_ids = frozenset(user.project_ids) if user.project_ids is not None else None
        expires_at = datetime.fromtimestamp(token.expires_at, UTC)
        principal = Principal(
            credential_id=client.id,
            org_id=client.org_id,
            scopes=scopes,
            project_ids=project_ids,
            expires_at=expires_at,
            credential_kind=CredentialKind.ACCESS_TOKEN,
            client_id=client.id,
            user_id=user.id if user is not None else None,
            token_id=token.jti,
            grant_id=token.grant_id,
            valid_until=expires_at,
        )
        return _Entry(principal, ""), ids


def _refusal(
    token: AccessToken,
    client: OAuthClient | None,
    user: User | None,
    grant: OAuthGrant | None,
    revoked: bool,
) -> str | None:
    if client is None or client.org_id != token.org_id:
        return "its client no longer exists"
    if client.revoked_at is not None:
        return "its client has been revoked"
    if revoked:
        return "it has been revoked"
    if token.user_id is not None and (user is None or user.org_id != token.org_id):
        return "its user no longer exists"
    if user is not None and user.disabled_at is not None:
        return "its user has been disabled"
    if token.grant_id is not None and (grant is None or grant.revoked_at is not None):
        return "the authorization it was issued under has been revoked"
    return None
