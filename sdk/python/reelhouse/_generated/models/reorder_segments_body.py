from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast


T = TypeVar("T", bound="ReorderSegmentsBody")


@_attrs_define
class ReorderSegmentsBody:
    """
    Attributes:
        segment_ids (list[str]): Every segment of the scene, each once, in the new order.
    """

    segment_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        segment_ids = self.segment_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "segment_ids": segment_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        segment_ids = cast(list[str], d.pop("segment_ids"))

        reorder_segments_body = cls(
            segment_ids=segment_ids,
        )

        return reorder_segments_body
