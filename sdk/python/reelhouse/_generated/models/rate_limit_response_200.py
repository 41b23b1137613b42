from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.rate_limit_response_200_read import RateLimitResponse200Read
    from ..models.rate_limit_response_200_write import RateLimitResponse200Write


T = TypeVar("T", bound="RateLimitResponse200")


@_attrs_define
class RateLimitResponse200:
    """The caller's rate limits; asking costs nothing.

    Attributes:
        cost (int): What this query cost: always 0.
        read (RateLimitResponse200Read): One of the caller's token buckets, counted in cost points.
        write (RateLimitResponse200Write): One of the caller's token buckets, counted in cost points.
    """

    cost: int
    read: RateLimitResponse200Read
    write: RateLimitResponse200Write
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.rate_limit_response_200_read import RateLimitResponse200Read  # noqa: PLC0415
        from ..models.rate_limit_response_200_write import RateLimitResponse200Write  # noqa: PLC0415

        cost = self.cost

        read = self.read.to_dict()

        write = self.write.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cost": cost,
                "read": read,
                "write": write,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_limit_response_200_read import RateLimitResponse200Read  # noqa: PLC0415
        from ..models.rate_limit_response_200_write import RateLimitResponse200Write  # noqa: PLC0415

        d = dict(src_dict)
        cost = d.pop("cost")

        read = RateLimitResponse200Read.from_dict(d.pop("read"))

        write = RateLimitResponse200Write.from_dict(d.pop("write"))

        rate_limit_response_200 = cls(
            cost=cost,
            read=read,
            write=write,
        )

        rate_limit_response_200.additional_properties = d
        return rate_limit_response_200

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
