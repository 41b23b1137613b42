from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="ManifestErrorsItem")


@_attrs_define
class ManifestErrorsItem:
    """One way a manifest breaks its schema.

    Attributes:
        pointer (str): JSON Pointer (RFC 6901) into the document, e.g. `/assets/3/sha256`; empty for the document
            itself.
        code (str): REQUIRED, TYPE, FORMAT, PATTERN, NOT_ALLOWED, TOO_SHORT, TOO_LONG, OUT_OF_RANGE, UNKNOWN_FIELD,
            INVALID_NAME, DUPLICATE, SCHEMA_ERROR or INVALID.
        message (str):
    """

    pointer: str
    code: str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pointer = self.pointer

        code = self.code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pointer": pointer,
                "code": code,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pointer = d.pop("pointer")

        code = d.pop("code")

        message = d.pop("message")

        manifest_errors_item = cls(
            pointer=pointer,
            code=code,
            message=message,
        )

        manifest_errors_item.additional_properties = d
        return manifest_errors_item

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
