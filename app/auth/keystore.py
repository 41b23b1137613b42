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
import time
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

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
    cached_at: float


def _unauthenticated() -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, "Missing, malformed or unknown API key.")


class KeyStore:
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
        """Grows on every invalidation: a load that raced one must not be cached."""

    @property
    def caching(self) -> bool:
        return self._caching

    def set_caching(self, enabled: bool) -> None:
        """Switch the cache on (invalidations are reaching us) or off (they may not be);
        either way every cached entry is dropped, since some may have missed a change."""
        self._caching = enabled
        self.forget()

    def forget(self, key_id: str | None = None) -> None:
        """Drop cached keys (one key, or all) so the next request reads the store again."""
        self._epoch += 1
        if key_id is None:
            self._cache.clear()
            return
        for digest in [
            d for d, e in self._cache.items() if e.principal and e.principal.credential_id == key_id
        ]:
            self._cache.pop(digest, None)

    async def authenticate(self, token: str) -> Principal:
        if not is_well_formed(token):
            raise _unauthenticated()
        digest = hash_token(token)
        entry = self._cache.get(digest) if self._caching else None
        if entry is None or time.monotonic() - entry.cached_at > self._ttl:
            epoch = self._epoch
            entry = await self._load(digest)
            if self._caching and epoch == self._epoch:
                if len(self._cache) >= self._max:
                    self._cache.clear()
                self._cache[digest] = entry
        return self._check(entry)

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

    async def _load(self, digest: str) -> _Entry:
        async with self._db.reading() as session:
            row = (
                await session.execute(
                    select(ApiKey, ApiKeySecret)
                    .join(ApiKeySecret, col(ApiKeySecret.key_id) == col(ApiKey.id))
                    .where(col(ApiKeySecret.secret_hash) == digest)
                )
            ).first()
        now = time.monotonic()
        if row is None or not secrets.compare_digest(row[1].secret_hash, digest):
            return _Entry(None, False, None, now)
        key, secret = row
        return _Entry(principal_of(key), key.revoked_at is not None, secret.expires_at, now)


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


async def principal_for_key(db: Database, key_id: str) -> Principal | None:
    """The key's principal while it is valid (not revoked, not expired), for work done on its
    behalf outside a request (webhook payload documents); None otherwise."""
    async with db.reading() as session:
        key = await session.get(ApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return None
    if key.expires_at is not None and key.expires_at <= utcnow():
        return None
    return principal_of(key)
