from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """Something that changed, recorded with the change. `sequence` orders the events of one aggregate (it is the
    aggregate's version after the change).

        Attributes:
            id (str):
            type_ (str): `<aggregate>.<verb>`, e.g. `project.created`.
            version (int): Version of the event's schema.
            aggregate_type (str):
            aggregate_id (str):
            sequence (int):
            project_id (None | str):
            occurred_at (datetime.datetime):
            data (Any): The aggregate as it was after the change.
            cursor (None | str): The event's place in the organisation's event stream, once dispatched (null before): pass
                the last one you processed as `cursor` to the `events` subscription to resume right after it, with nothing
                missed or repeated.
    """

    id: str
    type_: str
    version: int
    aggregate_type: str
    aggregate_id: str
    sequence: int
    project_id: None | str
    occurred_at: datetime.datetime
    data: Any
    cursor: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        version = self.version

        aggregate_type = self.aggregate_type

        aggregate_id = self.aggregate_id

        sequence = self.sequence

        project_id: None | str
        project_id = self.project_id

        occurred_at = self.occurred_at.isoformat()

        data = self.data

        cursor: None | str
        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "version": version,
                "aggregate_type": aggregate_type,
                "aggregate_id": aggregate_id,
                "sequence": sequence,
                "project_id": project_id,
                "occurred_at": occurred_at,
                "data": data,
                "cursor": cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        version = d.pop("version")

        aggregate_type = d.pop("aggregate_type")

        aggregate_id = d.pop("aggregate_id")

        sequence = d.pop("sequence")

        def _parse_project_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        project_id = _parse_project_id(d.pop("project_id"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = d.pop("data")

        def _parse_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cursor = _parse_cursor(d.pop("cursor"))

        event = cls(
            id=id,
            type_=type_,
            version=version,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            sequence=sequence,
            project_id=project_id,
            occurred_at=occurred_at,
            data=data,
            cursor=cursor,
        )

        event.additional_properties = d
        return event

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
