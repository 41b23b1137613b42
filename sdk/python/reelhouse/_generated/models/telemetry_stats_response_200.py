from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.telemetry_stats_response_200_group_by import TelemetryStatsResponse200GroupBy
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.telemetry_stats_response_200_buckets_item import (
        TelemetryStatsResponse200BucketsItem,
    )


T = TypeVar("T", bound="TelemetryStatsResponse200")


@_attrs_define
class TelemetryStatsResponse200:
    """Telemetry counts in `[from, to)`.

    Attributes:
        from_ (datetime.datetime):
        to (datetime.datetime):
        group_by (TelemetryStatsResponse200GroupBy):
        total (Any): The sum of `buckets`.
        buckets (list[TelemetryStatsResponse200BucketsItem]): At most 1,000.
    """

    from_: datetime.datetime
    to: datetime.datetime
    group_by: TelemetryStatsResponse200GroupBy
    total: Any
    buckets: list[TelemetryStatsResponse200BucketsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.telemetry_stats_response_200_buckets_item import (
            TelemetryStatsResponse200BucketsItem,
        )  # noqa: PLC0415

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        group_by = self.group_by.value

        total = self.total

        buckets = []
        for buckets_item_data in self.buckets:
            buckets_item = buckets_item_data.to_dict()
            buckets.append(buckets_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "group_by": group_by,
                "total": total,
                "buckets": buckets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.telemetry_stats_response_200_buckets_item import (
            TelemetryStatsResponse200BucketsItem,
        )  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        group_by = TelemetryStatsResponse200GroupBy(d.pop("group_by"))

        total = d.pop("total")

        buckets = []
        _buckets = d.pop("buckets")
        for buckets_item_data in _buckets:
            buckets_item = TelemetryStatsResponse200BucketsItem.from_dict(buckets_item_data)

            buckets.append(buckets_item)

        telemetry_stats_response_200 = cls(
            from_=from_,
            to=to,
            group_by=group_by,
            total=total,
            buckets=buckets,
        )

        telemetry_stats_response_200.additional_properties = d
        return telemetry_stats_response_200

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
