from __future__ import annotations

from sqlalchemy import BigInteger
from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Timestamped


class Organization(Timestamped, table=True):
    __tablename__ = "organizations"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.ORGANIZATION), primary_key=True)
    slug: str = Field(max_length=50, unique=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    storage_quota_bytes: int | None = Field(default=None, sa_type=BigInteger)
    """Bytes of uploaded files it may keep; None: ``REELHOUSE_STORAGE_QUOTA_BYTES``."""
