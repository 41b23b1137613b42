"""Demo data for the embedded quick start: one organisation, projects, an admin key and an
admin user who can sign in.

Running it again changes nothing but the admin key's secret and the admin user's password
(secrets cannot be shown twice, so each run gives fresh ones instead of piling up new keys or
users).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

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


@dataclass
class DemoResult:
    org_id: str
    key_id: str
    token: str
    created: bool
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


async def _demo_key(db: Database, org_id: str) -> tuple[str, str]:
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
    key_id, token = await _demo_key(db, org.id)
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
        user_email=DEMO_USER_EMAIL,
        user_password=password,
    )
