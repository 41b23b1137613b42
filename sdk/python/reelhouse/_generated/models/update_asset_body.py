from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.update_asset_body_status_type_1 import UpdateAssetBodyStatusType1
from ..models.update_asset_body_status_type_2_type_1 import UpdateAssetBodyStatusType2Type1
from ..models.update_asset_body_status_type_3_type_1 import UpdateAssetBodyStatusType3Type1
from ..models.update_asset_body_type_type_1 import UpdateAssetBodyTypeType1
from ..models.update_asset_body_type_type_2_type_1 import UpdateAssetBodyTypeType2Type1
from ..models.update_asset_body_type_type_3_type_1 import UpdateAssetBodyTypeType3Type1
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="UpdateAssetBody")


@_attrs_define
class UpdateAssetBody:
    """
    Attributes:
        name (None | str | Unset):
        type_ (None | Unset | UpdateAssetBodyTypeType1 | UpdateAssetBodyTypeType2Type1 | UpdateAssetBodyTypeType3Type1):
        mime_type (None | str | Unset):
        size_bytes (Any | Unset): An integer beyond GraphQL `Int`'s 32 bits (e.g. byte sizes), up to 2^53 - 1.
        sha256 (None | str | Unset):
        url (None | str | Unset):
        tags (list[str] | None | Unset):
        metadata (Any | Unset):
        status (None | Unset | UpdateAssetBodyStatusType1 | UpdateAssetBodyStatusType2Type1 |
            UpdateAssetBodyStatusType3Type1):
    """

    name: None | str | Unset = UNSET
    type_: (
        None
        | Unset
        | UpdateAssetBodyTypeType1
        | UpdateAssetBodyTypeType2Type1
        | UpdateAssetBodyTypeType3Type1
    ) = UNSET
    mime_type: None | str | Unset = UNSET
    size_bytes: Any | Unset = UNSET
    sha256: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    metadata: Any | Unset = UNSET
    status: (
        None
        | Unset
        | UpdateAssetBodyStatusType1
        | UpdateAssetBodyStatusType2Type1
        | UpdateAssetBodyStatusType3Type1
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, UpdateAssetBodyTypeType1):
            type_ = self.type_.value
        elif isinstance(self.type_, UpdateAssetBodyTypeType2Type1):
            type_ = self.type_.value
        elif isinstance(self.type_, UpdateAssetBodyTypeType3Type1):
            type_ = self.type_.value
        else:
            type_ = self.type_

        mime_type: None | str | Unset
        if isinstance(self.mime_type, Unset):
            mime_type = UNSET
        else:
            mime_type = self.mime_type

        size_bytes = self.size_bytes

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        metadata = self.metadata

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, UpdateAssetBodyStatusType1):
            status = self.status.value
        elif isinstance(self.status, UpdateAssetBodyStatusType2Type1):
            status = self.status.value
        elif isinstance(self.status, UpdateAssetBodyStatusType3Type1):
            status = self.status.value
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if url is not UNSET:
            field_dict["url"] = url
        if tags is not UNSET:
            field_dict["tags"] = tags
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_type_(
            data: object,
        ) -> (
            None
            | Unset
            | UpdateAssetBodyTypeType1
            | UpdateAssetBodyTypeType2Type1
            | UpdateAssetBodyTypeType3Type1
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_1 = UpdateAssetBodyTypeType1(data)

                return type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_2_type_1 = UpdateAssetBodyTypeType2Type1(data)

                return type_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_3_type_1 = UpdateAssetBodyTypeType3Type1(data)

                return type_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | UpdateAssetBodyTypeType1
                | UpdateAssetBodyTypeType2Type1
                | UpdateAssetBodyTypeType3Type1,
                data,
            )

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_mime_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mime_type = _parse_mime_type(d.pop("mime_type", UNSET))

        size_bytes = d.pop("size_bytes", UNSET)

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        metadata = d.pop("metadata", UNSET)

        def _parse_status(
            data: object,
        ) -> (
            None
            | Unset
            | UpdateAssetBodyStatusType1
            | UpdateAssetBodyStatusType2Type1
            | UpdateAssetBodyStatusType3Type1
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_1 = UpdateAssetBodyStatusType1(data)

                return status_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_2_type_1 = UpdateAssetBodyStatusType2Type1(data)

                return status_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_3_type_1 = UpdateAssetBodyStatusType3Type1(data)

                return status_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | UpdateAssetBodyStatusType1
                | UpdateAssetBodyStatusType2Type1
                | UpdateAssetBodyStatusType3Type1,
                data,
            )

        status = _parse_status(d.pop("status", UNSET))

        update_asset_body = cls(
            name=name,
            type_=type_,
            mime_type=mime_type,
            size_bytes=size_bytes,
            sha256=sha256,
            url=url,
            tags=tags,
            metadata=metadata,
            status=status,
        )

        return update_asset_body
