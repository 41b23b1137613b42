from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast


T = TypeVar("T", bound="CreateWebhookEndpointBody")


@_attrs_define
class CreateWebhookEndpointBody:
    """
    Attributes:
        url (str): https (http and private addresses only if the server allows them).
        event_types (list[str] | None | Unset): Event types; `*` matches any one segment (`job.*`), a lone `*` every
            type. Default: every type.
        project_ids (list[str] | None | Unset):
        description (None | str | Unset):
        enabled (bool | None | Unset):
        event_version (int | None | Unset):
        rate_limit (int | None | Unset):
        retry_schedule (list[float] | None | Unset): Seconds to wait before each retry; one attempt more than entries.
            Null: the server's default (10 attempts over about 37 hours).
        subscription_query (None | str | Unset): A GraphQL subscription selecting the payload, e.g. `subscription {
            events { id type data } }`; it runs at delivery with the current permissions of the credential that saved it (an
            API key, or an OAuth client and its user), and the body is its result. Null: the body is the event.
    """

    url: str
    event_types: list[str] | None | Unset = UNSET
    project_ids: list[str] | None | Unset = UNSET
    description: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    event_version: int | None | Unset = UNSET
    rate_limit: int | None | Unset = UNSET
    retry_schedule: list[float] | None | Unset = UNSET
    subscription_query: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | None | Unset
        if isinstance(self.event_types, Unset):
            event_types = UNSET
        elif isinstance(self.event_types, list):
            event_types = self.event_types

        else:
            event_types = self.event_types

        project_ids: list[str] | None | Unset
        if isinstance(self.project_ids, Unset):
            project_ids = UNSET
        elif isinstance(self.project_ids, list):
            project_ids = self.project_ids

        else:
            project_ids = self.project_ids

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        event_version: int | None | Unset
        if isinstance(self.event_version, Unset):
            event_version = UNSET
        else:
            event_version = self.event_version

        rate_limit: int | None | Unset
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = self.rate_limit

        retry_schedule: list[float] | None | Unset
        if isinstance(self.retry_schedule, Unset):
            retry_schedule = UNSET
        elif isinstance(self.retry_schedule, list):
            retry_schedule = self.retry_schedule

        else:
            retry_schedule = self.retry_schedule

        subscription_query: None | str | Unset
        if isinstance(self.subscription_query, Unset):
            subscription_query = UNSET
        else:
            subscription_query = self.subscription_query

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if project_ids is not UNSET:
            field_dict["project_ids"] = project_ids
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if event_version is not UNSET:
            field_dict["event_version"] = event_version
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit
        if retry_schedule is not UNSET:
            field_dict["retry_schedule"] = retry_schedule
        if subscription_query is not UNSET:
            field_dict["subscription_query"] = subscription_query

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        def _parse_event_types(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                event_types_type_0 = cast(list[str], data)

                return event_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        event_types = _parse_event_types(d.pop("event_types", UNSET))

        def _parse_project_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                project_ids_type_0 = cast(list[str], data)

                return project_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        project_ids = _parse_project_ids(d.pop("project_ids", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_event_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        event_version = _parse_event_version(d.pop("event_version", UNSET))

        def _parse_rate_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit", UNSET))

        def _parse_retry_schedule(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                retry_schedule_type_0 = cast(list[float], data)

                return retry_schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        retry_schedule = _parse_retry_schedule(d.pop("retry_schedule", UNSET))

        def _parse_subscription_query(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subscription_query = _parse_subscription_query(d.pop("subscription_query", UNSET))

        create_webhook_endpoint_body = cls(
            url=url,
            event_types=event_types,
            project_ids=project_ids,
            description=description,
            enabled=enabled,
            event_version=event_version,
            rate_limit=rate_limit,
            retry_schedule=retry_schedule,
            subscription_query=subscription_query,
        )

        return create_webhook_endpoint_body
