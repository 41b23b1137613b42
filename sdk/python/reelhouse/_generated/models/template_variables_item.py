from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_variables_item_type import TemplateVariablesItemType
from typing import cast


T = TypeVar("T", bound="TemplateVariablesItem")


@_attrs_define
class TemplateVariablesItem:
    """A value a job fills into the template's `{{key}}` placeholders.

    Attributes:
        key (str): `^[a-zA-Z_][a-zA-Z0-9_]{0,63}$`, unique.
        type_ (TemplateVariablesItemType):
        required (bool): A job must give it unless it has a default.
        default (Any): Used when a job does not give one.
        options (list[str] | None): The allowed values of a select.
    """

    key: str
    type_: TemplateVariablesItemType
    required: bool
    default: Any
    options: list[str] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        type_ = self.type_.value

        required = self.required

        default = self.default

        options: list[str] | None
        if isinstance(self.options, list):
            options = self.options

        else:
            options = self.options

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "type": type_,
                "required": required,
                "default": default,
                "options": options,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        type_ = TemplateVariablesItemType(d.pop("type"))

        required = d.pop("required")

        default = d.pop("default")

        def _parse_options(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                options_type_0 = cast(list[str], data)

                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        options = _parse_options(d.pop("options"))

        template_variables_item = cls(
            key=key,
            type_=type_,
            required=required,
            default=default,
            options=options,
        )

        template_variables_item.additional_properties = d
        return template_variables_item

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
