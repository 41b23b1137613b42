from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.audit_record_transport import AuditRecordTransport
from typing import cast
import datetime


T = TypeVar("T", bound="AuditRecord")


@_attrs_define
class AuditRecord:
    """One call: who made it, from where, what it asked and what came back. Secrets in the arguments are stored as
    `[REDACTED]`.

        Attributes:
            id (str):
            request_id (str): Our `X-Request-Id` (`req_…`).
            correlation_id (None | str): The caller's `X-Correlation-Id` (or `X-Request-Id`).
            traceparent (None | str): The caller's W3C `traceparent`.
            occurred_at (datetime.datetime): When the call arrived.
            credential_id (None | str): The API key, OAuth client, or (console) user that made the call; null when it
                presented no valid credential.
            key_id (None | str):
            client_id (None | str):
            user_id (None | str):
            org_id (None | str):
            project_id (None | str): The project the call addressed, when its arguments name one.
            client_ip (None | str):
            transport (AuditRecordTransport):
            method (None | str): HTTP method; null for a subscription on a WebSocket.
            path (str):
            operation_type (None | str): query, mutation or subscription.
            operation_name (None | str):
            operation (None | str): The operation name, or else the first root field (a REST route's field).
            root_fields (list[str]):
            arguments (Any): The root fields' arguments (or query parameters), secrets redacted.
            status (int): HTTP status; a WebSocket connection: 101, or the close code (≥ 4000) that refused it; a
                subscription: 200 or the status of the error that ended it.
            error_codes (list[str]):
            cost (int | None): Rate-limit points the call cost.
            duration_ms (float):
    """

    id: str
    request_id: str
    correlation_id: None | str
    traceparent: None | str
    occurred_at: datetime.datetime
    credential_id: None | str
    key_id: None | str
    client_id: None | str
    user_id: None | str
    org_id: None | str
    project_id: None | str
    client_ip: None | str
    transport: AuditRecordTransport
    method: None | str
    path: str
    operation_type: None | str
    operation_name: None | str
    operation: None | str
    root_fields: list[str]
    arguments: Any
    status: int
    error_codes: list[str]
    cost: int | None
    duration_ms: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        request_id = self.request_id

        correlation_id: None | str
        correlation_id = self.correlation_id

        traceparent: None | str
        traceparent = self.traceparent

        occurred_at = self.occurred_at.isoformat()

        credential_id: None | str
        credential_id = self.credential_id

        key_id: None | str
        key_id = self.key_id

        client_id: None | str
        client_id = self.client_id

        user_id: None | str
        user_id = self.user_id

        org_id: None | str
        org_id = self.org_id

        project_id: None | str
        project_id = self.project_id

        client_ip: None | str
        client_ip = self.client_ip

        transport = self.transport.value

        method: None | str
        method = self.method

        path = self.path

        operation_type: None | str
        operation_type = self.operation_type

        operation_name: None | str
        operation_name = self.operation_name

        operation: None | str
        operation = self.operation

        root_fields = self.root_fields

        arguments = self.arguments

        status = self.status

        error_codes = self.error_codes

        cost: int | None
        cost = self.cost

        duration_ms = self.duration_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "request_id": request_id,
                "correlation_id": correlation_id,
                "traceparent": traceparent,
                "occurred_at": occurred_at,
                "credential_id": credential_id,
                "key_id": key_id,
                "client_id": client_id,
                "user_id": user_id,
                "org_id": org_id,
                "project_id": project_id,
                "client_ip": client_ip,
                "transport": transport,
                "method": method,
                "path": path,
                "operation_type": operation_type,
                "operation_name": operation_name,
                "operation": operation,
                "root_fields": root_fields,
                "arguments": arguments,
                "status": status,
                "error_codes": error_codes,
                "cost": cost,
                "duration_ms": duration_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        request_id = d.pop("request_id")

        def _parse_correlation_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        correlation_id = _parse_correlation_id(d.pop("correlation_id"))

        def _parse_traceparent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        traceparent = _parse_traceparent(d.pop("traceparent"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_credential_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        credential_id = _parse_credential_id(d.pop("credential_id"))

        def _parse_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key_id = _parse_key_id(d.pop("key_id"))

        def _parse_client_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_id = _parse_client_id(d.pop("client_id"))

        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        def _parse_org_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        org_id = _parse_org_id(d.pop("org_id"))

        def _parse_project_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        project_id = _parse_project_id(d.pop("project_id"))

        def _parse_client_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_ip = _parse_client_ip(d.pop("client_ip"))

        transport = AuditRecordTransport(d.pop("transport"))

        def _parse_method(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        method = _parse_method(d.pop("method"))

        path = d.pop("path")

        def _parse_operation_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        operation_type = _parse_operation_type(d.pop("operation_type"))

        def _parse_operation_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        operation_name = _parse_operation_name(d.pop("operation_name"))

        def _parse_operation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        operation = _parse_operation(d.pop("operation"))

        root_fields = cast(list[str], d.pop("root_fields"))

        arguments = d.pop("arguments")

        status = d.pop("status")

        error_codes = cast(list[str], d.pop("error_codes"))

        def _parse_cost(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        cost = _parse_cost(d.pop("cost"))

        duration_ms = d.pop("duration_ms")

        audit_record = cls(
            id=id,
            request_id=request_id,
            correlation_id=correlation_id,
            traceparent=traceparent,
            occurred_at=occurred_at,
            credential_id=credential_id,
            key_id=key_id,
            client_id=client_id,
            user_id=user_id,
            org_id=org_id,
            project_id=project_id,
            client_ip=client_ip,
            transport=transport,
            method=method,
            path=path,
            operation_type=operation_type,
            operation_name=operation_name,
            operation=operation,
            root_fields=root_fields,
            arguments=arguments,
            status=status,
            error_codes=error_codes,
            cost=cost,
            duration_ms=duration_ms,
        )

        audit_record.additional_properties = d
        return audit_record

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
