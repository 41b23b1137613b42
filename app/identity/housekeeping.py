"""Deleting what can no longer be used: spent or expired codes, refresh tokens past their
expiry, revocations of tokens that have expired anyway, sessions ended a day ago."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import delete, or_
from sqlmodel import col

from app.clock import utcnow
from app.database import Database
from app.models import OAuthAuthorizationCode, OAuthRefreshToken, OAuthRevokedToken, UserSession

logger = logging.getLogger("reelhouse.identity")

KEEP_ENDED_SESSIONS = timedelta(days=1)


async def sweep(db: Database) -> None:
    now = utcnow()
    async with db.writing() as session:
        await session.execute(
            delete(OAuthAuthorizationCode).where(col(OAuthAuthorizationCode.expires_at) <= now)
        )
        await session.execute(
            delete(OAuthRefreshToken).where(col(OAuthRefreshToken.expires_at) <= now)
        )
        await session.execute(
            delete(OAuthRevokedToken).where(col(OAuthRevokedToken.expires_at) <= now)
        )
        horizon = now - KEEP_ENDED_SESSIONS
        await session.execute(
            delete(UserSession).where(
                or_(
                    col(UserSession.expires_at) <= horizon,
                    col(UserSession.revoked_at) <= horizon,
                )
            )
        )


async def run(db: Database, interval: float = 3600.0) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await sweep(db)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("deleting expired identity records failed")
