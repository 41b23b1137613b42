from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.automation_trigger_signature_scheme_type_1 import (
    AutomationTriggerSignatureSchemeType1,
)
from ..models.automation_trigger_signature_scheme_type_2_type_1 import (
    AutomationTriggerSignatureSchemeType2Type1,
)
from ..models.automation_trigger_signature_scheme_type_3_type_1 import (
    AutomationTriggerSignatureSchemeType3Type1,
)
from ..models.automation_trigger_type import AutomationTriggerType
from typing import cast
import datetime


T = TypeVar("T", bound="AutomationTrigger")


@_attrs_define
class AutomationTrigger:
    """What starts the automation.

    Attributes:
        type_ (AutomationTriggerType):
        cron (None | str): `schedule`: five-field cron expression.
        timezone (None | str): `schedule`: IANA zone of `cron`.
        next_run_at (datetime.datetime | None): `schedule`: the next tick.
        endpoint_id (None | str): `webhook`: the public endpoint id.
        url (None | str): `webhook`: where the partner POSTs.
        signature_scheme (AutomationTriggerSignatureSchemeType1 | AutomationTriggerSignatureSchemeType2Type1 |
            AutomationTriggerSignatureSchemeType3Type1 | None):
        signature_header (None | str): `hmac_sha256`: the header carrying the hex signature.
        previous_secret_expires_at (datetime.datetime | None): `webhook`: until then, messages signed with the inbound
            secret before the last rotation are accepted too.
    """

    type_: AutomationTriggerType
    cron: None | str
    timezone: None | str
    next_run_at: datetime.datetime | None
    endpoint_id: None | str
    url: None | str
    signature_scheme: (
        AutomationTriggerSignatureSchemeType1
        | AutomationTriggerSignatureSchemeType2Type1
        | AutomationTriggerSignatureSchemeType3Type1
        | None
    )
    signature_header: None | str
    previous_secret_expires_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        cron: None | str
        cron = self.cron

        timezone: None | str
        timezone = self.timezone

        next_run_at: None | str
        if isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        endpoint_id: None | str
        endpoint_id = self.endpoint_id

        url: None | str
        url = self.url

        signature_scheme: None | str
        if isinstance(self.signature_scheme, AutomationTriggerSignatureSchemeType1):
            signature_scheme = self.signature_scheme.value
        elif isinstance(self.signature_scheme, AutomationTriggerSignatureSchemeType2Type1):
            signature_scheme = self.signature_scheme.value
        elif isinstance(self.signature_scheme, AutomationTriggerSignatureSchemeType3Type1):
            signature_scheme = self.signature_scheme.value
        else:
            signature_scheme = self.signature_scheme

        signature_header: None | str
        signature_header = self.signature_header

        previous_secret_expires_at: None | str
        if isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "cron": cron,
                "timezone": timezone,
                "next_run_at": next_run_at,
                "endpoint_id": endpoint_id,
                "url": url,
                "signature_scheme": signature_scheme,
                "signature_header": signature_header,
                "previous_secret_expires_at": previous_secret_expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = AutomationTriggerType(d.pop("type"))

        def _parse_cron(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cron = _parse_cron(d.pop("cron"))

        def _parse_timezone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timezone = _parse_timezone(d.pop("timezone"))

        def _parse_next_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_run_at = _parse_next_run_at(d.pop("next_run_at"))

        def _parse_endpoint_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        endpoint_id = _parse_endpoint_id(d.pop("endpoint_id"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        def _parse_signature_scheme(
            data: object,
        ) -> (
            AutomationTriggerSignatureSchemeType1
            | AutomationTriggerSignatureSchemeType2Type1
            | AutomationTriggerSignatureSchemeType3Type1
            | None
        ):
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signature_scheme_type_1 = AutomationTriggerSignatureSchemeType1(data)

                return signature_scheme_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signature_scheme_type_2_type_1 = AutomationTriggerSignatureSchemeType2Type1(data)

                return signature_scheme_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signature_scheme_type_3_type_1 = AutomationTriggerSignatureSchemeType3Type1(data)

                return signature_scheme_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                AutomationTriggerSignatureSchemeType1
                | AutomationTriggerSignatureSchemeType2Type1
                | AutomationTriggerSignatureSchemeType3Type1
                | None,
                data,
            )

        signature_scheme = _parse_signature_scheme(d.pop("signature_scheme"))

        def _parse_signature_header(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signature_header = _parse_signature_header(d.pop("signature_header"))

        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(
            d.pop("previous_secret_expires_at")
        )

        automation_trigger = cls(
            type_=type_,
            cron=cron,
            timezone=timezone,
            next_run_at=next_run_at,
            endpoint_id=endpoint_id,
            url=url,
            signature_scheme=signature_scheme,
            signature_header=signature_header,
            previous_secret_expires_at=previous_secret_expires_at,
        )

        automation_trigger.additional_properties = d
        return automation_trigger

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
