"""Finding the account behind an email and password.

Emails are unique per organisation, not globally: without an organisation the password is
checked against each enabled account with that email (a handful at most), and the one it
opens is the one signed in. Unknown emails cost one verification against a fixed hash, the
same as a wrong password.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from app.database import Database
from app.identity.passwords import verify_password
from app.models import Organization, User

MAX_CANDIDATES = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class SignInResult:
    user: User | None
    ambiguous: bool = False
    """The password opens accounts in several organisations: ask which."""


async def check_credentials(
    db: Database, email: str, password: str, organization: str | None = None
) -> SignInResult:
    stmt = select(User).where(
        col(User.email) == normalise_email(email), col(User.disabled_at).is_(None)
    )
    if organization:
        stmt = stmt.join(Organization, col(Organization.id) == col(User.org_id)).where(
            col(Organization.slug) == organization.strip().lower()
        )
    async with db.reading() as session:
        candidates = list((await session.execute(stmt.limit(MAX_CANDIDATES))).scalars())
    if not candidates:
        await verify_password(None, password)
        return SignInResult(None)
    matched = [u for u in candidates if await verify_password(u.password_hash, password)]
    if len(matched) > 1:
        return SignInResult(None, ambiguous=True)
    return SignInResult(matched[0] if matched else None)
