from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast


T = TypeVar("T", bound="ReorderScenesBody")


@_attrs_define
class ReorderScenesBody:
    """
    Attributes:
        scene_ids (list[str]): Every scene of the project, each once, in the new order.
    """

    scene_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        scene_ids = self.scene_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scene_ids": scene_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scene_ids = cast(list[str], d.pop("scene_ids"))

        reorder_scenes_body = cls(
            scene_ids=scene_ids,
        )

        return reorder_scenes_body
