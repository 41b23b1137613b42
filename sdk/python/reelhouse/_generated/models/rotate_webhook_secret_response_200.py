from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="RotateWebhookSecretResponse200")


@_attrs_define
class RotateWebhookSecretResponse200:
    """Where the organisation's events are sent.

    Attributes:
        id (str):
        url (str):
        description (str):
        enabled (bool):
        disabled_reason (None | str):
        event_types (list[str]): Event types; `*` matches any one segment (`job.*`), a lone `*` every type.
        project_ids (list[str] | None): Only events of these projects; null: every project.
        event_version (int):
        rate_limit (int | None): Most deliveries per second.
        retry_schedule (list[float] | None): Seconds to wait before each retry; one attempt more than entries. Null: the
            server's default (10 attempts over about 37 hours).
        subscription_query (None | str): A GraphQL subscription selecting the payload, e.g. `subscription { events { id
            type data } }`; it runs at delivery with the current permissions of the credential that saved it (an API key, or
            an OAuth client and its user), and the body is its result. Null: the body is the event.
        failing_since (datetime.datetime | None): Start of the current run of failures; the endpoint is disabled when it
            lasts too long (5 days by default).
        previous_secret_expires_at (datetime.datetime | None): Until then, deliveries are signed with the previous
            secret too.
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        secret (None | str): The new signing secret; shown only now.
    """

    id: str
    url: str
    description: str
    enabled: bool
    disabled_reason: None | str
    event_types: list[str]
    project_ids: list[str] | None
    event_version: int
    rate_limit: int | None
    retry_schedule: list[float] | None
    subscription_query: None | str
    failing_since: datetime.datetime | None
    previous_secret_expires_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    secret: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        description = self.description

        enabled = self.enabled

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        event_types = self.event_types

        project_ids: list[str] | None
        if isinstance(self.project_ids, list):
            project_ids = self.project_ids

        else:
            project_ids = self.project_ids

        event_version = self.event_version

        rate_limit: int | None
        rate_limit = self.rate_limit

        retry_schedule: list[float] | None
        if isinstance(self.retry_schedule, list):
            retry_schedule = self.retry_schedule

        else:
            retry_schedule = self.retry_schedule

        subscription_query: None | str
        subscription_query = self.subscription_query

        failing_since: None | str
        if isinstance(self.failing_since, datetime.datetime):
            failing_since = self.failing_since.isoformat()
        else:
            failing_since = self.failing_since

        previous_secret_expires_at: None | str
        if isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        secret: None | str
        secret = self.secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "description": description,
                "enabled": enabled,
                "disabled_reason": disabled_reason,
                "event_types": event_types,
                "project_ids": project_ids,
                "event_version": event_version,
                "rate_limit": rate_limit,
                "retry_schedule": retry_schedule,
                "subscription_query": subscription_query,
                "failing_since": failing_since,
                "previous_secret_expires_at": previous_secret_expires_at,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "secret": secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        description = d.pop("description")

        enabled = d.pop("enabled")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        event_types = cast(list[str], d.pop("event_types"))

        def _parse_project_ids(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                project_ids_type_0 = cast(list[str], data)

                return project_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        project_ids = _parse_project_ids(d.pop("project_ids"))

        event_version = d.pop("event_version")

        def _parse_rate_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit"))

        def _parse_retry_schedule(data: object) -> list[float] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                retry_schedule_type_0 = cast(list[float], data)

                return retry_schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None, data)

        retry_schedule = _parse_retry_schedule(d.pop("retry_schedule"))

        def _parse_subscription_query(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subscription_query = _parse_subscription_query(d.pop("subscription_query"))

        def _parse_failing_since(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failing_since_type_0 = datetime.datetime.fromisoformat(data)

                return failing_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        failing_since = _parse_failing_since(d.pop("failing_since"))

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

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret = _parse_secret(d.pop("secret"))

        rotate_webhook_secret_response_200 = cls(
            id=id,
            url=url,
            description=description,
            enabled=enabled,
            disabled_reason=disabled_reason,
            event_types=event_types,
            project_ids=project_ids,
            event_version=event_version,
            rate_limit=rate_limit,
            retry_schedule=retry_schedule,
            subscription_query=subscription_query,
            failing_since=failing_since,
            previous_secret_expires_at=previous_secret_expires_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            secret=secret,
        )

        rotate_webhook_secret_response_200.additional_properties = d
        return rotate_webhook_secret_response_200

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
