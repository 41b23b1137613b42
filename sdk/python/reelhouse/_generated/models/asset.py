from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.asset_review_status import AssetReviewStatus
from ..models.asset_status import AssetStatus
from ..models.asset_type import AssetType
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.asset_media_type_0 import AssetMediaType0
    from ..models.asset_urls_type_0 import AssetUrlsType0


T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """A file of a project (image, video, model, …).

    Attributes:
        id (str):
        project_id (str):
        name (str):
        type_ (AssetType):
        mime_type (str): `type/subtype`, lowercase.
        size_bytes (Any): An integer beyond GraphQL `Int`'s 32 bits (e.g. byte sizes), up to 2^53 - 1.
        sha256 (None | str): 64 lowercase hexadecimal characters.
        url (None | str):
        tags (list[str]): Lowercase, distinct, in the order given.
        metadata (Any):
        status (AssetStatus):
        review_status (AssetReviewStatus):
        review_comment (None | str):
        reviewed_at (datetime.datetime | None):
        reviewed_by (None | str): Id of the API key that approved or rejected the asset.
        job_id (None | str): The job whose output this is, when registered with `job_id`.
        failure_reason (None | str): Why processing failed (`failed` uploads): checksum, unreadable media, …
        upload_expires_at (datetime.datetime | None): Until then the upload URL accepts the file (`uploading` uploads).
        external_id (None | str): The asset's `id` in the content manifests that list it; null for assets created
            otherwise.
        version (int): Grows by one with every change.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        media (AssetMediaType0 | None): Width, height, duration, codec and fps of an uploaded media file, read once it
            is processed; null before, and for other files.
        urls (AssetUrlsType0 | None): URLs of the file; `original` of an upload is signed and short-lived.
    """

    id: str
    project_id: str
    name: str
    type_: AssetType
    mime_type: str
    size_bytes: Any
    sha256: None | str
    url: None | str
    tags: list[str]
    metadata: Any
    status: AssetStatus
    review_status: AssetReviewStatus
    review_comment: None | str
    reviewed_at: datetime.datetime | None
    reviewed_by: None | str
    job_id: None | str
    failure_reason: None | str
    upload_expires_at: datetime.datetime | None
    external_id: None | str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    media: AssetMediaType0 | None
    urls: AssetUrlsType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_media_type_0 import AssetMediaType0  # noqa: PLC0415
        from ..models.asset_urls_type_0 import AssetUrlsType0  # noqa: PLC0415

        id = self.id

        project_id = self.project_id

        name = self.name

        type_ = self.type_.value

        mime_type = self.mime_type

        size_bytes = self.size_bytes

        sha256: None | str
        sha256 = self.sha256

        url: None | str
        url = self.url

        tags = self.tags

        metadata = self.metadata

        status = self.status.value

        review_status = self.review_status.value

        review_comment: None | str
        review_comment = self.review_comment

        reviewed_at: None | str
        if isinstance(self.reviewed_at, datetime.datetime):
            reviewed_at = self.reviewed_at.isoformat()
        else:
            reviewed_at = self.reviewed_at

        reviewed_by: None | str
        reviewed_by = self.reviewed_by

        job_id: None | str
        job_id = self.job_id

        failure_reason: None | str
        failure_reason = self.failure_reason

        upload_expires_at: None | str
        if isinstance(self.upload_expires_at, datetime.datetime):
            upload_expires_at = self.upload_expires_at.isoformat()
        else:
            upload_expires_at = self.upload_expires_at

        external_id: None | str
        external_id = self.external_id

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        media: dict[str, Any] | None
        if isinstance(self.media, AssetMediaType0):
            media = self.media.to_dict()
        else:
            media = self.media

        urls: dict[str, Any] | None
        if isinstance(self.urls, AssetUrlsType0):
            urls = self.urls.to_dict()
        else:
            urls = self.urls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "name": name,
                "type": type_,
                "mime_type": mime_type,
                "size_bytes": size_bytes,
                "sha256": sha256,
                "url": url,
                "tags": tags,
                "metadata": metadata,
                "status": status,
                "review_status": review_status,
                "review_comment": review_comment,
                "reviewed_at": reviewed_at,
                "reviewed_by": reviewed_by,
                "job_id": job_id,
                "failure_reason": failure_reason,
                "upload_expires_at": upload_expires_at,
                "external_id": external_id,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "media": media,
                "urls": urls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_media_type_0 import AssetMediaType0  # noqa: PLC0415
        from ..models.asset_urls_type_0 import AssetUrlsType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        name = d.pop("name")

        type_ = AssetType(d.pop("type"))

        mime_type = d.pop("mime_type")

        size_bytes = d.pop("size_bytes")

        def _parse_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha256 = _parse_sha256(d.pop("sha256"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        tags = cast(list[str], d.pop("tags"))

        metadata = d.pop("metadata")

        status = AssetStatus(d.pop("status"))

        review_status = AssetReviewStatus(d.pop("review_status"))

        def _parse_review_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        review_comment = _parse_review_comment(d.pop("review_comment"))

        def _parse_reviewed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reviewed_at_type_0 = datetime.datetime.fromisoformat(data)

                return reviewed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        reviewed_at = _parse_reviewed_at(d.pop("reviewed_at"))

        def _parse_reviewed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reviewed_by = _parse_reviewed_by(d.pop("reviewed_by"))

        def _parse_job_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        job_id = _parse_job_id(d.pop("job_id"))

        def _parse_failure_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason"))

        def _parse_upload_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                upload_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return upload_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        upload_expires_at = _parse_upload_expires_at(d.pop("upload_expires_at"))

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("external_id"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_media(data: object) -> AssetMediaType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                media_type_0 = AssetMediaType0.from_dict(data)

                return media_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetMediaType0 | None, data)

        media = _parse_media(d.pop("media"))

        def _parse_urls(data: object) -> AssetUrlsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                urls_type_0 = AssetUrlsType0.from_dict(data)

                return urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetUrlsType0 | None, data)

        urls = _parse_urls(d.pop("urls"))

        asset = cls(
            id=id,
            project_id=project_id,
            name=name,
            type_=type_,
            mime_type=mime_type,
            size_bytes=size_bytes,
            sha256=sha256,
            url=url,
            tags=tags,
            metadata=metadata,
            status=status,
            review_status=review_status,
            review_comment=review_comment,
            reviewed_at=reviewed_at,
            reviewed_by=reviewed_by,
            job_id=job_id,
            failure_reason=failure_reason,
            upload_expires_at=upload_expires_at,
            external_id=external_id,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            media=media,
            urls=urls,
        )

        asset.additional_properties = d
        return asset

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
