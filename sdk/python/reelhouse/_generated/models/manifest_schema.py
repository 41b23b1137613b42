from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="ManifestSchema")


@_attrs_define
class ManifestSchema:
    """A JSON Schema (draft 2020-12) manifests are checked against; it cannot change once a manifest used it.

    Attributes:
        id (str):
        name (str):
        version (int):
        description (str):
        schema (Any): The JSON Schema document.
        built_in (bool): Ships with Reelhouse; every organisation's.
        used (bool): Manifests were checked against it, so it can no longer change.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    name: str
    version: int
    description: str
    schema: Any
    built_in: bool
    used: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        version = self.version

        description = self.description

        schema = self.schema

        built_in = self.built_in

        used = self.used

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "version": version,
                "description": description,
                "schema": schema,
                "built_in": built_in,
                "used": used,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        version = d.pop("version")

        description = d.pop("description")

        schema = d.pop("schema")

        built_in = d.pop("built_in")

        used = d.pop("used")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        manifest_schema = cls(
            id=id,
            name=name,
            version=version,
            description=description,
            schema=schema,
            built_in=built_in,
            used=used,
            created_at=created_at,
            updated_at=updated_at,
        )

        manifest_schema.additional_properties = d
        return manifest_schema

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
