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

import time
from dataclasses import dataclass
from datetime import UTC, datetime

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
    ids: frozenset[str]
    cached_at: float


class TokenPrincipals:
    def __init__(
        self,
        db: Database,
        *,
        cache_seconds: float = 30.0,
        max_entries: int = 10_000,
        caching: bool = True,
    ) -> None:
        self._db = db
        self._ttl = cache_seconds
        self._max = max_entries
        self._cache: dict[str, _Entry] = {}
        self._caching = caching
        self._epoch = 0

    @property
    def caching(self) -> bool:
        return self._caching

    def set_caching(self, enabled: bool) -> None:
        self._caching = enabled
        self.forget()

    def forget(self, changed_id: str | None = None) -> None:
        """Drop cached tokens that depend on ``changed_id`` (a token, grant, client or user),
        or all of them."""
        self._epoch += 1
        if changed_id is None:
            self._cache.clear()
            return
        for jti in [j for j, e in self._cache.items() if changed_id in e.ids]:
            self._cache.pop(jti, None)

    async def principal(self, token: AccessToken) -> Principal:
        entry = self._cache.get(token.jti) if self._caching else None
        if entry is None or time.monotonic() - entry.cached_at > self._ttl:
            epoch = self._epoch
            entry = await self._load(token)
            if self._caching and epoch == self._epoch:
                if len(self._cache) >= self._max:
                    self._cache.clear()
                self._cache[token.jti] = entry
        if entry.principal is None:
            raise TokenRefused(entry.refusal)
        return entry.principal

    async def _load(self, token: AccessToken) -> _Entry:
        ids = frozenset(
            i for i in (token.jti, token.client_id, token.user_id, token.grant_id) if i is not None
        )
        now = time.monotonic()
        async with self._db.reading() as session:
            client = await session.get(OAuthClient, token.client_id)
            user = await session.get(User, token.user_id) if token.user_id else None
            grant = await session.get(OAuthGrant, token.grant_id) if token.grant_id else None
            revoked = await session.get(OAuthRevokedToken, token.jti)
        refusal = _refusal(token, client, user, grant, revoked is not None)
        if refusal is not None or client is None:
            return _Entry(None, refusal or "unknown client", ids, now)
        scopes = narrow(stored_scopes(client.scopes), stored_scopes(token.scopes))
        project_ids = None
        if user is not None:
            scopes = narrow(user_scopes(user), scopes)
            project_ids = frozenset(user.project_ids) if user.project_ids is not None else None
        principal = Principal(
            credential_id=client.id,
            org_id=client.org_id,
            scopes=scopes,
            project_ids=project_ids,
            expires_at=datetime.fromtimestamp(token.expires_at, UTC),
            credential_kind=CredentialKind.ACCESS_TOKEN,
            client_id=client.id,
            user_id=user.id if user is not None else None,
            token_id=token.jti,
        )
        return _Entry(principal, "", ids, now)


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
