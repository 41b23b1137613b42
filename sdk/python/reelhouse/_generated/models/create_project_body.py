from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateProjectBody")


@_attrs_define
class CreateProjectBody:
    """
    Attributes:
        slug (str):
        name (str):
        description (None | str | Unset):
        settings (Any | Unset):
        metadata (Any | Unset):
        render_quota (int | None | Unset):
    """

    slug: str
    name: str
    description: None | str | Unset = UNSET
    settings: Any | Unset = UNSET
    metadata: Any | Unset = UNSET
    render_quota: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        slug = self.slug

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        settings = self.settings

        metadata = self.metadata

        render_quota: int | None | Unset
        if isinstance(self.render_quota, Unset):
            render_quota = UNSET
        else:
            render_quota = self.render_quota

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "slug": slug,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if settings is not UNSET:
            field_dict["settings"] = settings
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if render_quota is not UNSET:
            field_dict["render_quota"] = render_quota

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        slug = d.pop("slug")

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        settings = d.pop("settings", UNSET)

        metadata = d.pop("metadata", UNSET)

        def _parse_render_quota(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        render_quota = _parse_render_quota(d.pop("render_quota", UNSET))

        create_project_body = cls(
            slug=slug,
            name=name,
            description=description,
            settings=settings,
            metadata=metadata,
            render_quota=render_quota,
        )

        return create_project_body
