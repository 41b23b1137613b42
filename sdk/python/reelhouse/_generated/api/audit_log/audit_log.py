from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.audit_log_transport import AuditLogTransport
from ...models.audit_record_list import AuditRecordList
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    *,
    key_id: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    transport: AuditLogTransport | Unset = UNSET,
    operation: str | Unset = UNSET,
    path: str | Unset = UNSET,
    status: int | Unset = UNSET,
    error_code: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["key_id"] = key_id

    params["client_id"] = client_id

    params["user_id"] = user_id

    json_transport: str | Unset = UNSET
    if not isinstance(transport, Unset):
        json_transport = transport.value

    params["transport"] = json_transport

    params["operation"] = operation

    params["path"] = path

    params["status"] = status

    params["error_code"] = error_code

    params["request_id"] = request_id

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["limit"] = limit

    params["cursor"] = cursor

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit_log",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditRecordList | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AuditRecordList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuditRecordList | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    key_id: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    transport: AuditLogTransport | Unset = UNSET,
    operation: str | Unset = UNSET,
    path: str | Unset = UNSET,
    status: int | Unset = UNSET,
    error_code: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[AuditRecordList | ErrorResponse]:
    """Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

     Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

    Runs GraphQL `query { auditLog }`.

    Args:
        key_id (str | Unset):
        client_id (str | Unset):
        user_id (str | Unset):
        transport (AuditLogTransport | Unset):
        operation (str | Unset):
        path (str | Unset):
        status (int | Unset):
        error_code (str | Unset):
        request_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditRecordList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        client_id=client_id,
        user_id=user_id,
        transport=transport,
        operation=operation,
        path=path,
        status=status,
        error_code=error_code,
        request_id=request_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    key_id: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    transport: AuditLogTransport | Unset = UNSET,
    operation: str | Unset = UNSET,
    path: str | Unset = UNSET,
    status: int | Unset = UNSET,
    error_code: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> AuditRecordList | ErrorResponse | None:
    """Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

     Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

    Runs GraphQL `query { auditLog }`.

    Args:
        key_id (str | Unset):
        client_id (str | Unset):
        user_id (str | Unset):
        transport (AuditLogTransport | Unset):
        operation (str | Unset):
        path (str | Unset):
        status (int | Unset):
        error_code (str | Unset):
        request_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditRecordList | ErrorResponse
    """

    return sync_detailed(
        client=client,
        key_id=key_id,
        client_id=client_id,
        user_id=user_id,
        transport=transport,
        operation=operation,
        path=path,
        status=status,
        error_code=error_code,
        request_id=request_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    key_id: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    transport: AuditLogTransport | Unset = UNSET,
    operation: str | Unset = UNSET,
    path: str | Unset = UNSET,
    status: int | Unset = UNSET,
    error_code: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[AuditRecordList | ErrorResponse]:
    """Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

     Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

    Runs GraphQL `query { auditLog }`.

    Args:
        key_id (str | Unset):
        client_id (str | Unset):
        user_id (str | Unset):
        transport (AuditLogTransport | Unset):
        operation (str | Unset):
        path (str | Unset):
        status (int | Unset):
        error_code (str | Unset):
        request_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditRecordList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        client_id=client_id,
        user_id=user_id,
        transport=transport,
        operation=operation,
        path=path,
        status=status,
        error_code=error_code,
        request_id=request_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    key_id: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    transport: AuditLogTransport | Unset = UNSET,
    operation: str | Unset = UNSET,
    path: str | Unset = UNSET,
    status: int | Unset = UNSET,
    error_code: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> AuditRecordList | ErrorResponse | None:
    """Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

     Every call made to the organisation's API (including refused ones), newest first. A credential
    limited to projects sees the calls that addressed them.

    Runs GraphQL `query { auditLog }`.

    Args:
        key_id (str | Unset):
        client_id (str | Unset):
        user_id (str | Unset):
        transport (AuditLogTransport | Unset):
        operation (str | Unset):
        path (str | Unset):
        status (int | Unset):
        error_code (str | Unset):
        request_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditRecordList | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            key_id=key_id,
            client_id=client_id,
            user_id=user_id,
            transport=transport,
            operation=operation,
            path=path,
            status=status,
            error_code=error_code,
            request_id=request_id,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
            ending_before=ending_before,
        )
    ).parsed
