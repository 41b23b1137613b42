from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ingest_telemetry_response_200_refused_item_field import (
    IngestTelemetryResponse200RefusedItemField,
)


T = TypeVar("T", bound="IngestTelemetryResponse200RefusedItem")


@_attrs_define
class IngestTelemetryResponse200RefusedItem:
    """An event of the batch that was not stored, and why.

    Attributes:
        index (int): Its position in `events`, from 0.
        field (IngestTelemetryResponse200RefusedItemField):
        code (str): INVALID, TOO_LONG or OUT_OF_RANGE.
        message (str):
    """

    index: int
    field: IngestTelemetryResponse200RefusedItemField
    code: str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        field = self.field.value

        code = self.code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "field": field,
                "code": code,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        field = IngestTelemetryResponse200RefusedItemField(d.pop("field"))

        code = d.pop("code")

        message = d.pop("message")

        ingest_telemetry_response_200_refused_item = cls(
            index=index,
            field=field,
            code=code,
            message=message,
        )

        ingest_telemetry_response_200_refused_item.additional_properties = d
        return ingest_telemetry_response_200_refused_item

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
