from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.template_variables_item import TemplateVariablesItem


T = TypeVar("T", bound="Template")


@_attrs_define
class Template:
    """A style (JSON) with `{{key}}` placeholders and the variables jobs fill in. A string that is exactly one placeholder
    takes the value with its type; placeholders inside longer text take the value as text.

        Attributes:
            id (str):
            project_id (str):
            name (str):
            description (str):
            style (Any):
            metadata (Any):
            version (int): Grows by one with every change.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            variables (list[TemplateVariablesItem]): Declared variables, in order.
            unused_variables (list[str]): Declared variables no placeholder of the style uses (allowed: a render farm may
                read them from the job's variables).
    """

    id: str
    project_id: str
    name: str
    description: str
    style: Any
    metadata: Any
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    variables: list[TemplateVariablesItem]
    unused_variables: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.template_variables_item import TemplateVariablesItem  # noqa: PLC0415

        id = self.id

        project_id = self.project_id

        name = self.name

        description = self.description

        style = self.style

        metadata = self.metadata

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        variables = []
        for variables_item_data in self.variables:
            variables_item = variables_item_data.to_dict()
            variables.append(variables_item)

        unused_variables = self.unused_variables

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "name": name,
                "description": description,
                "style": style,
                "metadata": metadata,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "variables": variables,
                "unused_variables": unused_variables,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_variables_item import TemplateVariablesItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        name = d.pop("name")

        description = d.pop("description")

        style = d.pop("style")

        metadata = d.pop("metadata")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        variables = []
        _variables = d.pop("variables")
        for variables_item_data in _variables:
            variables_item = TemplateVariablesItem.from_dict(variables_item_data)

            variables.append(variables_item)

        unused_variables = cast(list[str], d.pop("unused_variables"))

        template = cls(
            id=id,
            project_id=project_id,
            name=name,
            description=description,
            style=style,
            metadata=metadata,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            variables=variables,
            unused_variables=unused_variables,
        )

        template.additional_properties = d
        return template

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
