from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast


T = TypeVar("T", bound="AssetMediaType0")


@_attrs_define
class AssetMediaType0:
    """Width, height, duration, codec and fps of an uploaded media file, read once it is processed; null before, and for
    other files.

        Attributes:
            width (int | None): Pixels; null without a video stream.
            height (int | None):
            duration_seconds (float | None):
            codec (None | str): Of the video stream, else the audio one.
            fps (float | None): Average frames per second.
            audio_codec (None | str):
            format_ (None | str): Container format, as ffprobe names it.
    """

    width: int | None
    height: int | None
    duration_seconds: float | None
    codec: None | str
    fps: float | None
    audio_codec: None | str
    format_: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        width: int | None
        width = self.width

        height: int | None
        height = self.height

        duration_seconds: float | None
        duration_seconds = self.duration_seconds

        codec: None | str
        codec = self.codec

        fps: float | None
        fps = self.fps

        audio_codec: None | str
        audio_codec = self.audio_codec

        format_: None | str
        format_ = self.format_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "width": width,
                "height": height,
                "duration_seconds": duration_seconds,
                "codec": codec,
                "fps": fps,
                "audio_codec": audio_codec,
                "format": format_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_width(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        width = _parse_width(d.pop("width"))

        def _parse_height(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        height = _parse_height(d.pop("height"))

        def _parse_duration_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_seconds = _parse_duration_seconds(d.pop("duration_seconds"))

        def _parse_codec(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        codec = _parse_codec(d.pop("codec"))

        def _parse_fps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        fps = _parse_fps(d.pop("fps"))

        def _parse_audio_codec(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        audio_codec = _parse_audio_codec(d.pop("audio_codec"))

        def _parse_format_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        format_ = _parse_format_(d.pop("format"))

        asset_media_type_0 = cls(
            width=width,
            height=height,
            duration_seconds=duration_seconds,
            codec=codec,
            fps=fps,
            audio_codec=audio_codec,
            format_=format_,
        )

        asset_media_type_0.additional_properties = d
        return asset_media_type_0

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
