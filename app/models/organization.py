from __future__ import annotations

from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Timestamped


class Organization(Timestamped, table=True):
    __tablename__ = "organizations"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.ORGANIZATION), primary_key=True)
    slug: str = Field(max_length=50, unique=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
