from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.update_user_body_role_type_1 import UpdateUserBodyRoleType1
from ..models.update_user_body_role_type_2_type_1 import UpdateUserBodyRoleType2Type1
from ..models.update_user_body_role_type_3_type_1 import UpdateUserBodyRoleType3Type1
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="UpdateUserBody")


@_attrs_define
class UpdateUserBody:
    """
    Attributes:
        email (None | str | Unset):
        name (None | str | Unset):
        role (None | Unset | UpdateUserBodyRoleType1 | UpdateUserBodyRoleType2Type1 | UpdateUserBodyRoleType3Type1):
        project_ids (list[str] | None | Unset): null: every project.
        password (None | str | Unset): At least 10 characters; stored only as an argon2id hash. Setting it ends the
            user's sessions.
    """

    email: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    role: (
        None
        | Unset
        | UpdateUserBodyRoleType1
        | UpdateUserBodyRoleType2Type1
        | UpdateUserBodyRoleType3Type1
    ) = UNSET
    project_ids: list[str] | None | Unset = UNSET
    password: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, UpdateUserBodyRoleType1):
            role = self.role.value
        elif isinstance(self.role, UpdateUserBodyRoleType2Type1):
            role = self.role.value
        elif isinstance(self.role, UpdateUserBodyRoleType3Type1):
            role = self.role.value
        else:
            role = self.role

        project_ids: list[str] | None | Unset
        if isinstance(self.project_ids, Unset):
            project_ids = UNSET
        elif isinstance(self.project_ids, list):
            project_ids = self.project_ids

        else:
            project_ids = self.project_ids

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if role is not UNSET:
            field_dict["role"] = role
        if project_ids is not UNSET:
            field_dict["project_ids"] = project_ids
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_role(
            data: object,
        ) -> (
            None
            | Unset
            | UpdateUserBodyRoleType1
            | UpdateUserBodyRoleType2Type1
            | UpdateUserBodyRoleType3Type1
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_1 = UpdateUserBodyRoleType1(data)

                return role_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_2_type_1 = UpdateUserBodyRoleType2Type1(data)

                return role_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_3_type_1 = UpdateUserBodyRoleType3Type1(data)

                return role_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | UpdateUserBodyRoleType1
                | UpdateUserBodyRoleType2Type1
                | UpdateUserBodyRoleType3Type1,
                data,
            )

        role = _parse_role(d.pop("role", UNSET))

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

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        update_user_body = cls(
            email=email,
            name=name,
            role=role,
            project_ids=project_ids,
            password=password,
        )

        return update_user_body
