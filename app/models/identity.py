"""Organisation members, their sign-in sessions, OAuth clients and what the authorization
server keeps: codes, grants (one per refresh-token family), refresh tokens, consents, revoked
access tokens and the keys that sign access tokens.

Secrets (passwords, client secrets, codes, refresh tokens, session cookies) are stored only as
hashes; a signing key's private half is sealed (``SealedText``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, Timestamped
from app.models.columns import JSONType, SealedText, StrEnumType, UTCDateTime

LEGACY_PLAIN = "plain:"
"""How private keys were stored before they were sealed; such rows still read."""


class UserRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class User(Tenanted, table=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("org_id", "email", name="uq_users_org_email"),)

    id: str = Field(default_factory=lambda: new_id(IdPrefix.USER), primary_key=True)
    email: str = Field(max_length=254, nullable=False, description="lower-cased")
    name: str = Field(max_length=100, nullable=False)
    role: UserRole = Field(sa_column=Column(StrEnumType(UserRole), nullable=False))
    project_ids: list[str] | None = Field(default=None, sa_type=JSONType)
    password_hash: str = Field(sa_type=Text, nullable=False)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_sign_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    def snapshot(self) -> dict[str, Any]:
        """Event data never carries the password hash."""
        data = super().snapshot()
        data.pop("password_hash", None)
        return data


class UserSession(Timestamped, table=True):
    """A signed-in browser: the cookie's hash, revocable server-side."""

    __tablename__ = "user_sessions"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.SESSION), primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, nullable=False)
    user_id: str = Field(foreign_key="users.id", index=True, nullable=False)
    org_id: str = Field(foreign_key="organizations.id", nullable=False)
    csrf_token: str = Field(max_length=64, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    client_ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)


class OAuthClientType(StrEnum):
    CONFIDENTIAL = "confidential"
    PUBLIC = "public"


class OAuthClient(Tenanted, table=True):
    __tablename__ = "oauth_clients"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.OAUTH_CLIENT), primary_key=True)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=1000, nullable=False)
    client_type: OAuthClientType = Field(
        sa_column=Column(StrEnumType(OAuthClientType), nullable=False)
    )
    secret_hash: str | None = Field(default=None, max_length=64)
    secret_last4: str | None = Field(default=None, max_length=4)
    redirect_uris: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    grant_types: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    access_token_lifetime: int | None = Field(default=None, description="seconds")
    refresh_token_lifetime: int | None = Field(default=None, description="seconds")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def confidential(self) -> bool:
        return self.client_type is OAuthClientType.CONFIDENTIAL

    def snapshot(self) -> dict[str, Any]:
        data = super().snapshot()
        data.pop("secret_hash", None)
        return data


class OAuthAuthorizationCode(SQLModel, table=True):
    """Single-use, short-lived, bound to its client, redirect URI and PKCE challenge."""

    __tablename__ = "oauth_authorization_codes"

    code_hash: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(foreign_key="oauth_clients.id", index=True, nullable=False)
    user_id: str = Field(foreign_key="users.id", nullable=False)
    org_id: str = Field(foreign_key="organizations.id", nullable=False)
    redirect_uri: str = Field(sa_type=Text, nullable=False)
    redirect_uri_sent: bool = Field(nullable=False, description="must be repeated at /token")
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    code_challenge: str = Field(max_length=128, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    grant_id: str | None = Field(default=None, max_length=40, description="what it was traded for")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class OAuthGrant(Timestamped, table=True):
    """What a user approved for a client, once traded from a code: the refresh-token family.
    Revoking it ends every refresh token and access token issued under it."""

    __tablename__ = "oauth_grants"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.OAUTH_GRANT), primary_key=True)
    org_id: str = Field(foreign_key="organizations.id", index=True, nullable=False)
    client_id: str = Field(foreign_key="oauth_clients.id", index=True, nullable=False)
    user_id: str = Field(foreign_key="users.id", index=True, nullable=False)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_reason: str | None = Field(default=None, max_length=100)


class OAuthRefreshToken(SQLModel, table=True):
    __tablename__ = "oauth_refresh_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    grant_id: str = Field(foreign_key="oauth_grants.id", index=True, nullable=False)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """Set when rotated: presenting it again is reuse, and revokes the grant."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class OAuthConsent(SQLModel, table=True):
    """Scopes a user already approved for a client: a later request within them skips the
    consent screen."""

    __tablename__ = "oauth_consents"

    user_id: str = Field(foreign_key="users.id", primary_key=True)
    client_id: str = Field(foreign_key="oauth_clients.id", primary_key=True)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class OAuthRevokedToken(SQLModel, table=True):
    """An access token revoked before its expiry (RFC 7009), kept until it would expire."""

    __tablename__ = "oauth_revoked_tokens"

    jti: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)


class OAuthSigningKey(SQLModel, table=True):
    """A key that signs access tokens. Published in the JWKS from creation until every token
    it signed has expired; the newest active one signs."""

    __tablename__ = "oauth_signing_keys"

    kid: str = Field(primary_key=True, max_length=64)
    algorithm: str = Field(max_length=16, nullable=False)
    public_jwk: dict[str, Any] = Field(sa_type=JSONType, nullable=False)
    private_key: str | None = Field(
        sa_column=Column(SealedText(legacy_prefix=LEGACY_PLAIN), nullable=False),
        description="the PEM, sealed at rest; None when it cannot be opened",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    activates_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    retires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    """Stops signing then; a successor has been activated by that time."""
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    """Leaves the JWKS then: ``retires_at`` plus the longest access-token lifetime."""
