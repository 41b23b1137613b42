"""Fields every stored entity shares."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlmodel import Field, SQLModel

from app.clock import isoformat, utcnow
from app.models.columns import JSONType, UTCDateTime


class Timestamped(SQLModel):
    def snapshot(self) -> dict[str, Any]:
        """The row as JSON-ready public data (event payloads); ``meta`` is shown as ``metadata``."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = isoformat(value)
            elif isinstance(value, Enum):
                value = value.value
            out["metadata" if name == "meta" else name] = value
        return out

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True
    )


class Versioned(Timestamped):
    """``version`` grows by one on every change; it is the aggregate's event sequence number."""

    version: int = Field(default=1, nullable=False)

    def touch(self) -> None:
        self.version += 1
        self.updated_at = utcnow()


class Tenanted(Versioned):
    org_id: str = Field(foreign_key="organizations.id", index=True, nullable=False)


class WithMetadata(SQLModel):
    meta: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONType,
        nullable=False,
        sa_column_kwargs={"name": "metadata"},
    )
