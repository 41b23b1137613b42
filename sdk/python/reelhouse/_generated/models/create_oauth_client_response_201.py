from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_oauth_client_response_201_client_type import (
    CreateOauthClientResponse201ClientType,
)
from typing import cast
import datetime


T = TypeVar("T", bound="CreateOauthClientResponse201")


@_attrs_define
class CreateOauthClientResponse201:
    """An application registered for OAuth 2.0.

    Attributes:
        id (str):
        name (str):
        description (str):
        client_type (CreateOauthClientResponse201ClientType):
        redirect_uris (list[str]): Exact redirect URIs: https, http only to a loopback address, or a private-use scheme
            (`com.example.app:/callback`). Matched exactly.
        scopes (list[str]): Scopes it may ask for.
        grant_types (list[str]): Grant types: `authorization_code`, `refresh_token`, `client_credentials`.
        access_token_lifetime (int | None): Seconds; null: the server's default (access 1 h, or 15 min for client
            credentials; refresh 30 days).
        refresh_token_lifetime (int | None): Seconds; null: the server's default (access 1 h, or 15 min for client
            credentials; refresh 30 days).
        secret_last4 (None | str): Last four characters of the secret; null for public clients.
        revoked_at (datetime.datetime | None):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        client_secret (None | str): The client secret: shown this once, store it now.
    """

    id: str
    name: str
    description: str
    client_type: CreateOauthClientResponse201ClientType
    redirect_uris: list[str]
    scopes: list[str]
    grant_types: list[str]
    access_token_lifetime: int | None
    refresh_token_lifetime: int | None
    secret_last4: None | str
    revoked_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    client_secret: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        client_type = self.client_type.value

        redirect_uris = self.redirect_uris

        scopes = self.scopes

        grant_types = self.grant_types

        access_token_lifetime: int | None
        access_token_lifetime = self.access_token_lifetime

        refresh_token_lifetime: int | None
        refresh_token_lifetime = self.refresh_token_lifetime

        secret_last4: None | str
        secret_last4 = self.secret_last4

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        client_secret: None | str
        client_secret = self.client_secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "client_type": client_type,
                "redirect_uris": redirect_uris,
                "scopes": scopes,
                "grant_types": grant_types,
                "access_token_lifetime": access_token_lifetime,
                "refresh_token_lifetime": refresh_token_lifetime,
                "secret_last4": secret_last4,
                "revoked_at": revoked_at,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "client_secret": client_secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        client_type = CreateOauthClientResponse201ClientType(d.pop("client_type"))

        redirect_uris = cast(list[str], d.pop("redirect_uris"))

        scopes = cast(list[str], d.pop("scopes"))

        grant_types = cast(list[str], d.pop("grant_types"))

        def _parse_access_token_lifetime(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        access_token_lifetime = _parse_access_token_lifetime(d.pop("access_token_lifetime"))

        def _parse_refresh_token_lifetime(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        refresh_token_lifetime = _parse_refresh_token_lifetime(d.pop("refresh_token_lifetime"))

        def _parse_secret_last4(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret_last4 = _parse_secret_last4(d.pop("secret_last4"))

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

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        create_oauth_client_response_201 = cls(
            id=id,
            name=name,
            description=description,
            client_type=client_type,
            redirect_uris=redirect_uris,
            scopes=scopes,
            grant_types=grant_types,
            access_token_lifetime=access_token_lifetime,
            refresh_token_lifetime=refresh_token_lifetime,
            secret_last4=secret_last4,
            revoked_at=revoked_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            client_secret=client_secret,
        )

        create_oauth_client_response_201.additional_properties = d
        return create_oauth_client_response_201

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
