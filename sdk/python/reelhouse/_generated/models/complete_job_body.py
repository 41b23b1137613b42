from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="CompleteJobBody")


@_attrs_define
class CompleteJobBody:
    """
    Attributes:
        output_asset_id (str): An asset of the job's project.
    """

    output_asset_id: str

    def to_dict(self) -> dict[str, Any]:
        output_asset_id = self.output_asset_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "output_asset_id": output_asset_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        output_asset_id = d.pop("output_asset_id")

        complete_job_body = cls(
            output_asset_id=output_asset_id,
        )

        return complete_job_body
