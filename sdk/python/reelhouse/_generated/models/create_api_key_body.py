from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime


T = TypeVar("T", bound="CreateApiKeyBody")


@_attrs_define
class CreateApiKeyBody:
    """
    Attributes:
        name (str):
        scopes (list[str]): Scopes: `projects:read`, `projects:write`, `content:read`, `content:write`, `jobs:read`,
            `jobs:write`, `jobs:execute`, `assets:approve`, `webhooks:read`, `webhooks:write`, `events:read`, `keys:read`,
            `keys:write`, `audit:read`, `automations:read`, `automations:write`, `users:read`, `users:write`,
            `telemetry:read`, `telemetry:write`, `admin`; or presets `read_only`, `full_access`, expanded when stored. A key
            can only grant scopes it holds itself (`admin` holds all).
        description (None | str | Unset):
        project_ids (list[str] | None | Unset): Limit the key to these projects; null: every project.
        allowed_cidrs (list[str] | None | Unset): Accept requests only from these ranges; null: any address.
        expires_at (datetime.datetime | None | Unset):
        read_rate_limit (int | None | Unset): Read cost points per minute.
        write_rate_limit (int | None | Unset): Write cost points per minute.
        test_mode (bool | None | Unset): Issue a `rh_test_` key; default: the server's key environment.
    """

    name: str
    scopes: list[str]
    description: None | str | Unset = UNSET
    project_ids: list[str] | None | Unset = UNSET
    allowed_cidrs: list[str] | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    read_rate_limit: int | None | Unset = UNSET
    write_rate_limit: int | None | Unset = UNSET
    test_mode: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes = self.scopes

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        project_ids: list[str] | None | Unset
        if isinstance(self.project_ids, Unset):
            project_ids = UNSET
        elif isinstance(self.project_ids, list):
            project_ids = self.project_ids

        else:
            project_ids = self.project_ids

        allowed_cidrs: list[str] | None | Unset
        if isinstance(self.allowed_cidrs, Unset):
            allowed_cidrs = UNSET
        elif isinstance(self.allowed_cidrs, list):
            allowed_cidrs = self.allowed_cidrs

        else:
            allowed_cidrs = self.allowed_cidrs

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        read_rate_limit: int | None | Unset
        if isinstance(self.read_rate_limit, Unset):
            read_rate_limit = UNSET
        else:
            read_rate_limit = self.read_rate_limit

        write_rate_limit: int | None | Unset
        if isinstance(self.write_rate_limit, Unset):
            write_rate_limit = UNSET
        else:
            write_rate_limit = self.write_rate_limit

        test_mode: bool | None | Unset
        if isinstance(self.test_mode, Unset):
            test_mode = UNSET
        else:
            test_mode = self.test_mode

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "scopes": scopes,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if project_ids is not UNSET:
            field_dict["project_ids"] = project_ids
        if allowed_cidrs is not UNSET:
            field_dict["allowed_cidrs"] = allowed_cidrs
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if read_rate_limit is not UNSET:
            field_dict["read_rate_limit"] = read_rate_limit
        if write_rate_limit is not UNSET:
            field_dict["write_rate_limit"] = write_rate_limit
        if test_mode is not UNSET:
            field_dict["test_mode"] = test_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_project_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                project_ids_type_0 = cast(list[str], data)

                return project_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        project_ids = _parse_project_ids(d.pop("project_ids", UNSET))

        def _parse_allowed_cidrs(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_cidrs_type_0 = cast(list[str], data)

                return allowed_cidrs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_cidrs = _parse_allowed_cidrs(d.pop("allowed_cidrs", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_read_rate_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        read_rate_limit = _parse_read_rate_limit(d.pop("read_rate_limit", UNSET))

        def _parse_write_rate_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        write_rate_limit = _parse_write_rate_limit(d.pop("write_rate_limit", UNSET))

        def _parse_test_mode(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        test_mode = _parse_test_mode(d.pop("test_mode", UNSET))

        create_api_key_body = cls(
            name=name,
            scopes=scopes,
            description=description,
            project_ids=project_ids,
            allowed_cidrs=allowed_cidrs,
            expires_at=expires_at,
            read_rate_limit=read_rate_limit,
            write_rate_limit=write_rate_limit,
            test_mode=test_mode,
        )

        return create_api_key_body
