from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_asset_body_status_type_1 import CreateAssetBodyStatusType1
from ..models.create_asset_body_status_type_2_type_1 import CreateAssetBodyStatusType2Type1
from ..models.create_asset_body_status_type_3_type_1 import CreateAssetBodyStatusType3Type1
from ..models.create_asset_body_type import CreateAssetBodyType
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateAssetBody")


@_attrs_define
class CreateAssetBody:
    """
    Attributes:
        name (str):
        type_ (CreateAssetBodyType):
        mime_type (str):
        size_bytes (Any | Unset): An integer beyond GraphQL `Int`'s 32 bits (e.g. byte sizes), up to 2^53 - 1.
        sha256 (None | str | Unset):
        url (None | str | Unset):
        tags (list[str] | None | Unset):
        metadata (Any | Unset):
        status (CreateAssetBodyStatusType1 | CreateAssetBodyStatusType2Type1 | CreateAssetBodyStatusType3Type1 | None |
            Unset): Defaults to `uploading`; register a finished file as `ready`.
        job_id (None | str | Unset): The job this asset is the output of: a job of the same project. A key with
            `jobs:execute` but not `content:write` may register an asset only with the id of a running job it claimed. Also
            tells automations where the file came from, so an `asset_ready` automation is not started by what its own runs
            rendered.
    """

    name: str
    type_: CreateAssetBodyType
    mime_type: str
    size_bytes: Any | Unset = UNSET
    sha256: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    metadata: Any | Unset = UNSET
    status: (
        CreateAssetBodyStatusType1
        | CreateAssetBodyStatusType2Type1
        | CreateAssetBodyStatusType3Type1
        | None
        | Unset
    ) = UNSET
    job_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_.value

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
        elif isinstance(self.status, CreateAssetBodyStatusType1):
            status = self.status.value
        elif isinstance(self.status, CreateAssetBodyStatusType2Type1):
            status = self.status.value
        elif isinstance(self.status, CreateAssetBodyStatusType3Type1):
            status = self.status.value
        else:
            status = self.status

        job_id: None | str | Unset
        if isinstance(self.job_id, Unset):
            job_id = UNSET
        else:
            job_id = self.job_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
                "mime_type": mime_type,
            }
        )
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
        if job_id is not UNSET:
            field_dict["job_id"] = job_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = CreateAssetBodyType(d.pop("type"))

        mime_type = d.pop("mime_type")

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
            CreateAssetBodyStatusType1
            | CreateAssetBodyStatusType2Type1
            | CreateAssetBodyStatusType3Type1
            | None
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_1 = CreateAssetBodyStatusType1(data)

                return status_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_2_type_1 = CreateAssetBodyStatusType2Type1(data)

                return status_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_3_type_1 = CreateAssetBodyStatusType3Type1(data)

                return status_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                CreateAssetBodyStatusType1
                | CreateAssetBodyStatusType2Type1
                | CreateAssetBodyStatusType3Type1
                | None
                | Unset,
                data,
            )

        status = _parse_status(d.pop("status", UNSET))

        def _parse_job_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        job_id = _parse_job_id(d.pop("job_id", UNSET))

        create_asset_body = cls(
            name=name,
            type_=type_,
            mime_type=mime_type,
            size_bytes=size_bytes,
            sha256=sha256,
            url=url,
            tags=tags,
            metadata=metadata,
            status=status,
            job_id=job_id,
        )

        return create_asset_body
