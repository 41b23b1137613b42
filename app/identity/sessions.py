"""Sign-in sessions: a random cookie whose hash names a row, so a session can be ended from the
server (sign-out, a disabled user) and nothing about the user lives in the browser.

The cookie is ``HttpOnly; SameSite=Lax; Path=/`` and ``Secure`` (with the ``__Host-`` name
prefix) everywhere but in development. Each session has its own CSRF token for the forms it
submits. The console reuses all of this: ``principal_of`` turns a session into the user's
``Principal``, acting with the user's role.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from starlette.requests import cookie_parser

from app.auth.principal import CredentialKind, Principal
from app.clock import utcnow
from app.database import Database
from app.identity.opaque import MAX_LENGTH, digest, new_secret
from app.identity.roles import role_scopes
from app.models import User, UserSession
from app.settings import Settings
from app.types import Scope

SESSION_COOKIE = "reelhouse_session"
LOGIN_CSRF_COOKIE = "reelhouse_login_csrf"


@dataclass(frozen=True, slots=True)
class SignedIn:
    session: UserSession
    user: User


def cookies_of(scope: Scope) -> dict[str, str]:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def tokens_match(presented: str | None, expected: str | None) -> bool:
    """A form's CSRF token against the one it must equal, in constant time."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(presented.encode(), expected.encode())


def principal_of(signed_in: SignedIn) -> Principal:
    """The signed-in user acting through the console, with the user's role and projects.

    The session ends (``valid_until``) but the user's authority does not: what they save (a
    key, a webhook endpoint) is theirs beyond this session, so it carries no expiry of its own
    and a key they create may outlive the session (``app.auth.delegation``)."""
    user = signed_in.user
    return Principal(
        credential_id=user.id,
        org_id=user.org_id,
        scopes=role_scopes(user.role),
        project_ids=frozenset(user.project_ids) if user.project_ids is not None else None,
        valid_until=signed_in.session.expires_at,
        credential_kind=CredentialKind.SESSION,
        user_id=user.id,
    )


class Sessions:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._lifetime = timedelta(seconds=settings.session_seconds)
        self.secure = settings.secure_cookies
        prefix = "__Host-" if self.secure else ""
        self.cookie_name = prefix + SESSION_COOKIE
        self.login_csrf_cookie = prefix + LOGIN_CSRF_COOKIE

    def cookie(self, name: str, value: str, max_age: int) -> str:
        """A ``Set-Cookie`` value with this deployment's attributes."""
        parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)

    def session_cookie(self, token: str) -> str:
        return self.cookie(self.cookie_name, token, int(self._lifetime.total_seconds()))

    def cleared_session_cookie(self) -> str:
        return self.cookie(self.cookie_name, "", 0)

    async def start(
        self, user: User, *, client_ip: str | None, user_agent: str | None
    ) -> tuple[str, UserSession]:
        """A new session for ``user``; returns the cookie value (shown once) and the row."""
        token = new_secret()
        now = utcnow()
        row = UserSession(
            token_hash=digest(token),
            user_id=user.id,
            org_id=user.org_id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=now + self._lifetime,
            client_ip=client_ip,
            user_agent=(user_agent or "")[:300] or None,
        )
        async with self._db.writing() as session:
            session.add(row)
            await session.execute(
                update(User).where(col(User.id) == user.id).values(last_sign_in_at=now)
            )
        return token, row

    async def current(self, scope: Scope) -> SignedIn | None:
        """The live session the request's cookie names, with its enabled user; else None."""
        token = cookies_of(scope).get(self.cookie_name)
        if not token or len(token) > MAX_LENGTH:
            return None
        async with self._db.reading() as session:
            row = (
                await session.execute(
                    select(UserSession, User)
                    .join(User, col(User.id) == col(UserSession.user_id))
                    .where(col(UserSession.token_hash) == digest(token))
                )
            ).first()
        if row is None:
            return None
        found, user = row
        if found.revoked_at is not None or found.expires_at <= utcnow() or user.disabled:
            return None
        return SignedIn(found, user)

    async def end(self, session_id: str) -> None:
        async with self._db.writing() as session:
            await end_sessions(session, session_id=session_id)


async def end_sessions(
    session: AsyncSession, *, session_id: str | None = None, user_id: str | None = None
) -> None:
    """Revoke one session, or every live session of a user (inside the caller's transaction)."""
    stmt = update(UserSession).where(col(UserSession.revoked_at).is_(None))
    if session_id is not None:
        stmt = stmt.where(col(UserSession.id) == session_id)
    if user_id is not None:
        stmt = stmt.where(col(UserSession.user_id) == user_id)
    await session.execute(stmt.values(revoked_at=utcnow()))
