from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rotate_api_key_response_200_status import RotateApiKeyResponse200Status
from typing import cast
import datetime


T = TypeVar("T", bound="RotateApiKeyResponse200")


@_attrs_define
class RotateApiKeyResponse200:
    """An API key. Its secret is never shown again after create or rotate.

    Attributes:
        id (str):
        name (str):
        description (str):
        prefix (str): `rh_live_` or `rh_test_`.
        last4 (str): The secret's last four characters.
        scopes (list[str]): Scopes held, e.g. `projects:read`.
        project_ids (list[str] | None): Projects the key is limited to; null: every project of the organisation.
        allowed_cidrs (list[str] | None): IPv4/IPv6 ranges requests must come from; null: any address.
        read_rate_limit (int | None): Read cost points per minute (and burst); null: the server default.
        write_rate_limit (int | None): Write cost points per minute (and burst); null: the server default.
        expires_at (datetime.datetime | None):
        revoked_at (datetime.datetime | None):
        last_used_at (datetime.datetime | None): Last authenticated request, to the minute.
        test_mode (bool): Whether this is a `rh_test_` key.
        status (RotateApiKeyResponse200Status): Active, expired or revoked, now.
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        secret (None | str): The new secret: shown this once, store it now.
        previous_secret_expires_at (datetime.datetime | None): When the previous secret stops working.
    """

    id: str
    name: str
    description: str
    prefix: str
    last4: str
    scopes: list[str]
    project_ids: list[str] | None
    allowed_cidrs: list[str] | None
    read_rate_limit: int | None
    write_rate_limit: int | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    test_mode: bool
    status: RotateApiKeyResponse200Status
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    secret: None | str
    previous_secret_expires_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        prefix = self.prefix

        last4 = self.last4

        scopes = self.scopes

        project_ids: list[str] | None
        if isinstance(self.project_ids, list):
            project_ids = self.project_ids

        else:
            project_ids = self.project_ids

        allowed_cidrs: list[str] | None
        if isinstance(self.allowed_cidrs, list):
            allowed_cidrs = self.allowed_cidrs

        else:
            allowed_cidrs = self.allowed_cidrs

        read_rate_limit: int | None
        read_rate_limit = self.read_rate_limit

        write_rate_limit: int | None
        write_rate_limit = self.write_rate_limit

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        test_mode = self.test_mode

        status = self.status.value

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        secret: None | str
        secret = self.secret

        previous_secret_expires_at: None | str
        if isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "prefix": prefix,
                "last4": last4,
                "scopes": scopes,
                "project_ids": project_ids,
                "allowed_cidrs": allowed_cidrs,
                "read_rate_limit": read_rate_limit,
                "write_rate_limit": write_rate_limit,
                "expires_at": expires_at,
                "revoked_at": revoked_at,
                "last_used_at": last_used_at,
                "test_mode": test_mode,
                "status": status,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "secret": secret,
                "previous_secret_expires_at": previous_secret_expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        prefix = d.pop("prefix")

        last4 = d.pop("last4")

        scopes = cast(list[str], d.pop("scopes"))

        def _parse_project_ids(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                project_ids_type_0 = cast(list[str], data)

                return project_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        project_ids = _parse_project_ids(d.pop("project_ids"))

        def _parse_allowed_cidrs(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_cidrs_type_0 = cast(list[str], data)

                return allowed_cidrs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        allowed_cidrs = _parse_allowed_cidrs(d.pop("allowed_cidrs"))

        def _parse_read_rate_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        read_rate_limit = _parse_read_rate_limit(d.pop("read_rate_limit"))

        def _parse_write_rate_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        write_rate_limit = _parse_write_rate_limit(d.pop("write_rate_limit"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        test_mode = d.pop("test_mode")

        status = RotateApiKeyResponse200Status(d.pop("status"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret = _parse_secret(d.pop("secret"))

        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(
            d.pop("previous_secret_expires_at")
        )

        rotate_api_key_response_200 = cls(
            id=id,
            name=name,
            description=description,
            prefix=prefix,
            last4=last4,
            scopes=scopes,
            project_ids=project_ids,
            allowed_cidrs=allowed_cidrs,
            read_rate_limit=read_rate_limit,
            write_rate_limit=write_rate_limit,
            expires_at=expires_at,
            revoked_at=revoked_at,
            last_used_at=last_used_at,
            test_mode=test_mode,
            status=status,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            secret=secret,
            previous_secret_expires_at=previous_secret_expires_at,
        )

        rotate_api_key_response_200.additional_properties = d
        return rotate_api_key_response_200

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
