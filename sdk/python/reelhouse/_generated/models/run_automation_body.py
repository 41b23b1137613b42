from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset


T = TypeVar("T", bound="RunAutomationBody")


@_attrs_define
class RunAutomationBody:
    """
    Attributes:
        trigger (Any | Unset): What `{{trigger.…}}` reads in this run, e.g. `{assetId}`.
    """

    trigger: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        trigger = self.trigger

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if trigger is not UNSET:
            field_dict["trigger"] = trigger

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        trigger = d.pop("trigger", UNSET)

        run_automation_body = cls(
            trigger=trigger,
        )

        return run_automation_body
