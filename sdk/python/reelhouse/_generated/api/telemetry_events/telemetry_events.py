from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.telemetry_event_list import TelemetryEventList
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    *,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["project_id"] = project_id

    params["limit"] = limit

    params["cursor"] = cursor

    params["type"] = type_

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/telemetry_events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TelemetryEventList | None:
    if response.status_code == 200:
        response_200 = TelemetryEventList.from_dict(response.json())

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
) -> Response[ErrorResponse | TelemetryEventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | TelemetryEventList]:
    """Stored telemetry events, newest first.

     Stored telemetry events, newest first.

    Runs GraphQL `query { telemetryEvents }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        type_ (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TelemetryEventList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        type_=type_,
        from_=from_,
        to=to,
        ending_before=ending_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | TelemetryEventList | None:
    """Stored telemetry events, newest first.

     Stored telemetry events, newest first.

    Runs GraphQL `query { telemetryEvents }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        type_ (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TelemetryEventList
    """

    return sync_detailed(
        client=client,
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        type_=type_,
        from_=from_,
        to=to,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | TelemetryEventList]:
    """Stored telemetry events, newest first.

     Stored telemetry events, newest first.

    Runs GraphQL `query { telemetryEvents }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        type_ (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TelemetryEventList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        type_=type_,
        from_=from_,
        to=to,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | TelemetryEventList | None:
    """Stored telemetry events, newest first.

     Stored telemetry events, newest first.

    Runs GraphQL `query { telemetryEvents }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        type_ (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TelemetryEventList
    """

    return (
        await asyncio_detailed(
            client=client,
            project_id=project_id,
            limit=limit,
            cursor=cursor,
            type_=type_,
            from_=from_,
            to=to,
            ending_before=ending_before,
        )
    ).parsed
