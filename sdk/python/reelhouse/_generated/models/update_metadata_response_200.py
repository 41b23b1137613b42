from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.update_metadata_response_200_node_type_0 import UpdateMetadataResponse200NodeType0


T = TypeVar("T", bound="UpdateMetadataResponse200")


@_attrs_define
class UpdateMetadataResponse200:
    """
    Attributes:
        node (None | UpdateMetadataResponse200NodeType0): An object with a globally unique, prefixed id (`prj_…`).
        metadata (Any): The merged metadata.
    """

    node: None | UpdateMetadataResponse200NodeType0
    metadata: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_metadata_response_200_node_type_0 import (
            UpdateMetadataResponse200NodeType0,
        )  # noqa: PLC0415

        node: dict[str, Any] | None
        if isinstance(self.node, UpdateMetadataResponse200NodeType0):
            node = self.node.to_dict()
        else:
            node = self.node

        metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "node": node,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_metadata_response_200_node_type_0 import (
            UpdateMetadataResponse200NodeType0,
        )  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_node(data: object) -> None | UpdateMetadataResponse200NodeType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                node_type_0 = UpdateMetadataResponse200NodeType0.from_dict(data)

                return node_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UpdateMetadataResponse200NodeType0, data)

        node = _parse_node(d.pop("node"))

        metadata = d.pop("metadata")

        update_metadata_response_200 = cls(
            node=node,
            metadata=metadata,
        )

        update_metadata_response_200.additional_properties = d
        return update_metadata_response_200

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
