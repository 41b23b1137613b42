from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.error_response_error_code import ErrorResponseErrorCode
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.error_response_error_fields_item import ErrorResponseErrorFieldsItem


T = TypeVar("T", bound="ErrorResponseError")


@_attrs_define
class ErrorResponseError:
    """
    Attributes:
        code (ErrorResponseErrorCode):
        message (str):
        request_id (None | str):
        fields (list[ErrorResponseErrorFieldsItem] | Unset):
    """

    code: ErrorResponseErrorCode
    message: str
    request_id: None | str
    fields: list[ErrorResponseErrorFieldsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_response_error_fields_item import ErrorResponseErrorFieldsItem  # noqa: PLC0415

        code = self.code.value

        message = self.message

        request_id: None | str
        request_id = self.request_id

        fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = []
            for fields_item_data in self.fields:
                fields_item = fields_item_data.to_dict()
                fields.append(fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "request_id": request_id,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_response_error_fields_item import ErrorResponseErrorFieldsItem  # noqa: PLC0415

        d = dict(src_dict)
        code = ErrorResponseErrorCode(d.pop("code"))

        message = d.pop("message")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        _fields = d.pop("fields", UNSET)
        fields: list[ErrorResponseErrorFieldsItem] | Unset = UNSET
        if _fields is not UNSET:
            fields = []
            for fields_item_data in _fields:
                fields_item = ErrorResponseErrorFieldsItem.from_dict(fields_item_data)

                fields.append(fields_item)

        error_response_error = cls(
            code=code,
            message=message,
            request_id=request_id,
            fields=fields,
        )

        error_response_error.additional_properties = d
        return error_response_error

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
