from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.scene_list import SceneList
from ...models.scenes_sort import ScenesSort
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    project_id: str,
    *,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    title_contains: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: ScenesSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["title_contains"] = title_contains

    json_updated_after: str | Unset = UNSET
    if not isinstance(updated_after, Unset):
        json_updated_after = updated_after.isoformat()
    params["updated_after"] = json_updated_after

    json_updated_before: str | Unset = UNSET
    if not isinstance(updated_before, Unset):
        json_updated_before = updated_before.isoformat()
    params["updated_before"] = json_updated_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{project_id}/scenes".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SceneList | None:
    if response.status_code == 200:
        response_200 = SceneList.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | SceneList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    title_contains: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: ScenesSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | SceneList]:
    """A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

     A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

    Runs GraphQL `query { scenes }`.

    Args:
        project_id (str):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        title_contains (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (ScenesSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SceneList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        title_contains=title_contains,
        updated_after=updated_after,
        updated_before=updated_before,
        sort=sort,
        ending_before=ending_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    title_contains: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: ScenesSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | SceneList | None:
    """A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

     A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

    Runs GraphQL `query { scenes }`.

    Args:
        project_id (str):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        title_contains (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (ScenesSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SceneList
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        limit=limit,
        cursor=cursor,
        title_contains=title_contains,
        updated_after=updated_after,
        updated_before=updated_before,
        sort=sort,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    title_contains: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: ScenesSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | SceneList]:
    """A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

     A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

    Runs GraphQL `query { scenes }`.

    Args:
        project_id (str):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        title_contains (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (ScenesSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SceneList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        title_contains=title_contains,
        updated_after=updated_after,
        updated_before=updated_before,
        sort=sort,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    title_contains: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: ScenesSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | SceneList | None:
    """A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

     A project's scenes; by position unless `sort` says otherwise (sorting by name sorts by title).

    Runs GraphQL `query { scenes }`.

    Args:
        project_id (str):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        title_contains (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (ScenesSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SceneList
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            limit=limit,
            cursor=cursor,
            title_contains=title_contains,
            updated_after=updated_after,
            updated_before=updated_before,
            sort=sort,
            ending_before=ending_before,
        )
    ).parsed
