"""Events as they travel after commit: the public envelope and a row-like record of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.clock import isoformat
from app.models import Event


def envelope(event: Event | EventRecord) -> dict[str, Any]:
    """The public JSON of an event: the webhook body without a payload document, and the shape
    of ``GET /v1/events`` items."""
    return {
        "id": event.id,
        "type": event.type,
        "version": event.version,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "sequence": event.sequence,
        "project_id": event.project_id,
        "occurred_at": isoformat(event.occurred_at),
        "data": event.data,
    }


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event received from the bus, with the attributes of an ``Event`` row."""

    id: str
    org_id: str
    project_id: str | None
    type: str
    version: int
    aggregate_type: str
    aggregate_id: str
    sequence: int
    occurred_at: datetime
    data: dict[str, Any]
    position: int | None = None
    """Place in the organisation's event stream (``Event.position``)."""

    @classmethod
    def of(cls, event: Event) -> EventRecord:
        return cls(
            id=event.id,
            org_id=event.org_id,
            project_id=event.project_id,
            type=event.type,
            version=event.version,
            aggregate_type=event.aggregate_type,
            aggregate_id=event.aggregate_id,
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            data=event.data,
            position=event.position,
        )

    def to_message(self) -> dict[str, Any]:
        return {**envelope(self), "org_id": self.org_id, "position": self.position}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> EventRecord:
        return cls(
            id=message["id"],
            org_id=message["org_id"],
            project_id=message.get("project_id"),
            type=message["type"],
            version=int(message.get("version", 1)),
            aggregate_type=message["aggregate_type"],
            aggregate_id=message["aggregate_id"],
            sequence=int(message["sequence"]),
            occurred_at=datetime.fromisoformat(message["occurred_at"].replace("Z", "+00:00")),
            data=message.get("data") or {},
            position=message.get("position"),
        )
