from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.update_project_body_status_type_1 import UpdateProjectBodyStatusType1
from ..models.update_project_body_status_type_2_type_1 import UpdateProjectBodyStatusType2Type1
from ..models.update_project_body_status_type_3_type_1 import UpdateProjectBodyStatusType3Type1
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="UpdateProjectBody")


@_attrs_define
class UpdateProjectBody:
    """
    Attributes:
        slug (None | str | Unset):
        name (None | str | Unset):
        description (None | str | Unset):
        status (None | Unset | UpdateProjectBodyStatusType1 | UpdateProjectBodyStatusType2Type1 |
            UpdateProjectBodyStatusType3Type1):
        settings (Any | Unset):
        metadata (Any | Unset):
        render_quota (int | None | Unset):
    """

    slug: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    status: (
        None
        | Unset
        | UpdateProjectBodyStatusType1
        | UpdateProjectBodyStatusType2Type1
        | UpdateProjectBodyStatusType3Type1
    ) = UNSET
    settings: Any | Unset = UNSET
    metadata: Any | Unset = UNSET
    render_quota: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        slug: None | str | Unset
        if isinstance(self.slug, Unset):
            slug = UNSET
        else:
            slug = self.slug

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, UpdateProjectBodyStatusType1):
            status = self.status.value
        elif isinstance(self.status, UpdateProjectBodyStatusType2Type1):
            status = self.status.value
        elif isinstance(self.status, UpdateProjectBodyStatusType3Type1):
            status = self.status.value
        else:
            status = self.status

        settings = self.settings

        metadata = self.metadata

        render_quota: int | None | Unset
        if isinstance(self.render_quota, Unset):
            render_quota = UNSET
        else:
            render_quota = self.render_quota

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if slug is not UNSET:
            field_dict["slug"] = slug
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if status is not UNSET:
            field_dict["status"] = status
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

        def _parse_slug(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        slug = _parse_slug(d.pop("slug", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_status(
            data: object,
        ) -> (
            None
            | Unset
            | UpdateProjectBodyStatusType1
            | UpdateProjectBodyStatusType2Type1
            | UpdateProjectBodyStatusType3Type1
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_1 = UpdateProjectBodyStatusType1(data)

                return status_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_2_type_1 = UpdateProjectBodyStatusType2Type1(data)

                return status_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_3_type_1 = UpdateProjectBodyStatusType3Type1(data)

                return status_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | UpdateProjectBodyStatusType1
                | UpdateProjectBodyStatusType2Type1
                | UpdateProjectBodyStatusType3Type1,
                data,
            )

        status = _parse_status(d.pop("status", UNSET))

        settings = d.pop("settings", UNSET)

        metadata = d.pop("metadata", UNSET)

        def _parse_render_quota(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        render_quota = _parse_render_quota(d.pop("render_quota", UNSET))

        update_project_body = cls(
            slug=slug,
            name=name,
            description=description,
            status=status,
            settings=settings,
            metadata=metadata,
            render_quota=render_quota,
        )

        return update_project_body
