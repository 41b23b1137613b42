from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.usage_response_200_credentials_item import UsageResponse200CredentialsItem


T = TypeVar("T", bound="UsageResponse200")


@_attrs_define
class UsageResponse200:
    """The organisation's counts for the current UTC day.

    Attributes:
        day (Any): Date (isoformat)
        resets_at (datetime.datetime): Midnight UTC, when the counts restart.
        requests (int): Authenticated requests today.
        request_quota (int): Requests allowed a day; beyond it, 429 `QUOTA_EXCEEDED` until midnight UTC.
        webhook_deliveries (int): Webhook deliveries sent today.
        webhook_delivery_quota (int): Deliveries sent a day; further ones wait for the next day.
        credentials (list[UsageResponse200CredentialsItem]): Requests per credential, most first (the first 1000); a
            caller limited to projects sees its own only.
    """

    day: Any
    resets_at: datetime.datetime
    requests: int
    request_quota: int
    webhook_deliveries: int
    webhook_delivery_quota: int
    credentials: list[UsageResponse200CredentialsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.usage_response_200_credentials_item import UsageResponse200CredentialsItem  # noqa: PLC0415

        day = self.day

        resets_at = self.resets_at.isoformat()

        requests = self.requests

        request_quota = self.request_quota

        webhook_deliveries = self.webhook_deliveries

        webhook_delivery_quota = self.webhook_delivery_quota

        credentials = []
        for credentials_item_data in self.credentials:
            credentials_item = credentials_item_data.to_dict()
            credentials.append(credentials_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "day": day,
                "resets_at": resets_at,
                "requests": requests,
                "request_quota": request_quota,
                "webhook_deliveries": webhook_deliveries,
                "webhook_delivery_quota": webhook_delivery_quota,
                "credentials": credentials,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_response_200_credentials_item import UsageResponse200CredentialsItem  # noqa: PLC0415

        d = dict(src_dict)
        day = d.pop("day")

        resets_at = datetime.datetime.fromisoformat(d.pop("resets_at"))

        requests = d.pop("requests")

        request_quota = d.pop("request_quota")

        webhook_deliveries = d.pop("webhook_deliveries")

        webhook_delivery_quota = d.pop("webhook_delivery_quota")

        credentials = []
        _credentials = d.pop("credentials")
        for credentials_item_data in _credentials:
            credentials_item = UsageResponse200CredentialsItem.from_dict(credentials_item_data)

            credentials.append(credentials_item)

        usage_response_200 = cls(
            day=day,
            resets_at=resets_at,
            requests=requests,
            request_quota=request_quota,
            webhook_deliveries=webhook_deliveries,
            webhook_delivery_quota=webhook_delivery_quota,
            credentials=credentials,
        )

        usage_response_200.additional_properties = d
        return usage_response_200

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
