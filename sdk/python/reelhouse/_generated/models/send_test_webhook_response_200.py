from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.send_test_webhook_response_200_status import SendTestWebhookResponse200Status
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.send_test_webhook_response_200_attempt_type_0 import (
        SendTestWebhookResponse200AttemptType0,
    )
    from ..models.send_test_webhook_response_200_attempts_item import (
        SendTestWebhookResponse200AttemptsItem,
    )


T = TypeVar("T", bound="SendTestWebhookResponse200")


@_attrs_define
class SendTestWebhookResponse200:
    """One event sent to one endpoint.

    Attributes:
        id (str):
        endpoint_id (str):
        event_id (None | str): Null for test deliveries.
        message_id (str): The `webhook-id` header; same on retries.
        event_type (str):
        aggregate_id (None | str):
        sequence (int):
        status (SendTestWebhookResponse200Status):
        attempt_count (int):
        next_attempt_at (datetime.datetime | None): Null unless pending, or while it waits for an earlier event of the
            same aggregate to this endpoint.
        last_status_code (int | None):
        last_error (None | str):
        is_test (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        finished_at (datetime.datetime | None):
        attempts (list[SendTestWebhookResponse200AttemptsItem]): The attempts, first to last (the latest 50).
        attempt (None | SendTestWebhookResponse200AttemptType0): One try at sending a delivery.
    """

    id: str
    endpoint_id: str
    event_id: None | str
    message_id: str
    event_type: str
    aggregate_id: None | str
    sequence: int
    status: SendTestWebhookResponse200Status
    attempt_count: int
    next_attempt_at: datetime.datetime | None
    last_status_code: int | None
    last_error: None | str
    is_test: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    finished_at: datetime.datetime | None
    attempts: list[SendTestWebhookResponse200AttemptsItem]
    attempt: None | SendTestWebhookResponse200AttemptType0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.send_test_webhook_response_200_attempt_type_0 import (
            SendTestWebhookResponse200AttemptType0,
        )  # noqa: PLC0415
        from ..models.send_test_webhook_response_200_attempts_item import (
            SendTestWebhookResponse200AttemptsItem,
        )  # noqa: PLC0415

        id = self.id

        endpoint_id = self.endpoint_id

        event_id: None | str
        event_id = self.event_id

        message_id = self.message_id

        event_type = self.event_type

        aggregate_id: None | str
        aggregate_id = self.aggregate_id

        sequence = self.sequence

        status = self.status.value

        attempt_count = self.attempt_count

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        last_status_code: int | None
        last_status_code = self.last_status_code

        last_error: None | str
        last_error = self.last_error

        is_test = self.is_test

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        attempts = []
        for attempts_item_data in self.attempts:
            attempts_item = attempts_item_data.to_dict()
            attempts.append(attempts_item)

        attempt: dict[str, Any] | None
        if isinstance(self.attempt, SendTestWebhookResponse200AttemptType0):
            attempt = self.attempt.to_dict()
        else:
            attempt = self.attempt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "endpoint_id": endpoint_id,
                "event_id": event_id,
                "message_id": message_id,
                "event_type": event_type,
                "aggregate_id": aggregate_id,
                "sequence": sequence,
                "status": status,
                "attempt_count": attempt_count,
                "next_attempt_at": next_attempt_at,
                "last_status_code": last_status_code,
                "last_error": last_error,
                "is_test": is_test,
                "created_at": created_at,
                "updated_at": updated_at,
                "finished_at": finished_at,
                "attempts": attempts,
                "attempt": attempt,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.send_test_webhook_response_200_attempt_type_0 import (
            SendTestWebhookResponse200AttemptType0,
        )  # noqa: PLC0415
        from ..models.send_test_webhook_response_200_attempts_item import (
            SendTestWebhookResponse200AttemptsItem,
        )  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        endpoint_id = d.pop("endpoint_id")

        def _parse_event_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        event_id = _parse_event_id(d.pop("event_id"))

        message_id = d.pop("message_id")

        event_type = d.pop("event_type")

        def _parse_aggregate_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        aggregate_id = _parse_aggregate_id(d.pop("aggregate_id"))

        sequence = d.pop("sequence")

        status = SendTestWebhookResponse200Status(d.pop("status"))

        attempt_count = d.pop("attempt_count")

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

        def _parse_last_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status_code = _parse_last_status_code(d.pop("last_status_code"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        is_test = d.pop("is_test")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        attempts = []
        _attempts = d.pop("attempts")
        for attempts_item_data in _attempts:
            attempts_item = SendTestWebhookResponse200AttemptsItem.from_dict(attempts_item_data)

            attempts.append(attempts_item)

        def _parse_attempt(data: object) -> None | SendTestWebhookResponse200AttemptType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attempt_type_0 = SendTestWebhookResponse200AttemptType0.from_dict(data)

                return attempt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SendTestWebhookResponse200AttemptType0, data)

        attempt = _parse_attempt(d.pop("attempt"))

        send_test_webhook_response_200 = cls(
            id=id,
            endpoint_id=endpoint_id,
            event_id=event_id,
            message_id=message_id,
            event_type=event_type,
            aggregate_id=aggregate_id,
            sequence=sequence,
            status=status,
            attempt_count=attempt_count,
            next_attempt_at=next_attempt_at,
            last_status_code=last_status_code,
            last_error=last_error,
            is_test=is_test,
            created_at=created_at,
            updated_at=updated_at,
            finished_at=finished_at,
            attempts=attempts,
            attempt=attempt,
        )

        send_test_webhook_response_200.additional_properties = d
        return send_test_webhook_response_200

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
