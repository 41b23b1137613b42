from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateSegmentBody")


@_attrs_define
class CreateSegmentBody:
    """
    Attributes:
        text (None | str | Unset):
        duration_ms (int | None | Unset):
        character_ids (list[str] | None | Unset): Characters of the same project, in cast order.
        metadata (Any | Unset):
        position (int | None | Unset): Index to insert at (0 = first); later items shift down. Omitted: at the end.
    """

    text: None | str | Unset = UNSET
    duration_ms: int | None | Unset = UNSET
    character_ids: list[str] | None | Unset = UNSET
    metadata: Any | Unset = UNSET
    position: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        duration_ms: int | None | Unset
        if isinstance(self.duration_ms, Unset):
            duration_ms = UNSET
        else:
            duration_ms = self.duration_ms

        character_ids: list[str] | None | Unset
        if isinstance(self.character_ids, Unset):
            character_ids = UNSET
        elif isinstance(self.character_ids, list):
            character_ids = self.character_ids

        else:
            character_ids = self.character_ids

        metadata = self.metadata

        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if text is not UNSET:
            field_dict["text"] = text
        if duration_ms is not UNSET:
            field_dict["duration_ms"] = duration_ms
        if character_ids is not UNSET:
            field_dict["character_ids"] = character_ids
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if position is not UNSET:
            field_dict["position"] = position

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_duration_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms", UNSET))

        def _parse_character_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                character_ids_type_0 = cast(list[str], data)

                return character_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        character_ids = _parse_character_ids(d.pop("character_ids", UNSET))

        metadata = d.pop("metadata", UNSET)

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))

        create_segment_body = cls(
            text=text,
            duration_ms=duration_ms,
            character_ids=character_ids,
            metadata=metadata,
            position=position,
        )

        return create_segment_body
