"""Ending grants (refresh-token families): every refresh token of the grant stops working, and
every access token issued under it is refused once the change is announced."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.clock import utcnow
from app.models import OAuthGrant


async def revoke_grants(
    session: AsyncSession,
    reason: str,
    *,
    grant_id: str | None = None,
    user_id: str | None = None,
) -> None:
    """Inside the caller's transaction; the caller announces the grant or user id after it
    commits."""
    now = utcnow()
    stmt = update(OAuthGrant).where(col(OAuthGrant.revoked_at).is_(None))
    if grant_id is not None:
        stmt = stmt.where(col(OAuthGrant.id) == grant_id)
    if user_id is not None:
        stmt = stmt.where(col(OAuthGrant.user_id) == user_id)
    await session.execute(stmt.values(revoked_at=now, revoked_reason=reason, updated_at=now))


async def revoke_user_grants(session: AsyncSession, user_id: str) -> None:
    await revoke_grants(session, "user disabled", user_id=user_id)
