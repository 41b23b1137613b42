from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_status import ProjectStatus
from typing import cast
import datetime


T = TypeVar("T", bound="Project")


@_attrs_define
class Project:
    """A production: everything else lives in one.

    Attributes:
        id (str):
        slug (str): Unique in the organisation: `^[a-z0-9-]{3,50}$`.
        name (str):
        description (str):
        status (ProjectStatus):
        settings (Any):
        metadata (Any):
        render_quota (int | None): Render jobs allowed; null: no limit.
        render_usage (int): Render jobs submitted so far.
        version (int): Grows by one with every change.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    slug: str
    name: str
    description: str
    status: ProjectStatus
    settings: Any
    metadata: Any
    render_quota: int | None
    render_usage: int
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        slug = self.slug

        name = self.name

        description = self.description

        status = self.status.value

        settings = self.settings

        metadata = self.metadata

        render_quota: int | None
        render_quota = self.render_quota

        render_usage = self.render_usage

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "slug": slug,
                "name": name,
                "description": description,
                "status": status,
                "settings": settings,
                "metadata": metadata,
                "render_quota": render_quota,
                "render_usage": render_usage,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        slug = d.pop("slug")

        name = d.pop("name")

        description = d.pop("description")

        status = ProjectStatus(d.pop("status"))

        settings = d.pop("settings")

        metadata = d.pop("metadata")

        def _parse_render_quota(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        render_quota = _parse_render_quota(d.pop("render_quota"))

        render_usage = d.pop("render_usage")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        project = cls(
            id=id,
            slug=slug,
            name=name,
            description=description,
            status=status,
            settings=settings,
            metadata=metadata,
            render_quota=render_quota,
            render_usage=render_usage,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        project.additional_properties = d
        return project

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
