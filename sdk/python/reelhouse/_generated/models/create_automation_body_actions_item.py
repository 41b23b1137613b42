from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_automation_body_actions_item_type import CreateAutomationBodyActionsItemType
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateAutomationBodyActionsItem")


@_attrs_define
class CreateAutomationBodyActionsItem:
    """One action. Strings may hold references, `{{trigger.assetId}}` or `{{actions.0.output.jobId}}`, resolved when the
    run reaches the action (a string that is one reference keeps the value's type).

        Attributes:
            type_ (CreateAutomationBodyActionsItemType):
            template_id (None | str | Unset):
            variables (Any | Unset):
            input_ (Any | Unset):
            wait_for_job (bool | None | Unset):
            url (None | str | Unset):
            headers (Any | Unset):
            body (Any | Unset):
    """

    type_: CreateAutomationBodyActionsItemType
    template_id: None | str | Unset = UNSET
    variables: Any | Unset = UNSET
    input_: Any | Unset = UNSET
    wait_for_job: bool | None | Unset = UNSET
    url: None | str | Unset = UNSET
    headers: Any | Unset = UNSET
    body: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        else:
            template_id = self.template_id

        variables = self.variables

        input_ = self.input_

        wait_for_job: bool | None | Unset
        if isinstance(self.wait_for_job, Unset):
            wait_for_job = UNSET
        else:
            wait_for_job = self.wait_for_job

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        headers = self.headers

        body = self.body

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if template_id is not UNSET:
            field_dict["template_id"] = template_id
        if variables is not UNSET:
            field_dict["variables"] = variables
        if input_ is not UNSET:
            field_dict["input"] = input_
        if wait_for_job is not UNSET:
            field_dict["wait_for_job"] = wait_for_job
        if url is not UNSET:
            field_dict["url"] = url
        if headers is not UNSET:
            field_dict["headers"] = headers
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = CreateAutomationBodyActionsItemType(d.pop("type"))

        def _parse_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template_id = _parse_template_id(d.pop("template_id", UNSET))

        variables = d.pop("variables", UNSET)

        input_ = d.pop("input", UNSET)

        def _parse_wait_for_job(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        wait_for_job = _parse_wait_for_job(d.pop("wait_for_job", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        headers = d.pop("headers", UNSET)

        body = d.pop("body", UNSET)

        create_automation_body_actions_item = cls(
            type_=type_,
            template_id=template_id,
            variables=variables,
            input_=input_,
            wait_for_job=wait_for_job,
            url=url,
            headers=headers,
            body=body,
        )

        return create_automation_body_actions_item
