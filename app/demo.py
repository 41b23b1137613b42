"""Demo data for the embedded quick start: one organisation, projects, an admin key and an
admin user who can sign in.

Running it again changes nothing but the admin user's password (a password hash cannot be
shown again, so each run sets a fresh one). The demo key's secret is kept in a local file
readable only by its owner (``REELHOUSE_DEMO_KEY_FILE``) and printed again while it is still
the key's secret; only when that file is missing, or no longer holds the key's secret (a new
database), is a fresh secret issued and saved.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlmodel import col

from app.auth import tokens
from app.auth.issuing import issue_key
from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.database import Database
from app.identity.passwords import hash_password
from app.models import ApiKey, ApiKeySecret, Organization, Project, User, UserRole
from app.settings import Settings

DEMO_ORG_SLUG = "demo"
DEMO_KEY_NAME = "demo admin"
DEMO_USER_EMAIL = "admin@demo.reelhouse.example"

logger = logging.getLogger("reelhouse.demo")


def _owner_only(path: Path) -> bool:
    mode = path.stat().st_mode
    return not mode & (stat.S_IRWXG | stat.S_IRWXO) and path.stat().st_uid == os.getuid()


def saved_demo_key(settings: Settings) -> str | None:
    """The saved demo key, if the file exists, is the owner's alone and holds a token."""
    path = Path(settings.demo_key_file)
    try:
        if not _owner_only(path):
            logger.warning("ignoring %s: it is readable by others than its owner", path)
            return None
        token = path.read_text().strip()
    except OSError:
        return None
    return token if tokens.is_well_formed(token) else None


def save_demo_key(settings: Settings, token: str) -> None:
    """Written with mode 0600 from the start, never world-readable for a moment."""
    path = Path(settings.demo_key_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(token + "\n")


def read_demo_key(settings: Settings) -> str | None:
    """The demo key GraphiQL pre-fills: only on the embedded default (development, SQLite)."""
    embedded = settings.environment == "development" and settings.database_url.startswith("sqlite")
    return saved_demo_key(settings) if embedded else None


@dataclass
class DemoResult:
    org_id: str
    key_id: str
    token: str
    created: bool
    key_file: str
    user_email: str
    user_password: str


async def ensure_organization(db: Database, slug: str, name: str) -> tuple[Organization, bool]:
    async with db.writing() as session:
        org = (
            await session.execute(select(Organization).where(col(Organization.slug) == slug))
        ).scalar_one_or_none()
        if org is not None:
            return org, False
        org = Organization(slug=slug, name=name)
        session.add(org)
    return org, True


async def _demo_key(db: Database, org_id: str, saved: str | None) -> tuple[str, str]:
    """The demo key and its secret: ``saved`` while it still is the key's live secret, else
    a fresh one (the key is created on the first run)."""
    async with db.writing() as session:
        key = (
            await session.execute(
                select(ApiKey).where(
                    col(ApiKey.org_id) == org_id, col(ApiKey.name) == DEMO_KEY_NAME
                )
            )
        ).scalar_one_or_none()
        if key is None:
            key, token = await issue_key(
                session,
                org_id=org_id,
                name=DEMO_KEY_NAME,
                scopes=[Scope.ADMIN],
                description="Created by `reelhouse seed-demo`.",
            )
            return key.id, token
        if saved is not None and key.revoked_at is None:
            current = await session.execute(
                select(ApiKeySecret).where(
                    col(ApiKeySecret.key_id) == key.id,
                    col(ApiKeySecret.secret_hash) == tokens.hash_token(saved),
                )
            )
            if current.scalar_one_or_none() is not None:
                return key.id, saved
        issued = tokens.generate(key.environment)
        await session.execute(delete(ApiKeySecret).where(col(ApiKeySecret.key_id) == key.id))
        session.add(ApiKeySecret(key_id=key.id, secret_hash=issued.hash))
        key.last4 = issued.last4
        key.revoked_at = None
        key.touch()
        return key.id, issued.token


async def _demo_user(db: Database, org_id: str) -> str:
    """The demo admin user with a fresh password; returns the password."""
    password = secrets.token_urlsafe(12)
    password_hash = await hash_password(password)
    async with db.writing() as session:
        user = (
            await session.execute(
                select(User).where(col(User.org_id) == org_id, col(User.email) == DEMO_USER_EMAIL)
            )
        ).scalar_one_or_none()
        if user is None:
            session.add(
                User(
                    org_id=org_id,
                    email=DEMO_USER_EMAIL,
                    name="Demo Admin",
                    role=UserRole.ADMIN,
                    password_hash=password_hash,
                )
            )
        else:
            user.password_hash = password_hash
            user.disabled_at = None
            user.touch()
    return password


async def seed_demo(db: Database, settings: Settings) -> DemoResult:
    from resolvers.context import Context
    from resolvers.demo import seed_content

    org, created = await ensure_organization(db, DEMO_ORG_SLUG, "Demo Studio")
    saved = await asyncio.to_thread(saved_demo_key, settings)
    key_id, token = await _demo_key(db, org.id, saved)
    if token != saved:
        await asyncio.to_thread(save_demo_key, settings, token)
    password = await _demo_user(db, org.id)
    async with db.reading() as session:
        has_projects = (
            await session.execute(
                select(col(Project.id)).where(col(Project.org_id) == org.id).limit(1)
            )
        ).first() is not None
    if not has_projects:
        principal = Principal(
            credential_id=key_id, org_id=org.id, scopes=frozenset({Scope.ADMIN}), project_ids=None
        )
        await seed_content(Context(db=db, settings=settings, principal=principal))
    return DemoResult(
        org_id=org.id,
        key_id=key_id,
        token=token,
        created=created,
        key_file=await asyncio.to_thread(os.path.abspath, settings.demo_key_file),
        user_email=DEMO_USER_EMAIL,
        user_password=password,
    )
