from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.viewer_response_200_credential_kind import ViewerResponse200CredentialKind
from typing import cast
import datetime


T = TypeVar("T", bound="ViewerResponse200")


@_attrs_define
class ViewerResponse200:
    """The caller: its credential, organisation, user, scopes and limits.

    Attributes:
        credential_kind (ViewerResponse200CredentialKind):
        credential_id (str): The API key's id, the OAuth client's id for an access token, the user's id for a session.
            Rate limits are counted per credential id.
        organization_id (str):
        user_id (None | str): The user an access token or session acts for; null for keys and client-credentials tokens.
        client_id (None | str): The OAuth client an access token was issued to.
        scopes (list[str]): The scopes in force now (for a user's token: the client's, the grant's and the user's
            role's, intersected).
        project_ids (list[str] | None): Projects the caller is limited to; null: every project.
        allowed_cidrs (list[str] | None):
        expires_at (datetime.datetime | None):
        read_rate_limit (int | None): Read cost points per minute; null: the default.
        write_rate_limit (int | None): Write cost points per minute; null: the default.
        test_mode (bool):
    """

    credential_kind: ViewerResponse200CredentialKind
    credential_id: str
    organization_id: str
    user_id: None | str
    client_id: None | str
    scopes: list[str]
    project_ids: list[str] | None
    allowed_cidrs: list[str] | None
    expires_at: datetime.datetime | None
    read_rate_limit: int | None
    write_rate_limit: int | None
    test_mode: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credential_kind = self.credential_kind.value

        credential_id = self.credential_id

        organization_id = self.organization_id

        user_id: None | str
        user_id = self.user_id

        client_id: None | str
        client_id = self.client_id

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

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        read_rate_limit: int | None
        read_rate_limit = self.read_rate_limit

        write_rate_limit: int | None
        write_rate_limit = self.write_rate_limit

        test_mode = self.test_mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credential_kind": credential_kind,
                "credential_id": credential_id,
                "organization_id": organization_id,
                "user_id": user_id,
                "client_id": client_id,
                "scopes": scopes,
                "project_ids": project_ids,
                "allowed_cidrs": allowed_cidrs,
                "expires_at": expires_at,
                "read_rate_limit": read_rate_limit,
                "write_rate_limit": write_rate_limit,
                "test_mode": test_mode,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        credential_kind = ViewerResponse200CredentialKind(d.pop("credential_kind"))

        credential_id = d.pop("credential_id")

        organization_id = d.pop("organization_id")

        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        def _parse_client_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_id = _parse_client_id(d.pop("client_id"))

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

        test_mode = d.pop("test_mode")

        viewer_response_200 = cls(
            credential_kind=credential_kind,
            credential_id=credential_id,
            organization_id=organization_id,
            user_id=user_id,
            client_id=client_id,
            scopes=scopes,
            project_ids=project_ids,
            allowed_cidrs=allowed_cidrs,
            expires_at=expires_at,
            read_rate_limit=read_rate_limit,
            write_rate_limit=write_rate_limit,
            test_mode=test_mode,
        )

        viewer_response_200.additional_properties = d
        return viewer_response_200

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
