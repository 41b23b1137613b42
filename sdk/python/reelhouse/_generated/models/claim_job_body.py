from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.claim_job_body_kinds_item import ClaimJobBodyKindsItem
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="ClaimJobBody")


@_attrs_define
class ClaimJobBody:
    """
    Attributes:
        kinds (list[ClaimJobBodyKindsItem]):
        project_id (None | str | Unset): Only this project's jobs; default: every visible project.
    """

    kinds: list[ClaimJobBodyKindsItem]
    project_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kinds = []
        for kinds_item_data in self.kinds:
            kinds_item = kinds_item_data.value
            kinds.append(kinds_item)

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kinds": kinds,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kinds = []
        _kinds = d.pop("kinds")
        for kinds_item_data in _kinds:
            kinds_item = ClaimJobBodyKindsItem(kinds_item_data)

            kinds.append(kinds_item)

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        claim_job_body = cls(
            kinds=kinds,
            project_id=project_id,
        )

        return claim_job_body
