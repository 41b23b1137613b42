from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_template_body_variables_type_0_item_type import (
    CreateTemplateBodyVariablesType0ItemType,
)
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateTemplateBodyVariablesType0Item")


@_attrs_define
class CreateTemplateBodyVariablesType0Item:
    """A variable declaration; `options` only (and always) for select.

    Attributes:
        key (str):
        type_ (CreateTemplateBodyVariablesType0ItemType):
        required (bool | Unset):  Default: False.
        default (Any | Unset):
        options (list[str] | None | Unset):
    """

    key: str
    type_: CreateTemplateBodyVariablesType0ItemType
    required: bool | Unset = False
    default: Any | Unset = UNSET
    options: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        type_ = self.type_.value

        required = self.required

        default = self.default

        options: list[str] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, list):
            options = self.options

        else:
            options = self.options

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "type": type_,
            }
        )
        if required is not UNSET:
            field_dict["required"] = required
        if default is not UNSET:
            field_dict["default"] = default
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        type_ = CreateTemplateBodyVariablesType0ItemType(d.pop("type"))

        required = d.pop("required", UNSET)

        default = d.pop("default", UNSET)

        def _parse_options(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                options_type_0 = cast(list[str], data)

                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        options = _parse_options(d.pop("options", UNSET))

        create_template_body_variables_type_0_item = cls(
            key=key,
            type_=type_,
            required=required,
            default=default,
            options=options,
        )

        return create_template_body_variables_type_0_item
