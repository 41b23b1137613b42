from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="TelemetryEvent")


@_attrs_define
class TelemetryEvent:
    """One stored telemetry event.

    Attributes:
        id (str):
        project_id (None | str):
        batch_id (str): The batch it arrived in (`tlb_…`).
        type_ (str):
        occurred_at (datetime.datetime): When it happened, as sent.
        received_at (datetime.datetime):
        insert_id (None | str): The sender's deduplication id.
        properties (Any):
    """

    id: str
    project_id: None | str
    batch_id: str
    type_: str
    occurred_at: datetime.datetime
    received_at: datetime.datetime
    insert_id: None | str
    properties: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id: None | str
        project_id = self.project_id

        batch_id = self.batch_id

        type_ = self.type_

        occurred_at = self.occurred_at.isoformat()

        received_at = self.received_at.isoformat()

        insert_id: None | str
        insert_id = self.insert_id

        properties = self.properties

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "batch_id": batch_id,
                "type": type_,
                "occurred_at": occurred_at,
                "received_at": received_at,
                "insert_id": insert_id,
                "properties": properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_project_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        project_id = _parse_project_id(d.pop("project_id"))

        batch_id = d.pop("batch_id")

        type_ = d.pop("type")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        def _parse_insert_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        insert_id = _parse_insert_id(d.pop("insert_id"))

        properties = d.pop("properties")

        telemetry_event = cls(
            id=id,
            project_id=project_id,
            batch_id=batch_id,
            type_=type_,
            occurred_at=occurred_at,
            received_at=received_at,
            insert_id=insert_id,
            properties=properties,
        )

        telemetry_event.additional_properties = d
        return telemetry_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
