from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="CreateAssetResponse201UploadType0")


@_attrs_define
class CreateAssetResponse201UploadType0:
    """Where to upload the file, when the asset is an upload (`size_bytes` given, no `url`); null otherwise.

    Attributes:
        url (str):
        method (str):
        headers (Any): Header names and values to send as given.
        expires_at (datetime.datetime):
    """

    url: str
    method: str
    headers: Any
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        method = self.method

        headers = self.headers

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "method": method,
                "headers": headers,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        method = d.pop("method")

        headers = d.pop("headers")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        create_asset_response_201_upload_type_0 = cls(
            url=url,
            method=method,
            headers=headers,
            expires_at=expires_at,
        )

        create_asset_response_201_upload_type_0.additional_properties = d
        return create_asset_response_201_upload_type_0

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
