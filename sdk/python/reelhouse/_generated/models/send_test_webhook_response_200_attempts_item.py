from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.send_test_webhook_response_200_attempts_item_request_headers_item import (
        SendTestWebhookResponse200AttemptsItemRequestHeadersItem,
    )
    from ..models.send_test_webhook_response_200_attempts_item_response_headers_item import (
        SendTestWebhookResponse200AttemptsItemResponseHeadersItem,
    )


T = TypeVar("T", bound="SendTestWebhookResponse200AttemptsItem")


@_attrs_define
class SendTestWebhookResponse200AttemptsItem:
    """One try at sending a delivery.

    Attributes:
        attempt (int): 1 for the first attempt.
        started_at (datetime.datetime):
        duration_ms (int):
        status_code (int | None): Null when no answer came.
        succeeded (bool):
        response_excerpt (None | str): First 1 KB of the answer.
        error (None | str): Why no answer came (timeout, refused…).
        next_attempt_at (datetime.datetime | None): When it is retried.
        request_body (None | str): First 4 KB of the body sent.
        request_headers (list[SendTestWebhookResponse200AttemptsItemRequestHeadersItem]): The request's headers as sent
            (signatures included).
        response_headers (list[SendTestWebhookResponse200AttemptsItemResponseHeadersItem]): The answer's headers (the
            first 50); empty when no answer came.
    """

    attempt: int
    started_at: datetime.datetime
    duration_ms: int
    status_code: int | None
    succeeded: bool
    response_excerpt: None | str
    error: None | str
    next_attempt_at: datetime.datetime | None
    request_body: None | str
    request_headers: list[SendTestWebhookResponse200AttemptsItemRequestHeadersItem]
    response_headers: list[SendTestWebhookResponse200AttemptsItemResponseHeadersItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.send_test_webhook_response_200_attempts_item_request_headers_item import (
            SendTestWebhookResponse200AttemptsItemRequestHeadersItem,
        )  # noqa: PLC0415
        from ..models.send_test_webhook_response_200_attempts_item_response_headers_item import (
            SendTestWebhookResponse200AttemptsItemResponseHeadersItem,
        )  # noqa: PLC0415

        attempt = self.attempt

        started_at = self.started_at.isoformat()

        duration_ms = self.duration_ms

        status_code: int | None
        status_code = self.status_code

        succeeded = self.succeeded

        response_excerpt: None | str
        response_excerpt = self.response_excerpt

        error: None | str
        error = self.error

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        request_body: None | str
        request_body = self.request_body

        request_headers = []
        for request_headers_item_data in self.request_headers:
            request_headers_item = request_headers_item_data.to_dict()
            request_headers.append(request_headers_item)

        response_headers = []
        for response_headers_item_data in self.response_headers:
            response_headers_item = response_headers_item_data.to_dict()
            response_headers.append(response_headers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "started_at": started_at,
                "duration_ms": duration_ms,
                "status_code": status_code,
                "succeeded": succeeded,
                "response_excerpt": response_excerpt,
                "error": error,
                "next_attempt_at": next_attempt_at,
                "request_body": request_body,
                "request_headers": request_headers,
                "response_headers": response_headers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.send_test_webhook_response_200_attempts_item_request_headers_item import (
            SendTestWebhookResponse200AttemptsItemRequestHeadersItem,
        )  # noqa: PLC0415
        from ..models.send_test_webhook_response_200_attempts_item_response_headers_item import (
            SendTestWebhookResponse200AttemptsItemResponseHeadersItem,
        )  # noqa: PLC0415

        d = dict(src_dict)
        attempt = d.pop("attempt")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        duration_ms = d.pop("duration_ms")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        succeeded = d.pop("succeeded")

        def _parse_response_excerpt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_excerpt = _parse_response_excerpt(d.pop("response_excerpt"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_request_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_body = _parse_request_body(d.pop("request_body"))

        request_headers = []
        _request_headers = d.pop("request_headers")
        for request_headers_item_data in _request_headers:
            request_headers_item = (
                SendTestWebhookResponse200AttemptsItemRequestHeadersItem.from_dict(
                    request_headers_item_data
                )
            )

            request_headers.append(request_headers_item)

        response_headers = []
        _response_headers = d.pop("response_headers")
        for response_headers_item_data in _response_headers:
            response_headers_item = (
                SendTestWebhookResponse200AttemptsItemResponseHeadersItem.from_dict(
                    response_headers_item_data
                )
            )

            response_headers.append(response_headers_item)

        send_test_webhook_response_200_attempts_item = cls(
            attempt=attempt,
            started_at=started_at,
            duration_ms=duration_ms,
            status_code=status_code,
            succeeded=succeeded,
            response_excerpt=response_excerpt,
            error=error,
            next_attempt_at=next_attempt_at,
            request_body=request_body,
            request_headers=request_headers,
            response_headers=response_headers,
        )

        send_test_webhook_response_200_attempts_item.additional_properties = d
        return send_test_webhook_response_200_attempts_item

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
