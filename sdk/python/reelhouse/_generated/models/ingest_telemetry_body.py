from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.ingest_telemetry_body_events_item import IngestTelemetryBodyEventsItem


T = TypeVar("T", bound="IngestTelemetryBody")


@_attrs_define
class IngestTelemetryBody:
    """
    Attributes:
        events (list[IngestTelemetryBodyEventsItem]): 1 to 500 events.
        project_id (None | str | Unset): The project the events are about; required for keys limited to projects.
    """

    events: list[IngestTelemetryBodyEventsItem]
    project_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.ingest_telemetry_body_events_item import IngestTelemetryBodyEventsItem  # noqa: PLC0415

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ingest_telemetry_body_events_item import IngestTelemetryBodyEventsItem  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = IngestTelemetryBodyEventsItem.from_dict(events_item_data)

            events.append(events_item)

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        ingest_telemetry_body = cls(
            events=events,
            project_id=project_id,
        )

        return ingest_telemetry_body
