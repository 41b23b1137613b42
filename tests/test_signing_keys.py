"""Access-token signing keys: made once however many processes start, rotated ahead of time,
old keys published until their tokens have expired, private halves sealed at rest (rows
written before that, ``plain:<PEM>``, still read)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlalchemy import Text, select, text, type_coerce, update
from sqlmodel import col

from app.clock import utcnow
from app.crypto import SecretBox
from app.database import Database
from app.identity import access_tokens
from app.identity.access_tokens import InvalidToken
from app.identity.signing_keys import SigningKeys
from app.migrate import upgrade_async
from app.models import OAuthSigningKey
from app.models.identity import LEGACY_PLAIN
from app.settings import Settings
from tests.backends import SECRET_KEY, postgres_database, sqlite_database


@pytest_asyncio.fixture(loop_scope="session", params=["sqlite", "postgres"])
async def fresh_db(request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    make = postgres_database("keys") if request.param == "postgres" else sqlite_database()
    async with make as url:
        await upgrade_async(url)
        db = Database(url, secret_box=SecretBox.from_text(SECRET_KEY))
        try:
            yield db
        finally:
            await db.dispose()


async def _rows(db: Database) -> list[OAuthSigningKey]:
    async with db.reading() as session:
        rows = await session.execute(
            select(OAuthSigningKey).order_by(col(OAuthSigningKey.activates_at))
        )
        return list(rows.scalars())


async def _set(db: Database, kid: str, **values: object) -> None:
    async with db.writing() as session:
        await session.execute(
            update(OAuthSigningKey).where(col(OAuthSigningKey.kid) == kid).values(**values)
        )


def _token() -> access_tokens.AccessToken:
    return access_tokens.new_access_token(
        issuer="https://id.example",
        audience="https://id.example",
        client_id="cli_01J00000000000000000000000",
        org_id="org_01J00000000000000000000000",
        scopes=("projects:read",),
        lifetime=600,
    )


async def test_keys_are_made_once_rotated_ahead_and_retired_late(fresh_db: Database) -> None:
    settings = Settings(database_url=fresh_db.url, oauth_signing_key_rotation_days=30)
    processes = [SigningKeys(fresh_db, settings) for _ in range(3)]
    await asyncio.gather(*(p.ensure() for p in processes))
    [first] = await _rows(fresh_db)
    stored = await _stored_private_key(fresh_db, first.kid)
    assert stored.startswith("v1.") and "PRIVATE KEY" not in stored
    assert first.private_key is not None and "PRIVATE KEY" in first.private_key
    assert "d" not in first.public_jwk
    assert first.retires_at - first.activates_at == timedelta(days=30)
    keys = processes[0]
    old_token = await access_tokens.sign(_token(), keys)

    await _set(fresh_db, first.kid, retires_at=utcnow() + timedelta(minutes=30))
    await asyncio.gather(*(p.ensure() for p in processes))
    rows = await _rows(fresh_db)
    assert len(rows) == 2, "one successor, published before it signs"
    successor = rows[1]
    assert (await keys.signer())[0] == first.kid
    published = {k["kid"] for k in (await keys.jwks())["keys"]}
    assert published == {first.kid, successor.kid}

    now = utcnow()
    await _set(fresh_db, first.kid, retires_at=now - timedelta(seconds=1))
    await _set(fresh_db, successor.kid, activates_at=now - timedelta(seconds=1))
    await keys.ensure()
    assert (await keys.signer())[0] == successor.kid
    verified = await access_tokens.verify(
        old_token, processes[2], issuer="https://id.example", audience="https://id.example"
    )
    assert verified.client_id == "cli_01J00000000000000000000000"

    await _set(fresh_db, first.kid, expires_at=now - timedelta(seconds=1))
    await keys.ensure()
    assert [r.kid for r in await _rows(fresh_db)] == [successor.kid]
    fresh_process = SigningKeys(fresh_db, settings)
    with pytest.raises(InvalidToken, match="unknown signing key"):
        await access_tokens.verify(
            old_token, fresh_process, issuer="https://id.example", audience="https://id.example"
        )


async def _stored_private_key(db: Database, kid: str) -> str:
    """The column as the database holds it (what a dump shows)."""
    raw = type_coerce(OAuthSigningKey.__table__.c.private_key, Text)  # type: ignore[attr-defined]
    async with db.reading() as session:
        value: str = (
            await session.execute(select(raw).where(col(OAuthSigningKey.kid) == kid))
        ).scalar_one()
    return value


async def test_keys_stored_before_sealing_still_sign_and_are_resealed(fresh_db: Database) -> None:
    from app.models.sealing import reseal

    settings = Settings(database_url=fresh_db.url)
    keys = SigningKeys(fresh_db, settings)
    await keys.ensure()
    [row] = await _rows(fresh_db)
    assert row.private_key is not None
    async with fresh_db.writing() as session:
        await session.execute(
            text("UPDATE oauth_signing_keys SET private_key = :value WHERE kid = :kid"),
            {"value": LEGACY_PLAIN + row.private_key, "kid": row.kid},
        )
    legacy = SigningKeys(fresh_db, settings)
    token = await access_tokens.sign(_token(), legacy)
    claims = await access_tokens.verify(
        token, legacy, issuer="https://id.example", audience="https://id.example"
    )
    assert claims.scopes == ("projects:read",)

    report = await reseal(fresh_db)
    assert report.counts["oauth_signing_keys.private_key"] == 1 and not report.unreadable
    assert (await _stored_private_key(fresh_db, row.kid)).startswith("v1.")
    [again] = await _rows(fresh_db)
    assert again.private_key == row.private_key


async def test_a_key_made_by_another_process_is_honoured_at_once(fresh_db: Database) -> None:
    settings = Settings(database_url=fresh_db.url)
    reader, writer = SigningKeys(fresh_db, settings), SigningKeys(fresh_db, settings)
    await reader.ensure()
    [first] = await _rows(fresh_db)
    await _set(fresh_db, first.kid, retires_at=utcnow() - timedelta(seconds=1))
    await asyncio.sleep(SigningKeys.UNKNOWN_KID_RELOAD_GAP)
    await writer.ensure()
    kid, _ = await writer.signer()
    assert kid != first.kid
    token = await access_tokens.sign(_token(), writer)
    claims = await access_tokens.verify(
        token, reader, issuer="https://id.example", audience="https://id.example"
    )
    assert claims.scopes == ("projects:read",)


async def test_sweep_deletes_only_what_can_no_longer_be_used(fresh_db: Database) -> None:
    from app.identity.housekeeping import sweep
    from app.models import OAuthRevokedToken

    now = utcnow()
    async with fresh_db.writing() as session:
        session.add(OAuthRevokedToken(jti="gone", expires_at=now - timedelta(seconds=1)))
        session.add(OAuthRevokedToken(jti="kept", expires_at=now + timedelta(hours=1)))
    await sweep(fresh_db)
    async with fresh_db.reading() as session:
        left = (await session.execute(select(col(OAuthRevokedToken.jti)))).scalars().all()
    assert left == ["kept"]
