from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime


T = TypeVar("T", bound="IngestTelemetryBodyEventsItem")


@_attrs_define
class IngestTelemetryBodyEventsItem:
    """One telemetry event.

    Attributes:
        type_ (str): 1-64 of A-Z a-z 0-9 _ . : -, e.g. `level.started`.
        occurred_at (datetime.datetime): Within the retention period, and at most an hour ahead.
        insert_id (None | str | Unset): 1-64 of A-Z a-z 0-9 _ . : -; an id seen in the last 7 days is accepted and not
            stored again.
        properties (Any | Unset): A JSON object: at most 1,862 bytes and 8 levels deep.
    """

    type_: str
    occurred_at: datetime.datetime
    insert_id: None | str | Unset = UNSET
    properties: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        occurred_at = self.occurred_at.isoformat()

        insert_id: None | str | Unset
        if isinstance(self.insert_id, Unset):
            insert_id = UNSET
        else:
            insert_id = self.insert_id

        properties = self.properties

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "occurred_at": occurred_at,
            }
        )
        if insert_id is not UNSET:
            field_dict["insert_id"] = insert_id
        if properties is not UNSET:
            field_dict["properties"] = properties

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_insert_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        insert_id = _parse_insert_id(d.pop("insert_id", UNSET))

        properties = d.pop("properties", UNSET)

        ingest_telemetry_body_events_item = cls(
            type_=type_,
            occurred_at=occurred_at,
            insert_id=insert_id,
            properties=properties,
        )

        return ingest_telemetry_body_events_item
