from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.event_list import EventList
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    *,
    types: list[str] | Unset = UNSET,
    project_id: str | Unset = UNSET,
    aggregate_id: str | Unset = UNSET,
    occurred_after: datetime.datetime | Unset = UNSET,
    occurred_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_types: list[str] | Unset = UNSET
    if not isinstance(types, Unset):
        json_types = types

    params["types"] = json_types

    params["project_id"] = project_id

    params["aggregate_id"] = aggregate_id

    json_occurred_after: str | Unset = UNSET
    if not isinstance(occurred_after, Unset):
        json_occurred_after = occurred_after.isoformat()
    params["occurred_after"] = json_occurred_after

    json_occurred_before: str | Unset = UNSET
    if not isinstance(occurred_before, Unset):
        json_occurred_before = occurred_before.isoformat()
    params["occurred_before"] = json_occurred_before

    params["limit"] = limit

    params["cursor"] = cursor

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | EventList | None:
    if response.status_code == 200:
        response_200 = EventList.from_dict(response.json())

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
) -> Response[ErrorResponse | EventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    project_id: str | Unset = UNSET,
    aggregate_id: str | Unset = UNSET,
    occurred_after: datetime.datetime | Unset = UNSET,
    occurred_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | EventList]:
    """Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

     Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

    Runs GraphQL `query { events }`.

    Args:
        types (list[str] | Unset):
        project_id (str | Unset):
        aggregate_id (str | Unset):
        occurred_after (datetime.datetime | Unset):
        occurred_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | EventList]
    """

    kwargs = _get_kwargs(
        types=types,
        project_id=project_id,
        aggregate_id=aggregate_id,
        occurred_after=occurred_after,
        occurred_before=occurred_before,
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
    types: list[str] | Unset = UNSET,
    project_id: str | Unset = UNSET,
    aggregate_id: str | Unset = UNSET,
    occurred_after: datetime.datetime | Unset = UNSET,
    occurred_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | EventList | None:
    """Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

     Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

    Runs GraphQL `query { events }`.

    Args:
        types (list[str] | Unset):
        project_id (str | Unset):
        aggregate_id (str | Unset):
        occurred_after (datetime.datetime | Unset):
        occurred_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | EventList
    """

    return sync_detailed(
        client=client,
        types=types,
        project_id=project_id,
        aggregate_id=aggregate_id,
        occurred_after=occurred_after,
        occurred_before=occurred_before,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    project_id: str | Unset = UNSET,
    aggregate_id: str | Unset = UNSET,
    occurred_after: datetime.datetime | Unset = UNSET,
    occurred_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | EventList]:
    """Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

     Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

    Runs GraphQL `query { events }`.

    Args:
        types (list[str] | Unset):
        project_id (str | Unset):
        aggregate_id (str | Unset):
        occurred_after (datetime.datetime | Unset):
        occurred_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | EventList]
    """

    kwargs = _get_kwargs(
        types=types,
        project_id=project_id,
        aggregate_id=aggregate_id,
        occurred_after=occurred_after,
        occurred_before=occurred_before,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    project_id: str | Unset = UNSET,
    aggregate_id: str | Unset = UNSET,
    occurred_after: datetime.datetime | Unset = UNSET,
    occurred_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | EventList | None:
    """Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

     Events of the organisation, oldest first: page with `cursor` to catch up on anything missed. The
    newest few seconds may still grow while transactions commit, so resume from a cursor a little behind
    the end.

    Runs GraphQL `query { events }`.

    Args:
        types (list[str] | Unset):
        project_id (str | Unset):
        aggregate_id (str | Unset):
        occurred_after (datetime.datetime | Unset):
        occurred_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | EventList
    """

    return (
        await asyncio_detailed(
            client=client,
            types=types,
            project_id=project_id,
            aggregate_id=aggregate_id,
            occurred_after=occurred_after,
            occurred_before=occurred_before,
            limit=limit,
            cursor=cursor,
            ending_before=ending_before,
        )
    ).parsed
