"""The keys that sign access tokens: generated on first start, rotated on a schedule, published.

Each key has a signing period (``activates_at`` to ``retires_at``, one rotation period long)
and stays in the JWKS until every token it signed has expired. A successor is created well
before its predecessor retires, so verifiers that cache the JWKS see the new key before any
token carries it. Every process reads the keys from the database; one that meets a ``kid`` it
does not know reloads them (at most once a second), so a key another process created is
honoured at once.

Creation is serialised across processes: an advisory lock on PostgreSQL, the single-writer
lock on SQLite, and a fresh look at the table inside it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import delete, select, text
from sqlmodel import col

from app.clock import utcnow
from app.database import Database
from app.models import OAuthSigningKey
from app.settings import Settings

logger = logging.getLogger("reelhouse.identity")

ALGORITHM = "RS256"
KEY_BITS = 2048
MAX_TOKEN_SECONDS = 86400
"""The longest any access token may live (clients cannot ask for more): how long a retired
key must stay published."""
_LOCK_ID = 0x7265656C68  # "reelh"


@dataclass(frozen=True, slots=True)
class _Loaded:
    public: dict[str, RSAKey]
    signer: tuple[str, RSAKey] | None
    loaded_at: float


def _import(row: OAuthSigningKey) -> RSAKey:
    if row.private_key is None:
        raise ValueError("its private half cannot be opened (REELHOUSE_SECRET_KEY)")
    return RSAKey.import_key(
        row.private_key,
        parameters={"kid": row.kid, "alg": ALGORITHM, "use": "sig"},
    )


def _generate() -> RSAKey:
    key = RSAKey.generate_key(KEY_BITS, parameters={"alg": ALGORITHM, "use": "sig"})
    key.ensure_kid()
    return key


class SigningKeys:
    RELOAD_EVERY = 60.0
    UNKNOWN_KID_RELOAD_GAP = 1.0

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._rotation = timedelta(days=settings.oauth_signing_key_rotation_days)
        self._ahead = min(timedelta(hours=1), self._rotation / 4)
        """A successor is published this long before it starts signing."""
        self._loaded: _Loaded | None = None
        self._lock = asyncio.Lock()

    async def ensure(self) -> None:
        """A key that signs now, and its successor once it is due, without keys whose tokens
        have all expired; then reload."""
        now = utcnow()
        stored = await self._read_all()
        loaded = [r for r in stored if r.expires_at > now]
        if not self._needs_key(loaded, now) and len(loaded) == len(stored):
            self._loaded = self._build(loaded, now)
            return
        async with self._db.writing() as session:
            if self._db.is_postgres:
                await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            now = utcnow()
            rows = list(
                (
                    await session.execute(
                        select(OAuthSigningKey).where(col(OAuthSigningKey.expires_at) > now)
                    )
                ).scalars()
            )
            if self._needs_key(rows, now):
                latest = max((r.retires_at for r in rows if r.activates_at <= now), default=None)
                pending = [r for r in rows if r.activates_at > now]
                if latest is None or latest <= now:
                    session.add(await self._new_row(now))
                elif not pending:
                    session.add(await self._new_row(latest))
            await session.execute(
                delete(OAuthSigningKey).where(col(OAuthSigningKey.expires_at) <= now)
            )
        self._loaded = self._build(await self._read(now), now)

    def _needs_key(self, rows: list[OAuthSigningKey], now: datetime) -> bool:
        active = [r for r in rows if r.activates_at <= now < r.retires_at]
        if not active:
            return True
        ends = max(r.retires_at for r in active)
        successor = any(r.activates_at > now for r in rows)
        return ends - now <= self._ahead and not successor

    async def _new_row(self, activates_at: datetime) -> OAuthSigningKey:
        key = await asyncio.to_thread(_generate)
        retires_at = activates_at + self._rotation
        return OAuthSigningKey(
            kid=str(key.kid),
            algorithm=ALGORITHM,
            public_jwk=dict(key.as_dict(private=False)),
            private_key=key.as_pem(private=True).decode("ascii"),
            activates_at=activates_at,
            retires_at=retires_at,
            expires_at=retires_at + timedelta(seconds=MAX_TOKEN_SECONDS),
        )

    async def _read_all(self) -> list[OAuthSigningKey]:
        async with self._db.reading() as session:
            return list((await session.execute(select(OAuthSigningKey))).scalars())

    async def _read(self, now: datetime) -> list[OAuthSigningKey]:
        return [r for r in await self._read_all() if r.expires_at > now]

    def _build(self, rows: list[OAuthSigningKey], now: datetime) -> _Loaded:
        public: dict[str, RSAKey] = {}
        signer: tuple[datetime, str, RSAKey] | None = None
        for row in rows:
            try:
                key = _import(row)
            except ValueError:
                logger.exception("signing key %s cannot be read; skipped", row.kid)
                continue
            public[row.kid] = key
            if row.activates_at <= now < row.retires_at and (
                signer is None or row.activates_at > signer[0]
            ):
                signer = (row.activates_at, row.kid, key)
        return _Loaded(public, (signer[1], signer[2]) if signer else None, time.monotonic())

    async def _reload(self) -> _Loaded:
        async with self._lock:
            loaded = self._loaded
            if loaded is not None and time.monotonic() - loaded.loaded_at < (
                self.UNKNOWN_KID_RELOAD_GAP
            ):
                return loaded
            now = utcnow()
            self._loaded = self._build(await self._read(now), now)
            return self._loaded

    async def signer(self) -> tuple[str, RSAKey]:
        """The kid and private key that sign new tokens now."""
        loaded = self._loaded
        if (
            loaded is None
            or loaded.signer is None
            or (time.monotonic() - loaded.loaded_at > self.RELOAD_EVERY)
        ):
            await self.ensure()
            loaded = self._loaded
        assert loaded is not None and loaded.signer is not None
        return loaded.signer

    async def verifying_key(self, kid: str) -> RSAKey | None:
        loaded = self._loaded or await self._reload()
        key = loaded.public.get(kid)
        if key is None:
            key = (await self._reload()).public.get(kid)
        return key

    async def jwks(self) -> dict[str, Any]:
        loaded = self._loaded
        if loaded is None or time.monotonic() - loaded.loaded_at > self.RELOAD_EVERY:
            loaded = await self._reload()
        return dict(KeySet(list(loaded.public.values())).as_dict(private=False))

    async def run(self, interval: float = 60.0) -> None:
        """Rotate when due and pick up keys other processes made."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.ensure()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("checking the access-token signing keys failed")
