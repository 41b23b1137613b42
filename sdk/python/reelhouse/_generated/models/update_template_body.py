from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.update_template_body_variables_type_0_item import (
        UpdateTemplateBodyVariablesType0Item,
    )


T = TypeVar("T", bound="UpdateTemplateBody")


@_attrs_define
class UpdateTemplateBody:
    """
    Attributes:
        name (None | str | Unset):
        description (None | str | Unset):
        style (Any | Unset):
        variables (list[UpdateTemplateBodyVariablesType0Item] | None | Unset):
        metadata (Any | Unset):
    """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    style: Any | Unset = UNSET
    variables: list[UpdateTemplateBodyVariablesType0Item] | None | Unset = UNSET
    metadata: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_template_body_variables_type_0_item import (
            UpdateTemplateBodyVariablesType0Item,
        )  # noqa: PLC0415

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

        style = self.style

        variables: list[dict[str, Any]] | None | Unset
        if isinstance(self.variables, Unset):
            variables = UNSET
        elif isinstance(self.variables, list):
            variables = []
            for variables_type_0_item_data in self.variables:
                variables_type_0_item = variables_type_0_item_data.to_dict()
                variables.append(variables_type_0_item)

        else:
            variables = self.variables

        metadata = self.metadata

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if style is not UNSET:
            field_dict["style"] = style
        if variables is not UNSET:
            field_dict["variables"] = variables
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_template_body_variables_type_0_item import (
            UpdateTemplateBodyVariablesType0Item,
        )  # noqa: PLC0415

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

        style = d.pop("style", UNSET)

        def _parse_variables(
            data: object,
        ) -> list[UpdateTemplateBodyVariablesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                variables_type_0 = []
                _variables_type_0 = data
                for variables_type_0_item_data in _variables_type_0:
                    variables_type_0_item = UpdateTemplateBodyVariablesType0Item.from_dict(
                        variables_type_0_item_data
                    )

                    variables_type_0.append(variables_type_0_item)

                return variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UpdateTemplateBodyVariablesType0Item] | None | Unset, data)

        variables = _parse_variables(d.pop("variables", UNSET))

        metadata = d.pop("metadata", UNSET)

        update_template_body = cls(
            name=name,
            description=description,
            style=style,
            variables=variables,
            metadata=metadata,
        )

        return update_template_body
