from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="TelemetryStatsResponse200BucketsItem")


@_attrs_define
class TelemetryStatsResponse200BucketsItem:
    """Events counted in one group.

    Attributes:
        key (str): The event type, or the bucket's UTC start (`2026-01-31T12:00:00Z`).
        count (Any): An integer beyond GraphQL `Int`'s 32 bits (e.g. byte sizes), up to 2^53 - 1.
    """

    key: str
    count: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        count = d.pop("count")

        telemetry_stats_response_200_buckets_item = cls(
            key=key,
            count=count,
        )

        telemetry_stats_response_200_buckets_item.additional_properties = d
        return telemetry_stats_response_200_buckets_item

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
