from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_oauth_client_body_client_type import CreateOauthClientBodyClientType
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateOauthClientBody")


@_attrs_define
class CreateOauthClientBody:
    """
    Attributes:
        name (str):
        client_type (CreateOauthClientBodyClientType):
        scopes (list[str]): Scopes or presets it may ask for; you must hold them yourself.
        grant_types (list[str]): Grant types: `authorization_code`, `refresh_token`, `client_credentials`.
        redirect_uris (list[str] | None | Unset): Exact redirect URIs: https, http only to a loopback address, or a
            private-use scheme (`com.example.app:/callback`). Matched exactly.
        description (None | str | Unset):
        access_token_lifetime (int | None | Unset): Seconds; null: the server's default (access 1 h, or 15 min for
            client credentials; refresh 30 days).
        refresh_token_lifetime (int | None | Unset): Seconds; null: the server's default (access 1 h, or 15 min for
            client credentials; refresh 30 days).
    """

    name: str
    client_type: CreateOauthClientBodyClientType
    scopes: list[str]
    grant_types: list[str]
    redirect_uris: list[str] | None | Unset = UNSET
    description: None | str | Unset = UNSET
    access_token_lifetime: int | None | Unset = UNSET
    refresh_token_lifetime: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        client_type = self.client_type.value

        scopes = self.scopes

        grant_types = self.grant_types

        redirect_uris: list[str] | None | Unset
        if isinstance(self.redirect_uris, Unset):
            redirect_uris = UNSET
        elif isinstance(self.redirect_uris, list):
            redirect_uris = self.redirect_uris

        else:
            redirect_uris = self.redirect_uris

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        access_token_lifetime: int | None | Unset
        if isinstance(self.access_token_lifetime, Unset):
            access_token_lifetime = UNSET
        else:
            access_token_lifetime = self.access_token_lifetime

        refresh_token_lifetime: int | None | Unset
        if isinstance(self.refresh_token_lifetime, Unset):
            refresh_token_lifetime = UNSET
        else:
            refresh_token_lifetime = self.refresh_token_lifetime

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "client_type": client_type,
                "scopes": scopes,
                "grant_types": grant_types,
            }
        )
        if redirect_uris is not UNSET:
            field_dict["redirect_uris"] = redirect_uris
        if description is not UNSET:
            field_dict["description"] = description
        if access_token_lifetime is not UNSET:
            field_dict["access_token_lifetime"] = access_token_lifetime
        if refresh_token_lifetime is not UNSET:
            field_dict["refresh_token_lifetime"] = refresh_token_lifetime

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        client_type = CreateOauthClientBodyClientType(d.pop("client_type"))

        scopes = cast(list[str], d.pop("scopes"))

        grant_types = cast(list[str], d.pop("grant_types"))

        def _parse_redirect_uris(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                redirect_uris_type_0 = cast(list[str], data)

                return redirect_uris_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        redirect_uris = _parse_redirect_uris(d.pop("redirect_uris", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_access_token_lifetime(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        access_token_lifetime = _parse_access_token_lifetime(d.pop("access_token_lifetime", UNSET))

        def _parse_refresh_token_lifetime(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refresh_token_lifetime = _parse_refresh_token_lifetime(
            d.pop("refresh_token_lifetime", UNSET)
        )

        create_oauth_client_body = cls(
            name=name,
            client_type=client_type,
            scopes=scopes,
            grant_types=grant_types,
            redirect_uris=redirect_uris,
            description=description,
            access_token_lifetime=access_token_lifetime,
            refresh_token_lifetime=refresh_token_lifetime,
        )

        return create_oauth_client_body
