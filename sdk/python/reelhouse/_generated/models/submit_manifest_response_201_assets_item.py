from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.submit_manifest_response_201_assets_item_outcome import (
    SubmitManifestResponse201AssetsItemOutcome,
)


T = TypeVar("T", bound="SubmitManifestResponse201AssetsItem")


@_attrs_define
class SubmitManifestResponse201AssetsItem:
    """One asset a valid manifest listed, and what became of it.

    Attributes:
        external_id (str): The asset's `id` in the manifest.
        asset_id (str):
        outcome (SubmitManifestResponse201AssetsItemOutcome):
    """

    external_id: str
    asset_id: str
    outcome: SubmitManifestResponse201AssetsItemOutcome
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        asset_id = self.asset_id

        outcome = self.outcome.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "external_id": external_id,
                "asset_id": asset_id,
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_id = d.pop("external_id")

        asset_id = d.pop("asset_id")

        outcome = SubmitManifestResponse201AssetsItemOutcome(d.pop("outcome"))

        submit_manifest_response_201_assets_item = cls(
            external_id=external_id,
            asset_id=asset_id,
            outcome=outcome,
        )

        submit_manifest_response_201_assets_item.additional_properties = d
        return submit_manifest_response_201_assets_item

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
