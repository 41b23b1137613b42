"""API keys: an identity (scopes, limits) and the secrets that authenticate as it.

Keeping secrets in their own table lets rotation add a new secret to the same identity while
the old one stays valid for a grace period.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from app.clock import utcnow
from app.ids import IdPrefix, new_id
from app.models.base import Versioned
from app.models.columns import JSONType, UTCDateTime


class ApiKeyStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class ApiKey(Versioned, table=True):
    __tablename__ = "api_keys"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.API_KEY), primary_key=True)
    org_id: str = Field(foreign_key="organizations.id", index=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=1000, nullable=False)
    environment: str = Field(default="live", max_length=8, nullable=False)
    prefix: str = Field(max_length=16, nullable=False, description="e.g. rh_live_, shown in lists")
    last4: str = Field(max_length=4, nullable=False)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    project_ids: list[str] | None = Field(default=None, sa_type=JSONType)
    allowed_cidrs: list[str] | None = Field(default=None, sa_type=JSONType)
    read_rate_limit: int | None = Field(default=None, description="requests per minute")
    write_rate_limit: int | None = Field(default=None, description="requests per minute")
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def test_mode(self) -> bool:
        return self.environment == "test"

    @property
    def status(self) -> ApiKeyStatus:
        """Now: revoked wins over expired."""
        if self.revoked_at is not None:
            return ApiKeyStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= utcnow():
            return ApiKeyStatus.EXPIRED
        return ApiKeyStatus.ACTIVE


class ApiKeySecret(Versioned, table=True):
    __tablename__ = "api_key_secrets"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.API_KEY_SECRET), primary_key=True)
    key_id: str = Field(foreign_key="api_keys.id", index=True, nullable=False)
    secret_hash: str = Field(max_length=64, unique=True, nullable=False)
    expires_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="set when rotated: end of the grace period"
    )
