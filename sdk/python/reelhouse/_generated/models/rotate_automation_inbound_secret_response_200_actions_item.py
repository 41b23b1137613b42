from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rotate_automation_inbound_secret_response_200_actions_item_type import (
    RotateAutomationInboundSecretResponse200ActionsItemType,
)
from typing import cast


T = TypeVar("T", bound="RotateAutomationInboundSecretResponse200ActionsItem")


@_attrs_define
class RotateAutomationInboundSecretResponse200ActionsItem:
    """One step of an automation. Strings may hold references, `{{trigger.assetId}}` or `{{actions.0.output.jobId}}`,
    resolved when the run reaches the action (a string that is one reference keeps the value's type).

        Attributes:
            type_ (RotateAutomationInboundSecretResponse200ActionsItemType):
            template_id (None | str): `render`: the template.
            variables (Any): `render`: the job's variables.
            input_ (Any): `render`: the job's input.
            wait_for_job (bool | None): `render`: wait until the job finishes (its output then includes `output_asset_id`);
                a failed job fails the run.
            url (None | str): `webhook`: where to POST.
            headers (Any): `webhook`: extra headers.
            body (Any): `webhook`: the JSON body; null sends the run (trigger and action outputs).
    """

    type_: RotateAutomationInboundSecretResponse200ActionsItemType
    template_id: None | str
    variables: Any
    input_: Any
    wait_for_job: bool | None
    url: None | str
    headers: Any
    body: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        template_id: None | str
        template_id = self.template_id

        variables = self.variables

        input_ = self.input_

        wait_for_job: bool | None
        wait_for_job = self.wait_for_job

        url: None | str
        url = self.url

        headers = self.headers

        body = self.body

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "template_id": template_id,
                "variables": variables,
                "input": input_,
                "wait_for_job": wait_for_job,
                "url": url,
                "headers": headers,
                "body": body,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = RotateAutomationInboundSecretResponse200ActionsItemType(d.pop("type"))

        def _parse_template_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        template_id = _parse_template_id(d.pop("template_id"))

        variables = d.pop("variables")

        input_ = d.pop("input")

        def _parse_wait_for_job(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        wait_for_job = _parse_wait_for_job(d.pop("wait_for_job"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        headers = d.pop("headers")

        body = d.pop("body")

        rotate_automation_inbound_secret_response_200_actions_item = cls(
            type_=type_,
            template_id=template_id,
            variables=variables,
            input_=input_,
            wait_for_job=wait_for_job,
            url=url,
            headers=headers,
            body=body,
        )

        rotate_automation_inbound_secret_response_200_actions_item.additional_properties = d
        return rotate_automation_inbound_secret_response_200_actions_item

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
