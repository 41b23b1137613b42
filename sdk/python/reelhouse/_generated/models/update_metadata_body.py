from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="UpdateMetadataBody")


@_attrs_define
class UpdateMetadataBody:
    """
    Attributes:
        set_ (Any | Unset): Keys to add or overwrite (a JSON object).
        remove (list[str] | None | Unset): Keys to delete.
    """

    set_: Any | Unset = UNSET
    remove: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        set_ = self.set_

        remove: list[str] | None | Unset
        if isinstance(self.remove, Unset):
            remove = UNSET
        elif isinstance(self.remove, list):
            remove = self.remove

        else:
            remove = self.remove

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if set_ is not UNSET:
            field_dict["set"] = set_
        if remove is not UNSET:
            field_dict["remove"] = remove

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        set_ = d.pop("set", UNSET)

        def _parse_remove(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                remove_type_0 = cast(list[str], data)

                return remove_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        remove = _parse_remove(d.pop("remove", UNSET))

        update_metadata_body = cls(
            set_=set_,
            remove=remove,
        )

        return update_metadata_body
