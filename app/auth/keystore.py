"""Turns a bearer token into a ``Principal``, caching validated keys.

Lookups are by the token's hash, so an unknown key and a wrong secret take the same path and
the same time: there is no per-prefix lookup to time. A token whose checksum is wrong is
refused before any I/O.

The cache is only as good as its invalidation: every process must drop a key within a second
of it being revoked, rotated or narrowed (``app.auth.key_changes``). When that cannot be
guaranteed (the Redis subscription is down), caching is switched off and every request reads
the store.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import col, select

from app.auth.credential_cache import ChangeAwareCache
from app.auth.principal import Principal
from app.auth.scopes import stored_scopes
from app.auth.tokens import hash_token, is_well_formed
from app.clock import utcnow
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.models import ApiKey, ApiKeySecret


@dataclass(frozen=True, slots=True)
class _Entry:
    principal: Principal | None
    revoked: bool
    secret_expires_at: datetime | None
    """End of the rotation grace period of this secret."""


def _unauthenticated() -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, "Missing, malformed or unknown API key.")


class KeyStore(ChangeAwareCache[_Entry]):
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

    async def authenticate(self, token: str) -> Principal:
        if not is_well_formed(token):
            raise _unauthenticated()
        digest = hash_token(token)
        return self._check(await self.cached(digest, lambda: self._load(digest)))

    @staticmethod
    def _check(entry: _Entry) -> Principal:
        principal = entry.principal
        if principal is None:
            raise _unauthenticated()
        if entry.revoked:
            raise ApiError(ErrorCode.API_KEY_REVOKED, "This API key has been revoked.")
        now = utcnow()
        if principal.expires_at is not None and principal.expires_at <= now:
            raise ApiError(ErrorCode.API_KEY_EXPIRED, "This API key has expired.")
        if entry.secret_expires_at is not None and entry.secret_expires_at <= now:
            raise ApiError(
                ErrorCode.API_KEY_EXPIRED,
                "This secret was replaced by a rotation and its grace period has ended; "
                "use the new secret.",
            )
        return principal

    async def _load(self, digest: str) -> tuple[_Entry, frozenset[str]]:
        async with self._db.reading() as session:
            row = (
                await session.execute(
                    select(ApiKey, ApiKeySecret)
                    .join(ApiKeySecret, col(ApiKeySecret.key_id) == col(ApiKey.id))
                    .where(col(ApiKeySecret.secret_hash) == digest)
                )
            ).first()
        if row is None or not secrets.compare_digest(row[1].secret_hash, digest):
            return _Entry(None, False, None), frozenset()
        key, secret = row
        ends = [when for when in (key.expires_at, secret.expires_at) if when is not None]
        principal = replace(principal_of(key), valid_until=min(ends, default=None))
        return _Entry(principal, key.revoked_at is not None, secret.expires_at), frozenset({key.id})


def principal_of(key: ApiKey) -> Principal:
    return Principal(
        credential_id=key.id,
        org_id=key.org_id,
        scopes=stored_scopes(key.scopes),
        project_ids=frozenset(key.project_ids) if key.project_ids is not None else None,
        allowed_cidrs=tuple(key.allowed_cidrs) if key.allowed_cidrs is not None else None,
        expires_at=key.expires_at,
        read_rate_limit=key.read_rate_limit,
        write_rate_limit=key.write_rate_limit,
        environment=key.environment,
    )
