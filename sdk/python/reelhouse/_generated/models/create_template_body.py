from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.create_template_body_variables_type_0_item import (
        CreateTemplateBodyVariablesType0Item,
    )


T = TypeVar("T", bound="CreateTemplateBody")


@_attrs_define
class CreateTemplateBody:
    """
    Attributes:
        name (str):
        style (Any):
        description (None | str | Unset):
        variables (list[CreateTemplateBodyVariablesType0Item] | None | Unset):
        metadata (Any | Unset):
    """

    name: str
    style: Any
    description: None | str | Unset = UNSET
    variables: list[CreateTemplateBodyVariablesType0Item] | None | Unset = UNSET
    metadata: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.create_template_body_variables_type_0_item import (
            CreateTemplateBodyVariablesType0Item,
        )  # noqa: PLC0415

        name = self.name

        style = self.style

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

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

        field_dict.update(
            {
                "name": name,
                "style": style,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if variables is not UNSET:
            field_dict["variables"] = variables
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_template_body_variables_type_0_item import (
            CreateTemplateBodyVariablesType0Item,
        )  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        style = d.pop("style")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_variables(
            data: object,
        ) -> list[CreateTemplateBodyVariablesType0Item] | None | Unset:
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
                    variables_type_0_item = CreateTemplateBodyVariablesType0Item.from_dict(
                        variables_type_0_item_data
                    )

                    variables_type_0.append(variables_type_0_item)

                return variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CreateTemplateBodyVariablesType0Item] | None | Unset, data)

        variables = _parse_variables(d.pop("variables", UNSET))

        metadata = d.pop("metadata", UNSET)

        create_template_body = cls(
            name=name,
            style=style,
            description=description,
            variables=variables,
            metadata=metadata,
        )

        return create_template_body
