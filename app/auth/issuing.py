"""Creating API keys and their secrets: the one place a secret is generated, hashed and stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import tokens
from app.auth.scopes import Scope
from app.models import ApiKey, ApiKeySecret


async def issue_key(
    session: AsyncSession,
    *,
    org_id: str,
    name: str,
    scopes: Iterable[Scope],
    description: str = "",
    environment: str = "live",
    project_ids: list[str] | None = None,
    allowed_cidrs: list[str] | None = None,
    expires_at: datetime | None = None,
    read_rate_limit: int | None = None,
    write_rate_limit: int | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key and return it with its secret, which is never readable again."""
    issued = tokens.generate(environment)
    key = ApiKey(
        org_id=org_id,
        name=name,
        description=description,
        environment=environment,
        prefix=issued.prefix,
        last4=issued.last4,
        scopes=sorted(s.value for s in scopes),
        project_ids=project_ids,
        allowed_cidrs=allowed_cidrs,
        expires_at=expires_at,
        read_rate_limit=read_rate_limit,
        write_rate_limit=write_rate_limit,
    )
    session.add(key)
    await session.flush()
    session.add(ApiKeySecret(key_id=key.id, secret_hash=issued.hash))
    await session.flush()
    return key, issued.token


async def add_secret(session: AsyncSession, key: ApiKey) -> str:
    """A new secret for an existing key (rotation); the caller decides what happens to the old."""
    issued = tokens.generate(key.environment)
    session.add(ApiKeySecret(key_id=key.id, secret_hash=issued.hash))
    key.last4 = issued.last4
    await session.flush()
    return issued.token
