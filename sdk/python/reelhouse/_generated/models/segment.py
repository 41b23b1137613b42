from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """One beat of a scene, featuring characters.

    Attributes:
        id (str):
        project_id (str):
        scene_id (str):
        position (int): Index in the scene, from 0, without gaps.
        text (str): At most 10000 characters.
        duration_ms (int | None): 0 to 86400000 (one day); null: unset.
        metadata (Any):
        version (int): Grows by one with every change.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        character_ids (list[str]): Ids of `characters`, in cast order.
    """

    id: str
    project_id: str
    scene_id: str
    position: int
    text: str
    duration_ms: int | None
    metadata: Any
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    character_ids: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        scene_id = self.scene_id

        position = self.position

        text = self.text

        duration_ms: int | None
        duration_ms = self.duration_ms

        metadata = self.metadata

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        character_ids = self.character_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "scene_id": scene_id,
                "position": position,
                "text": text,
                "duration_ms": duration_ms,
                "metadata": metadata,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "character_ids": character_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        scene_id = d.pop("scene_id")

        position = d.pop("position")

        text = d.pop("text")

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        metadata = d.pop("metadata")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        character_ids = cast(list[str], d.pop("character_ids"))

        segment = cls(
            id=id,
            project_id=project_id,
            scene_id=scene_id,
            position=position,
            text=text,
            duration_ms=duration_ms,
            metadata=metadata,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            character_ids=character_ids,
        )

        segment.additional_properties = d
        return segment

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
