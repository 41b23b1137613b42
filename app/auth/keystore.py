"""Turns a bearer token into a ``Principal``, caching validated keys for a few seconds.

Lookups are by the token's hash, so an unknown key and a wrong secret take the same path and
the same time: there is no per-prefix lookup to time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.auth.tokens import hash_token, is_well_formed
from app.clock import utcnow
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.models import ApiKey, ApiKeySecret


@dataclass(frozen=True, slots=True)
class _Entry:
    principal: Principal | None
    revoked: bool
    expires_at: datetime | None
    """The earlier of the key's expiry and the secret's end of grace."""
    cached_at: float


def _unauthenticated() -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, "Missing, malformed or unknown API key.")


class KeyStore:
    def __init__(self, db: Database, *, cache_seconds: float = 30.0, max_entries: int = 10_000):
        self._db = db
        self._ttl = cache_seconds
        self._max = max_entries
        self._cache: dict[str, _Entry] = {}

    async def authenticate(self, token: str) -> Principal:
        if not is_well_formed(token):
            raise _unauthenticated()
        digest = hash_token(token)
        entry = self._cache.get(digest)
        if entry is None or time.monotonic() - entry.cached_at > self._ttl:
            entry = await self._load(digest)
            if len(self._cache) >= self._max:
                self._cache.clear()
            self._cache[digest] = entry
        if entry.principal is None:
            raise _unauthenticated()
        if entry.revoked:
            raise ApiError(ErrorCode.API_KEY_REVOKED, "This API key has been revoked.")
        if entry.expires_at is not None and entry.expires_at <= utcnow():
            raise ApiError(ErrorCode.API_KEY_EXPIRED, "This API key has expired.")
        return entry.principal

    def forget(self, key_id: str | None = None) -> None:
        """Drop cached keys (one key, or all) so the next request reads the store again."""
        if key_id is None:
            self._cache.clear()
            return
        for digest in [
            d for d, e in self._cache.items() if e.principal and e.principal.key_id == key_id
        ]:
            self._cache.pop(digest, None)

    async def _load(self, digest: str) -> _Entry:
        async with self._db.reading() as session:
            row = (
                await session.execute(
                    select(ApiKey, ApiKeySecret)
                    .join(ApiKeySecret, ApiKeySecret.key_id == ApiKey.id)
                    .where(ApiKeySecret.secret_hash == digest)
                )
            ).first()
        now = time.monotonic()
        if row is None:
            return _Entry(None, False, None, now)
        key, secret = row
        ends = [t for t in (key.expires_at, secret.expires_at) if t is not None]
        return _Entry(
            principal_of(key), key.revoked_at is not None, min(ends) if ends else None, now
        )


def principal_of(key: ApiKey) -> Principal:
    return Principal(
        key_id=key.id,
        org_id=key.org_id,
        scopes=frozenset(Scope(s) for s in key.scopes),
        project_ids=frozenset(key.project_ids) if key.project_ids is not None else None,
        allowed_cidrs=tuple(key.allowed_cidrs) if key.allowed_cidrs else None,
        expires_at=key.expires_at,
        read_rate_limit=key.read_rate_limit,
        write_rate_limit=key.write_rate_limit,
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
