from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.manifest_status import ManifestStatus
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.manifest_assets_item import ManifestAssetsItem
    from ..models.manifest_errors_item import ManifestErrorsItem


T = TypeVar("T", bound="Manifest")


@_attrs_define
class Manifest:
    """One submitted version of a manifest, checked against its schema.

    Attributes:
        id (str):
        project_id (str):
        manifest_id (str): Your id for the manifest.
        version (int): Your version of it.
        schema_id (str):
        schema_name (str):
        schema_version (int):
        status (ManifestStatus):
        document (Any):
        document_sha256 (str): SHA-256 of the document as canonical JSON (keys sorted).
        errors (list[ManifestErrorsItem]): The first 100 problems, by pointer; empty for a valid manifest.
        error_count (int): All problems found (counted up to 1000).
        assets (list[ManifestAssetsItem]): Assets it created, reused or updated, in document order; empty for an invalid
            manifest.
        created_at (datetime.datetime):
    """

    id: str
    project_id: str
    manifest_id: str
    version: int
    schema_id: str
    schema_name: str
    schema_version: int
    status: ManifestStatus
    document: Any
    document_sha256: str
    errors: list[ManifestErrorsItem]
    error_count: int
    assets: list[ManifestAssetsItem]
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.manifest_assets_item import ManifestAssetsItem  # noqa: PLC0415
        from ..models.manifest_errors_item import ManifestErrorsItem  # noqa: PLC0415

        id = self.id

        project_id = self.project_id

        manifest_id = self.manifest_id

        version = self.version

        schema_id = self.schema_id

        schema_name = self.schema_name

        schema_version = self.schema_version

        status = self.status.value

        document = self.document

        document_sha256 = self.document_sha256

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        error_count = self.error_count

        assets = []
        for assets_item_data in self.assets:
            assets_item = assets_item_data.to_dict()
            assets.append(assets_item)

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "manifest_id": manifest_id,
                "version": version,
                "schema_id": schema_id,
                "schema_name": schema_name,
                "schema_version": schema_version,
                "status": status,
                "document": document,
                "document_sha256": document_sha256,
                "errors": errors,
                "error_count": error_count,
                "assets": assets,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.manifest_assets_item import ManifestAssetsItem  # noqa: PLC0415
        from ..models.manifest_errors_item import ManifestErrorsItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        manifest_id = d.pop("manifest_id")

        version = d.pop("version")

        schema_id = d.pop("schema_id")

        schema_name = d.pop("schema_name")

        schema_version = d.pop("schema_version")

        status = ManifestStatus(d.pop("status"))

        document = d.pop("document")

        document_sha256 = d.pop("document_sha256")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = ManifestErrorsItem.from_dict(errors_item_data)

            errors.append(errors_item)

        error_count = d.pop("error_count")

        assets = []
        _assets = d.pop("assets")
        for assets_item_data in _assets:
            assets_item = ManifestAssetsItem.from_dict(assets_item_data)

            assets.append(assets_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        manifest = cls(
            id=id,
            project_id=project_id,
            manifest_id=manifest_id,
            version=version,
            schema_id=schema_id,
            schema_name=schema_name,
            schema_version=schema_version,
            status=status,
            document=document,
            document_sha256=document_sha256,
            errors=errors,
            error_count=error_count,
            assets=assets,
            created_at=created_at,
        )

        manifest.additional_properties = d
        return manifest

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
