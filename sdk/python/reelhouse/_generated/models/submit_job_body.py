from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.submit_job_body_kind import SubmitJobBodyKind
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="SubmitJobBody")


@_attrs_define
class SubmitJobBody:
    """
    Attributes:
        kind (SubmitJobBodyKind):
        template_id (None | str | Unset):
        variables (Any | Unset): Values by variable key; checked against the template.
        input_ (Any | Unset):
        metadata (Any | Unset):
    """

    kind: SubmitJobBodyKind
    template_id: None | str | Unset = UNSET
    variables: Any | Unset = UNSET
    input_: Any | Unset = UNSET
    metadata: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        else:
            template_id = self.template_id

        variables = self.variables

        input_ = self.input_

        metadata = self.metadata

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if template_id is not UNSET:
            field_dict["template_id"] = template_id
        if variables is not UNSET:
            field_dict["variables"] = variables
        if input_ is not UNSET:
            field_dict["input"] = input_
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = SubmitJobBodyKind(d.pop("kind"))

        def _parse_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template_id = _parse_template_id(d.pop("template_id", UNSET))

        variables = d.pop("variables", UNSET)

        input_ = d.pop("input", UNSET)

        metadata = d.pop("metadata", UNSET)

        submit_job_body = cls(
            kind=kind,
            template_id=template_id,
            variables=variables,
            input_=input_,
            metadata=metadata,
        )

        return submit_job_body
