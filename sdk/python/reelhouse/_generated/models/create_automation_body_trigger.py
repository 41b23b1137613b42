from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_automation_body_trigger_signature_scheme_type_1 import (
    CreateAutomationBodyTriggerSignatureSchemeType1,
)
from ..models.create_automation_body_trigger_signature_scheme_type_2_type_1 import (
    CreateAutomationBodyTriggerSignatureSchemeType2Type1,
)
from ..models.create_automation_body_trigger_signature_scheme_type_3_type_1 import (
    CreateAutomationBodyTriggerSignatureSchemeType3Type1,
)
from ..models.create_automation_body_trigger_type import CreateAutomationBodyTriggerType
from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateAutomationBodyTrigger")


@_attrs_define
class CreateAutomationBodyTrigger:
    """
    Attributes:
        type_ (CreateAutomationBodyTriggerType):
        cron (None | str | Unset): `schedule`: `0 9 * * 1-5`.
        timezone (None | str | Unset): `schedule`; default UTC.
        signature_scheme (CreateAutomationBodyTriggerSignatureSchemeType1 |
            CreateAutomationBodyTriggerSignatureSchemeType2Type1 | CreateAutomationBodyTriggerSignatureSchemeType3Type1 |
            None | Unset): `webhook`; default `standard_webhooks`.
        signature_header (None | str | Unset): `hmac_sha256`; default `X-Signature-256`.
    """

    type_: CreateAutomationBodyTriggerType
    cron: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET
    signature_scheme: (
        CreateAutomationBodyTriggerSignatureSchemeType1
        | CreateAutomationBodyTriggerSignatureSchemeType2Type1
        | CreateAutomationBodyTriggerSignatureSchemeType3Type1
        | None
        | Unset
    ) = UNSET
    signature_header: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        cron: None | str | Unset
        if isinstance(self.cron, Unset):
            cron = UNSET
        else:
            cron = self.cron

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        signature_scheme: None | str | Unset
        if isinstance(self.signature_scheme, Unset):
            signature_scheme = UNSET
        elif isinstance(self.signature_scheme, CreateAutomationBodyTriggerSignatureSchemeType1):
            signature_scheme = self.signature_scheme.value
        elif isinstance(
            self.signature_scheme, CreateAutomationBodyTriggerSignatureSchemeType2Type1
        ):
            signature_scheme = self.signature_scheme.value
        elif isinstance(
            self.signature_scheme, CreateAutomationBodyTriggerSignatureSchemeType3Type1
        ):
            signature_scheme = self.signature_scheme.value
        else:
            signature_scheme = self.signature_scheme

        signature_header: None | str | Unset
        if isinstance(self.signature_header, Unset):
            signature_header = UNSET
        else:
            signature_header = self.signature_header

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if cron is not UNSET:
            field_dict["cron"] = cron
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if signature_scheme is not UNSET:
            field_dict["signature_scheme"] = signature_scheme
        if signature_header is not UNSET:
            field_dict["signature_header"] = signature_header

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = CreateAutomationBodyTriggerType(d.pop("type"))

        def _parse_cron(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cron = _parse_cron(d.pop("cron", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_signature_scheme(
            data: object,
        ) -> (
            CreateAutomationBodyTriggerSignatureSchemeType1
            | CreateAutomationBodyTriggerSignatureSchemeType2Type1
            | CreateAutomationBodyTriggerSignatureSchemeType3Type1
            | None
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signature_scheme_type_1 = CreateAutomationBodyTriggerSignatureSchemeType1(data)

                return signature_scheme_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signature_scheme_type_2_type_1 = (
                    CreateAutomationBodyTriggerSignatureSchemeType2Type1(data)
                )

                return signature_scheme_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signature_scheme_type_3_type_1 = (
                    CreateAutomationBodyTriggerSignatureSchemeType3Type1(data)
                )

                return signature_scheme_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                CreateAutomationBodyTriggerSignatureSchemeType1
                | CreateAutomationBodyTriggerSignatureSchemeType2Type1
                | CreateAutomationBodyTriggerSignatureSchemeType3Type1
                | None
                | Unset,
                data,
            )

        signature_scheme = _parse_signature_scheme(d.pop("signature_scheme", UNSET))

        def _parse_signature_header(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        signature_header = _parse_signature_header(d.pop("signature_header", UNSET))

        create_automation_body_trigger = cls(
            type_=type_,
            cron=cron,
            timezone=timezone,
            signature_scheme=signature_scheme,
            signature_header=signature_header,
        )

        return create_automation_body_trigger
