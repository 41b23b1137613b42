from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.ingest_telemetry_response_200_refused_item import (
        IngestTelemetryResponse200RefusedItem,
    )


T = TypeVar("T", bound="IngestTelemetryResponse200")


@_attrs_define
class IngestTelemetryResponse200:
    """
    Attributes:
        batch_id (None | str): Null when nothing was stored.
        accepted (int): Events stored, plus duplicates (accepted, not stored twice).
        duplicates (int): Accepted events whose `insert_id` was seen in the last 7 days.
        refused (list[IngestTelemetryResponse200RefusedItem]): Events not stored, by index.
    """

    batch_id: None | str
    accepted: int
    duplicates: int
    refused: list[IngestTelemetryResponse200RefusedItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ingest_telemetry_response_200_refused_item import (
            IngestTelemetryResponse200RefusedItem,
        )  # noqa: PLC0415

        batch_id: None | str
        batch_id = self.batch_id

        accepted = self.accepted

        duplicates = self.duplicates

        refused = []
        for refused_item_data in self.refused:
            refused_item = refused_item_data.to_dict()
            refused.append(refused_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batch_id": batch_id,
                "accepted": accepted,
                "duplicates": duplicates,
                "refused": refused,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ingest_telemetry_response_200_refused_item import (
            IngestTelemetryResponse200RefusedItem,
        )  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_batch_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        batch_id = _parse_batch_id(d.pop("batch_id"))

        accepted = d.pop("accepted")

        duplicates = d.pop("duplicates")

        refused = []
        _refused = d.pop("refused")
        for refused_item_data in _refused:
            refused_item = IngestTelemetryResponse200RefusedItem.from_dict(refused_item_data)

            refused.append(refused_item)

        ingest_telemetry_response_200 = cls(
            batch_id=batch_id,
            accepted=accepted,
            duplicates=duplicates,
            refused=refused,
        )

        ingest_telemetry_response_200.additional_properties = d
        return ingest_telemetry_response_200

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
