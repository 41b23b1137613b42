from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rate_limit_response_200_read_resource import RateLimitResponse200ReadResource
from typing import cast
import datetime


T = TypeVar("T", bound="RateLimitResponse200Read")


@_attrs_define
class RateLimitResponse200Read:
    """One of the caller's token buckets, counted in cost points.

    Attributes:
        resource (RateLimitResponse200ReadResource):
        limit (int): Points a minute, and the most the bucket holds (at most 2147483647: a larger configured limit reads
            as that).
        remaining (int): Points available now (at most 2147483647).
        restore_rate (float): Points restored per second.
        reset_at (datetime.datetime): When the bucket is full again.
    """

    resource: RateLimitResponse200ReadResource
    limit: int
    remaining: int
    restore_rate: float
    reset_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource.value

        limit = self.limit

        remaining = self.remaining

        restore_rate = self.restore_rate

        reset_at = self.reset_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resource": resource,
                "limit": limit,
                "remaining": remaining,
                "restore_rate": restore_rate,
                "reset_at": reset_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource = RateLimitResponse200ReadResource(d.pop("resource"))

        limit = d.pop("limit")

        remaining = d.pop("remaining")

        restore_rate = d.pop("restore_rate")

        reset_at = datetime.datetime.fromisoformat(d.pop("reset_at"))

        rate_limit_response_200_read = cls(
            resource=resource,
            limit=limit,
            remaining=remaining,
            restore_rate=restore_rate,
            reset_at=reset_at,
        )

        rate_limit_response_200_read.additional_properties = d
        return rate_limit_response_200_read

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
