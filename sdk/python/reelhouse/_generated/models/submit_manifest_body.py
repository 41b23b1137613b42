from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="SubmitManifestBody")


@_attrs_define
class SubmitManifestBody:
    """
    Attributes:
        manifest_id (str): Your id for the manifest (1-100 of A-Z a-z 0-9 . _ : -), unique in the organisation; with
            `version`, the idempotency key.
        version (int): 1 or more.
        document (Any): The manifest: a JSON object, at most 256 KB and 32 levels deep.
        schema (None | str | Unset): Name of the schema to check it with; default `content-manifest`.
        schema_version (int | None | Unset): Default: the schema's highest version.
    """

    manifest_id: str
    version: int
    document: Any
    schema: None | str | Unset = UNSET
    schema_version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        manifest_id = self.manifest_id

        version = self.version

        document = self.document

        schema: None | str | Unset
        if isinstance(self.schema, Unset):
            schema = UNSET
        else:
            schema = self.schema

        schema_version: int | None | Unset
        if isinstance(self.schema_version, Unset):
            schema_version = UNSET
        else:
            schema_version = self.schema_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "manifest_id": manifest_id,
                "version": version,
                "document": document,
            }
        )
        if schema is not UNSET:
            field_dict["schema"] = schema
        if schema_version is not UNSET:
            field_dict["schema_version"] = schema_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        manifest_id = d.pop("manifest_id")

        version = d.pop("version")

        document = d.pop("document")

        def _parse_schema(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        schema = _parse_schema(d.pop("schema", UNSET))

        def _parse_schema_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        schema_version = _parse_schema_version(d.pop("schema_version", UNSET))

        submit_manifest_body = cls(
            manifest_id=manifest_id,
            version=version,
            document=document,
            schema=schema,
            schema_version=schema_version,
        )

        return submit_manifest_body
