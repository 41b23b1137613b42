from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="UpdateOauthClientBody")


@_attrs_define
class UpdateOauthClientBody:
    """
    Attributes:
        name (None | str | Unset):
        description (None | str | Unset):
        scopes (list[str] | None | Unset):
        grant_types (list[str] | None | Unset):
        redirect_uris (list[str] | None | Unset):
        access_token_lifetime (int | None | Unset):
        refresh_token_lifetime (int | None | Unset):
    """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    scopes: list[str] | None | Unset = UNSET
    grant_types: list[str] | None | Unset = UNSET
    redirect_uris: list[str] | None | Unset = UNSET
    access_token_lifetime: int | None | Unset = UNSET
    refresh_token_lifetime: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        scopes: list[str] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, list):
            scopes = self.scopes

        else:
            scopes = self.scopes

        grant_types: list[str] | None | Unset
        if isinstance(self.grant_types, Unset):
            grant_types = UNSET
        elif isinstance(self.grant_types, list):
            grant_types = self.grant_types

        else:
            grant_types = self.grant_types

        redirect_uris: list[str] | None | Unset
        if isinstance(self.redirect_uris, Unset):
            redirect_uris = UNSET
        elif isinstance(self.redirect_uris, list):
            redirect_uris = self.redirect_uris

        else:
            redirect_uris = self.redirect_uris

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

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if grant_types is not UNSET:
            field_dict["grant_types"] = grant_types
        if redirect_uris is not UNSET:
            field_dict["redirect_uris"] = redirect_uris
        if access_token_lifetime is not UNSET:
            field_dict["access_token_lifetime"] = access_token_lifetime
        if refresh_token_lifetime is not UNSET:
            field_dict["refresh_token_lifetime"] = refresh_token_lifetime

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        def _parse_scopes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scopes_type_0 = cast(list[str], data)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        scopes = _parse_scopes(d.pop("scopes", UNSET))

        def _parse_grant_types(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                grant_types_type_0 = cast(list[str], data)

                return grant_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        grant_types = _parse_grant_types(d.pop("grant_types", UNSET))

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

        update_oauth_client_body = cls(
            name=name,
            description=description,
            scopes=scopes,
            grant_types=grant_types,
            redirect_uris=redirect_uris,
            access_token_lifetime=access_token_lifetime,
            refresh_token_lifetime=refresh_token_lifetime,
        )

        return update_oauth_client_body
